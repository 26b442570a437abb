"""Exports import again, files as offices save them, countries by name, the
home city by another name (issue 16)."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.import_files import ImportFileError, read_upload
from partners.import_names import country_from_text, is_home_city
from partners.imports import CREATE, SKIP, UNCHANGED, partnerships_import, preview, propose_mapping
from partners.models import AreaOfCooperation, City, Partnership, StatusChange
from tests.factories import CityFactory, ClubFactory, PartnershipFactory, UserFactory

IMPORT_URL = reverse("partners:partnership-import")


def export_url(fmt):
    return reverse("partners:partnership-export", kwargs={"fmt": fmt})


def upload(data: bytes, name: str = "partners.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_bytes(data: bytes, user, name: str = "partners.csv"):
    read = read_upload(upload(data, name))
    return partnerships_import(rows=read.rows, mapping=propose_mapping(read.headers), recorded_by=user)


def snapshot():
    """Every city, partnership and status change as stored."""
    return (
        list(City.objects.order_by("pk").values()),
        list(Partnership.objects.order_by("pk").values()),
        list(StatusChange.objects.order_by("pk").values()),
    )


@pytest.fixture
def frankfurt(settings):
    settings.OIA_HOME_CITY = "Frankfurt am Main"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def recorded(db):
    """Every kind, a full date and a year, a frozen one, an ended one, and a
    city with both an ended and an open partnership."""
    milan = CityFactory(name="Milano", local_name="Milano", country="IT")
    krakow = PartnershipFactory(
        partner_city=CityFactory(name="Kraków", local_name="Kraków", country="PL"),
        formalised_on=datetime.date(1991, 1, 1),
        formalised_year_only=True,
        responsible_officer=UserFactory(first_name="Anna", last_name="Schmidt", role="oia_staff"),
    )
    # Cells with semicolons and commas must not confuse the separator.
    krakow.areas.set(AreaOfCooperation.objects.filter(name__in=["Culture", "Youth"]))
    ClubFactory(name="Deutsch-Polnische Gesellschaft, Frankfurt e.V.", partnerships=[krakow])
    return [
        krakow,
        PartnershipFactory(
            partner_city=CityFactory(name="Eskişehir", country="TR", latitude=None, longitude=None),
            formalised_on=datetime.date(2013, 6, 21),
            kind="friendship",
            status="frozen",
        ),
        PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"), kind="project"),
        PartnershipFactory(partner_city=CityFactory(name="Praha 6", country="CZ"), kind="district"),
        PartnershipFactory(partner_city=CityFactory(name="Birmingham", country="GB"), status="ended"),
        PartnershipFactory(partner_city=milan, status="ended", formalised_on=datetime.date(1970, 3, 1)),
        PartnershipFactory(partner_city=milan, formalised_on=datetime.date(1990, 3, 1)),
    ]


# Round trip ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_through_the_views_changes_nothing(staff_client, recorded, frankfurt, language, fmt):
    exported = staff_client.get(export_url(fmt), HTTP_ACCEPT_LANGUAGE=language)
    assert exported.status_code == 200
    before = snapshot()

    staff_client.post(
        IMPORT_URL,
        {"action": "upload", "file": upload(exported.content, f"partnerships.{fmt}")},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    pending = staff_client.session["partners_import"]
    checked = preview(pending["rows"], pending["mapping"])
    page = staff_client.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE=language)
    response = staff_client.post(IMPORT_URL, {"action": "import"}, HTTP_ACCEPT_LANGUAGE=language)

    assert page.status_code == 200
    assert not checked.has_errors, checked.error_messages
    assert [row.action for row in checked.rows] == [UNCHANGED] * len(recorded)
    assert response["Location"] == reverse("partners:partnership-list")
    assert snapshot() == before


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_exports_own_headers_are_mapped(staff_client, recorded, language):
    exported = staff_client.get(export_url("csv"), HTTP_ACCEPT_LANGUAGE=language)

    read = read_upload(upload(exported.content))
    mapping = propose_mapping(read.headers)

    assert read.headers[mapping["partner_city"]] == read.headers[0]
    assert mapping["partner_country"] == 2
    assert mapping["local_name"] == 1
    assert mapping["kind"] == 5
    assert mapping["year_formalised"] == 6
    assert mapping["status"] == 8


@pytest.mark.parametrize(
    "headers",
    [
        ["Partnerstadt", "Name in Landessprache", "Ländercode", "Land", "Art", "Partnerschaft seit", "Status"],
        ["Stadt", "Name in Landessprache", "Ländercode", "Land", "Art", "Geschlossen", "Status"],
        ["Partner city", "Local name", "Country code", "Country", "Kind", "Partnership since", "Status"],
    ],
)
def test_header_names_in_both_languages_are_mapped(headers):
    mapping = propose_mapping(headers)

    assert [mapping[name] for name in ("partner_city", "local_name", "partner_country", "kind")] == [0, 1, 2, 4]
    assert (mapping["year_formalised"], mapping["status"]) == (5, 6)


# Labels, countries, the home city ------------------------------------------------------------------------------


def test_kind_and_status_labels_in_both_languages_are_read(db, staff, frankfurt):
    text = (
        "Partner city;Country;Year;Kind;Status\n"
        "Kraków;PL;1991;Twinning / sister city;Active\n"
        "Lyon;FR;1960;PROJEKTBEZOGEN / BEFRISTET;aktiv\n"
        "Praha 6;CZ;1995;Partnerbezirk;Ruhend\n"
        "Granada;ES;1991;friendship agreement;frozen\n"
        "Nice;FR;1980;Städtepartnerschaft;Beendet\n"
    )
    read = read_upload(upload(text.encode()))

    checked = preview(read.rows, propose_mapping(read.headers))

    assert checked.error_messages == []
    assert [row.cleaned["kind"] for row in checked.rows] == [
        "twinning",
        "project",
        "district",
        "friendship",
        "twinning",
    ]
    assert [row.action for row in checked.rows] == [CREATE, CREATE, CREATE, CREATE, SKIP]


def test_unknown_status_is_a_row_error(db, frankfurt):
    read = read_upload(upload(b"City,Country,Year,Status\nKrak\xc3\xb3w,PL,1991,asleep\n"))

    checked = preview(read.rows, propose_mapping(read.headers))

    assert checked.error_messages == ["Row 2: status 'asleep' is unknown; use active, dormant, frozen or ended"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PL", "PL"),
        ("pl", "PL"),
        ("Polen", "PL"),
        ("Poland", "PL"),
        ("POLAND", "PL"),
        ("Tschechien", "CZ"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Türkei", "TR"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("USA", "US"),
        ("Vereinigte Staaten von Amerika", "US"),
        ("Vereinigtes Königreich", "GB"),
        ("Russland", "RU"),
        ("Atlantis", None),
        ("XX", None),
    ],
)
def test_countries_by_code_or_name_in_english_or_german(text, code):
    assert country_from_text(text) == code


def test_country_names_import(db, staff, frankfurt):
    import_bytes("Stadt,Land,Jahr\nKraków,Polen,1991\nLyon,France,1960\nPraha 6,Tschechien,1995\n".encode(), staff)

    assert sorted(City.objects.values_list("name", "country")) == [("Kraków", "PL"), ("Lyon", "FR"), ("Praha 6", "CZ")]


@pytest.mark.parametrize("name", ["Köln", "Koeln", "Koln", "KÖLN", "Cologne", "cologne"])
def test_the_home_city_by_another_name(settings, name):
    settings.OIA_HOME_CITY = "Köln"

    assert is_home_city(name)
    assert not is_home_city("Düsseldorf")
    assert not is_home_city("Kolkata")


def test_the_home_city_names_setting_adds_names(settings):
    settings.OIA_HOME_CITY = "Frankfurt am Main"
    settings.OIA_HOME_CITY_NAMES = ["Mainhattan"]

    assert is_home_city("mainhattan")
    assert is_home_city("Frankfurt a. M.")


def test_a_first_import_with_the_home_city_written_otherwise_creates_its_rows(db, staff, settings):
    settings.OIA_HOME_CITY = "Köln"
    text = (
        "Heimatstadt;Partnerstadt;Land;Jahr\n"
        "Koeln;Liverpool;GB;1952\n"
        "Cologne;Lille;Frankreich;1958\n"
        "KÖLN;Kyoto;Japan;1963\n"
        "Düsseldorf;Reading;GB;1988\n"
    )

    summary = import_bytes(text.encode(), staff)

    assert (summary.created, summary.unchanged, summary.skipped) == (3, 0, 1)
    assert sorted(City.objects.values_list("name", flat=True)) == ["Kyoto", "Lille", "Liverpool"]


# Files as offices have them ------------------------------------------------------------------------------------


def test_windows_1252_semicolon_file_with_umlauts_imports(db, staff, frankfurt):
    """German Excel's "CSV (Trennzeichen-getrennt)": Windows-1252 and semicolons."""
    text = "Partnerstadt;Land;Partnerschaft seit;Art\r\nSão Paulo;Brasilien;2007;Freundschaftsvereinbarung\r\n"
    text += "Eskişehir;Türkei;2013;Städtepartnerschaft\r\n".replace("ş", "s")
    data = text.encode("cp1252")
    assert b"\xe4" in data  # the ä of "Städtepartnerschaft" as Windows-1252 writes it

    summary = import_bytes(data, staff)

    assert summary.created == 2
    assert sorted(Partnership.objects.values_list("partner_city__name", "partner_city__country", "kind")) == [
        ("Eskisehir", "TR", "twinning"),
        ("São Paulo", "BR", "friendship"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffCity,Country,Year\nKraków,PL,1991\n".encode(),
        "City,Country,Year\nKraków,PL,1991\n".encode(),
        "City;Country;Year\r\nKraków;PL;1991\r\n".encode("cp1252"),
        "City\tCountry\tYear\nKraków\tPL\t1991\n".encode(),
        "City\tCountry\tYear\nKraków\tPL\t1991\n".encode("utf-16"),
    ],
    ids=["utf-8-bom", "utf-8", "cp1252-semicolon", "tab", "utf-16-tab"],
)
def test_encodings_and_separators_are_detected(data):
    read = read_upload(upload(data))

    assert read.headers == ["City", "Country", "Year"]
    assert read.rows == [["Kraków", "PL", "1991"]]


def _workbook_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["City", "Country", "Year"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like an image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like an image"),
        (b"%PDF-1.7\n", "looks like a PDF"),
        (b"City,Country\x00,Year\n", "not a text file"),
        (b"City,Country,Year\nKrak\x81w,PL,1991\n", "not a readable text file"),
    ],
)
def test_a_file_that_is_not_text_says_what_it_looks_like(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_upload(upload(data))


def test_a_workbook_renamed_csv_asks_for_xlsx(staff_client):
    response = staff_client.post(IMPORT_URL, {"action": "upload", "file": upload(_workbook_bytes())})

    assert response.status_code == 200
    assert "This looks like an Excel workbook: upload it as .xlsx" in response.content.decode()
    assert "not UTF-8" not in response.content.decode()


def test_imported_partnerships_have_their_first_status_and_audit_events_in_a_fixed_number_of_queries(
    db, staff, frankfurt, django_assert_max_num_queries
):
    """Partnerships and status entries are written in one statement each; only new cities cost a query."""
    from oia import audit

    CityFactory(name="Lyon", country="FR")
    rows = "".join(f"Lyon {n},FR,{1950 + n}\n" for n in range(1, 20))
    with django_assert_max_num_queries(8 + 19):
        import_bytes(f"City,Country,Year,Kind\nLyon,FR,1960,Freundschaftsvereinbarung\n{rows}".encode(), staff)

    lyon = Partnership.objects.get(partner_city__name="Lyon")
    entry = lyon.status_changes.get()
    assert (lyon.kind, lyon.current_status, lyon.formalised_year_only) == ("friendship", "active", True)
    assert (entry.status, entry.effective_on, entry.recorded_by, entry.reason) == (
        "active",
        datetime.date(1960, 1, 1),
        staff,
        "Partnership formalised.",
    )
    assert City.objects.count() == 20
    assert audit.event_model_for(Partnership).objects.filter(pgh_obj_id=lyon.pk).count() == 1
    assert audit.event_model_for(StatusChange).objects.filter(pgh_obj_id=entry.pk).count() == 1


def test_the_preview_shows_the_code_a_country_name_was_read_as(staff_client, frankfurt):
    staff_client.post(IMPORT_URL, {"action": "upload", "file": upload("Stadt;Land;Jahr\nKraków;Polen;1991\n".encode())})

    page = staff_client.get(IMPORT_URL).content.decode()

    assert "<td>Polen (PL)</td>" in page
    assert "Import 1 partnership" in page


def test_an_imported_list_without_coordinates_draws_every_matched_city_on_the_map(staff_client, staff, frankfurt):
    """Another city's real list: city, country, year, no coordinates. The
    gazetteer places every city it knows; one it does not know stays for the user."""
    text = "Stadt;Land;Partnerschaft seit\r\nKrakau;Polen;1991\r\nMailand;Italien;1970\r\nLüttich;Belgien;1958\r\n"
    text += "Nirgendwo am See;Deutschland;2001\r\n"

    summary = import_bytes(text.encode("cp1252"), staff)

    assert summary.created == 4
    html = staff_client.get(reverse("partners:map")).content.decode()
    assert "3 of 4 partner cities are drawn" in html
    assert City.objects.get(name="Krakau").geonames_id is not None
    assert City.objects.get(name="Nirgendwo am See").latitude is None


def test_the_home_city_by_a_name_only_the_gazetteer_knows(db, staff, settings):
    """Francfort-sur-le-Main is nowhere in the built-in list: the gazetteer's
    other names of the home city make it the home city, not a partner."""
    settings.OIA_HOME_CITY = "Frankfurt am Main"
    settings.OIA_HOME_COUNTRY = "DE"
    text = "Partnerstadt,Land,Partnerschaft seit,Heimatstadt\nLyon,FR,1960,Francfort-sur-le-Main\n"

    summary = import_bytes(text.encode(), staff)

    assert summary.created == 1
