"""Importing partnerships: reading files, mapping columns, preview, apply, the views."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.partners import PARTNERSHIPS_CSV
from partners import import_files
from partners.import_files import ImportFileError, read_upload
from partners.imports import (
    CREATE,
    SKIP,
    UNCHANGED,
    mapping_errors,
    partnerships_import,
    preview,
    propose_mapping,
)
from partners.models import City, Partnership, StatusChange
from tests.factories import CityFactory, PartnershipFactory

REFERENCE = PARTNERSHIPS_CSV
FRANKFURT_PARTNERS = 16
OTHER_CITIES_ROWS = 16
IMPORT_URL = reverse("partners:partnership-import")


def upload(text: str, name: str = "partners.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def table(text: str, name: str = "partners.csv"):
    return read_upload(upload(text, name))


def import_text(text: str, user):
    read = table(text)
    return partnerships_import(rows=read.rows, mapping=propose_mapping(read.headers), recorded_by=user)


def counts():
    return City.objects.count(), Partnership.objects.count(), StatusChange.objects.count()


@pytest.fixture
def frankfurt(settings):
    settings.OIA_HOME_CITY = "Frankfurt am Main"


# Reading and mapping -------------------------------------------------------------------------------------------


def test_english_headers_in_any_case_are_mapped():
    headers = ["PARTNER CITY", "country", "Year", "kind", "Local Name", "Latitude", "LONGITUDE"]

    mapping = propose_mapping(headers)

    assert mapping == {
        "partner_city": 0,
        "partner_country": 1,
        "year_formalised": 2,
        "kind": 3,
        "local_name": 4,
        "latitude": 5,
        "longitude": 6,
        "home_city": None,
        "status": None,
    }
    assert mapping_errors(mapping) == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Partnerstadt", "Land", "Jahr"], (0, 1, 2)),
        (["seit", "STADT", "land"], (1, 2, 0)),
        (["Längengrad", "Breitengrad", "Partnerstadt", "Land", "Partnerschaft seit"], (2, 3, 4)),
    ],
)
def test_german_headers_are_mapped(headers, expected):
    mapping = propose_mapping(headers)

    assert (mapping["partner_city"], mapping["partner_country"], mapping["year_formalised"]) == expected


def test_reference_headers_keep_home_city_apart_from_partner_city():
    mapping = propose_mapping(["home_city", "home_country", "partner_city", "partner_country", "year_formalised"])

    assert mapping["home_city"] == 0
    assert mapping["partner_city"] == 2
    assert mapping["partner_country"] == 3
    assert mapping["year_formalised"] == 4


def test_missing_required_column_is_reported():
    mapping = propose_mapping(["City", "Country", "Signed in"])

    assert mapping["year_formalised"] is None
    assert mapping_errors(mapping) == ["Choose the column that holds “Year or date formalised”."]


def test_same_column_for_two_fields_is_refused():
    assert "Each column can be used for one field only." in mapping_errors(
        {"partner_city": 0, "partner_country": 0, "year_formalised": 1}
    )


def test_csv_with_bom_and_semicolons_is_read():
    read = read_upload(upload("\ufeffStadt;Land;Jahr\nKraków;PL;1991\nEskişehir;TR;2013\n"))

    assert read.headers == ["Stadt", "Land", "Jahr"]
    assert read.rows == [["Kraków", "PL", "1991"], ["Eskişehir", "TR", "2013"]]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("City,Country,Year\n", "p.csv", "no data rows"),
        ("City,Country,Year\nKraków,PL,1991\n", "p.txt", ".csv or .xlsx"),
        ("City,Country,Year\nKraków,PL,1991\n", "p.xlsx", "not a readable Excel"),
    ],
)
def test_unreadable_files_say_why(content, name, message):
    with pytest.raises(ImportFileError, match=message):
        table(content, name)


def test_windows_1252_csv_with_semicolons_is_read():
    """German Excel's "CSV (Trennzeichen-getrennt)"."""
    read = read_upload(upload("Stadt;Land;Jahr\r\nKöln;DE;1958\r\nNürnberg;DE;1960\r\n", encoding="cp1252"))

    assert read.headers == ["Stadt", "Land", "Jahr"]
    assert read.rows == [["Köln", "DE", "1958"], ["Nürnberg", "DE", "1960"]]


def test_more_than_the_row_cap_is_refused():
    text = "City,Country,Year\n" + "".join(f"City {n},FR,1990\n" for n in range(import_files.MAX_ROWS + 1))

    with pytest.raises(ImportFileError, match="more than 2000 rows"):
        table(text)


# Preview -------------------------------------------------------------------------------------------------------

BAD_FILE = (
    "Partner city,Country,Year,Kind\n"
    "Kraków,PL,1991,twinning\n"  # row 2: fine
    "Atlantis,XX,1990,\n"  # row 3
    "Yokohama,JP,2099,\n"  # row 4
    "kraków,pl,1995,\n"  # row 5: duplicate of row 2
    ",FR,1990,\n"  # row 6
    "Lyon,FR,31.02.1960,\n"  # row 7
    "Granada,ES,1991,alliance\n"  # row 8
)


def test_preview_reports_row_errors_in_words_and_writes_nothing(db, frankfurt):
    read = table(BAD_FILE)

    result = preview(read.rows, propose_mapping(read.headers))

    assert result.error_messages == [
        "Row 3: country 'XX' is not a known country code or country name",
        "Row 4: year 2099 is in the future",
        "Row 5: duplicate of row 2 (same city and country)",
        "Row 6: the partner city is missing",
        "Row 7: '31.02.1960' is neither a year (1991) nor a date (1991-05-12 or 12.05.1991)",
        "Row 8: kind 'alliance' is unknown; use twinning, friendship, project or district",
    ]
    assert [row.number for row in result.rows if not row.errors] == [2]
    assert result.has_errors
    assert counts() == (0, 0, 0)


def test_erroneous_file_writes_nothing_even_for_its_good_rows(db, staff, frankfurt):
    with pytest.raises(ValidationError) as raised:
        import_text(BAD_FILE, staff)

    assert "Row 3: country 'XX' is not a known country code or country name" in raised.value.messages
    assert counts() == (0, 0, 0)


def test_a_control_character_in_a_city_name_is_a_row_error_and_nothing_is_stored(db, staff, frankfurt):
    text = (
        "Partner city,Local name,Country,Year\n"
        "Lyon\x0bMétropole,,FR,1960\n"  # row 2: a vertical tab pasted from a word processor
        "Kraków,Kra\x07ków,PL,1991\n"  # row 3
        "Granada,,ES,1991\n"
    )

    read = table(text)
    result = preview(read.rows, propose_mapping(read.headers))
    with pytest.raises(ValidationError):
        import_text(text, staff)

    assert result.error_messages == [
        "Row 2: the city name contains invisible control characters; remove them in the file",
        "Row 3: the local name contains invisible control characters; remove them in the file",
    ]
    assert counts() == (0, 0, 0)


def test_failure_while_writing_rolls_back_the_rows_already_written(db, staff, frankfurt, monkeypatch):
    written = []

    def failing_status_entries(objs, *args, **kwargs):
        written.append((City.objects.count(), Partnership.objects.count()))
        raise ValidationError("database said no")

    monkeypatch.setattr(StatusChange.objects, "bulk_create", failing_status_entries)

    with pytest.raises(ValidationError):
        import_text("City,Country,Year\nKraków,PL,1991\nLyon,FR,1960\nMilan,IT,1970\nPrague,CZ,1990\n", staff)

    assert written == [(4, 4)]
    assert counts() == (0, 0, 0)


def test_existing_open_partnership_is_unchanged_and_ended_one_is_created_again(db, frankfurt):
    PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"))
    PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"), status="ended")
    read = table("City,Country,Year\nKRAKÓW,PL,1991\nLyon,FR,1960\nKraków,DE,1991\n")

    result = preview(read.rows, propose_mapping(read.headers))

    assert [row.action for row in result.rows] == [UNCHANGED, CREATE, CREATE]
    assert (result.to_create, result.unchanged) == (2, 1)


def test_rows_of_another_home_city_are_skipped_with_a_reason(db, frankfurt):
    read = table(
        "home_city,partner_city,partner_country,year_formalised\nStuttgart,Brno,CZ,1987\n"
        "frankfurt am main,Kraków,PL,1991\n"
    )

    result = preview(read.rows, propose_mapping(read.headers))

    assert [row.action for row in result.rows] == [SKIP, CREATE]
    assert result.rows[0].note == "belongs to another city (Stuttgart)"


# Apply ---------------------------------------------------------------------------------------------------------


def test_reference_file_imports_only_frankfurts_partners(db, staff, frankfurt):
    summary = import_text(REFERENCE.read_text(encoding="utf-8"), staff)

    assert (summary.created, summary.unchanged, summary.skipped) == (FRANKFURT_PARTNERS, 0, OTHER_CITIES_ROWS)
    assert counts() == (FRANKFURT_PARTNERS, FRANKFURT_PARTNERS, FRANKFURT_PARTNERS)
    assert not Partnership.objects.filter(partner_city__name__in=["Moscow", "Samara", "Strasbourg"]).exists()
    krakow = Partnership.objects.get(partner_city__name="Kraków")
    assert krakow.formalised_on == datetime.date(1991, 1, 1)
    assert krakow.formalised_year_only
    assert krakow.kind == "twinning"
    assert krakow.current_status == "active"
    assert krakow.status_changes.get().recorded_by == staff
    assert City.objects.get(name="Eskişehir").country.code == "TR"
    assert City.objects.get(name="Cairo").region == "mena"


def test_importing_the_reference_file_twice_changes_nothing(db, staff, frankfurt):
    import_text(REFERENCE.read_text(encoding="utf-8"), staff)
    before = counts()

    summary = import_text(REFERENCE.read_text(encoding="utf-8"), staff)

    assert (summary.created, summary.unchanged, summary.skipped) == (0, FRANKFURT_PARTNERS, OTHER_CITIES_ROWS)
    assert counts() == before


def test_another_home_city_takes_its_own_rows(db, staff, settings):
    settings.OIA_HOME_CITY = "Stuttgart"

    summary = import_text(REFERENCE.read_text(encoding="utf-8"), staff)

    assert summary.created == 10
    assert Partnership.objects.filter(partner_city__name="Cairo").count() == 1


def test_xlsx_import_of_the_reference_data(db, staff, frankfurt):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, row in enumerate(csv.reader(io.StringIO(REFERENCE.read_text(encoding="utf-8")))):
        sheet.append(row if number == 0 else [*row[:4], int(row[4])])
    sheet.append(["Frankfurt am Main", "DE", "Philadelphia", "US", datetime.datetime(2015, 4, 23)])
    out = io.BytesIO()
    workbook.save(out)

    read = read_upload(SimpleUploadedFile("partners.xlsx", out.getvalue()))
    summary = partnerships_import(rows=read.rows, mapping=propose_mapping(read.headers), recorded_by=staff)

    assert summary.created == FRANKFURT_PARTNERS + 1
    assert Partnership.objects.get(partner_city__name="Eskişehir").formalised_on == datetime.date(2013, 1, 1)
    philadelphia = Partnership.objects.get(partner_city__name="Philadelphia")
    assert (philadelphia.formalised_on, philadelphia.formalised_year_only) == (datetime.date(2015, 4, 23), False)


def test_full_dates_kinds_and_coordinates_are_kept(db, staff, frankfurt):
    import_text(
        "Stadt;Land;Seit;Art;Lokaler Name;Breitengrad;Längengrad\n"
        "Kraków;PL;12.05.1991;Freundschaft;Kraków;50,0647;19.945\n"
        "Lyon;FR;1960-06-18;project;;;\n",
        staff,
    )

    krakow = Partnership.objects.get(partner_city__name="Kraków")
    assert (krakow.formalised_on, krakow.formalised_year_only) == (datetime.date(1991, 5, 12), False)
    assert krakow.kind == "friendship"
    assert str(krakow.partner_city.latitude) == "50.064700"
    assert Partnership.objects.get(partner_city__name="Lyon").kind == "project"


def test_existing_city_is_reused_unless_other_coordinates_are_given(db, staff, frankfurt):
    granada = City.objects.create(name="Granada", country="ES", latitude="37.177336", longitude="-3.598557")
    City.objects.create(name="Granada", country="NI")

    import_text("City,Country,Year\ngranada,ES,1991\nLeón,ES,1990\n", staff)
    import_text("City,Country,Year,Lat,Lon\nGranada,NI,1991,11.93,-85.95\n", staff)

    assert (
        Partnership.objects.get(partner_city__country="ES", partner_city__name__iexact="granada").partner_city
        == granada
    )
    assert City.objects.filter(name="Granada").count() == 3
    assert City.objects.filter(name="León").count() == 1


# Views ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_upload_preview_confirm_through_the_views(staff_client, frankfurt):
    with REFERENCE.open("rb") as file:
        response = staff_client.post(IMPORT_URL, {"action": "upload", "file": file})
    assert response.status_code == 302
    assert counts() == (0, 0, 0)

    page = staff_client.get(IMPORT_URL).content.decode()
    assert '<select name="partner_city"' in page
    assert '<option value="2" selected>partner_city</option>' in page
    assert '<caption id="import-preview-caption">Preview of the rows in the file</caption>' in page
    assert '<th scope="col">Action</th>' in page
    assert "belongs to another city (Düsseldorf)" in page
    assert "Import 16 partnerships" in page
    assert page.count("<h1") == 1

    response = staff_client.post(IMPORT_URL, {"action": "import"})

    assert response["Location"] == reverse("partners:partnership-list")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Import finished: 16 partnerships created, 0 already recorded, 16 rows skipped."
    ]
    assert counts() == (16, 16, 16)
    assert "partners_import" not in staff_client.session


def test_mapping_can_be_changed_and_previewed_again(staff_client, frankfurt):
    staff_client.post(IMPORT_URL, {"action": "upload", "file": upload("City,Nation,Signed in\nKraków,PL,1991\n")})

    page = staff_client.get(IMPORT_URL).content.decode()
    assert "Choose the column that holds “Country (ISO code or name, e.g. PL or Poland)”." in page
    assert "Import 1 partnership" not in page

    mapping = {"partner_city": "0", "partner_country": "1", "year_formalised": "2", "action": "preview"}
    assert staff_client.post(IMPORT_URL, mapping).status_code == 302
    page = staff_client.get(IMPORT_URL).content.decode()
    assert "Import 1 partnership" in page

    staff_client.post(IMPORT_URL, {"action": "import"})
    assert Partnership.objects.get().partner_city.name == "Kraków"


def test_mapping_form_refuses_one_column_for_two_fields(staff_client):
    staff_client.post(IMPORT_URL, {"action": "upload", "file": upload("City,Country,Year\nKraków,PL,1991\n")})

    response = staff_client.post(
        IMPORT_URL, {"action": "preview", "partner_city": "0", "partner_country": "0", "year_formalised": "2"}
    )

    assert response.status_code == 200
    assert "Each column can be used for one field only." in response.content.decode()


def test_file_with_errors_shows_them_and_offers_no_import(staff_client, frankfurt):
    staff_client.post(IMPORT_URL, {"action": "upload", "file": upload(BAD_FILE)})

    page = staff_client.get(IMPORT_URL).content.decode()
    assert "Row 3: country &#x27;XX&#x27; is not a known country code" in page
    assert "6 rows have errors" in page
    assert 'value="import"' not in page

    response = staff_client.post(IMPORT_URL, {"action": "import"}, follow=True)
    assert "Row 4: year 2099 is in the future" in response.content.decode()
    assert counts() == (0, 0, 0)


def test_oversized_file_gets_a_clear_error(staff_client, monkeypatch):
    big = SimpleUploadedFile("partners.csv", b"City,Country,Year\n" + b"x" * (5 * 1024 * 1024))

    response = staff_client.post(IMPORT_URL, {"action": "upload", "file": big})

    assert response.status_code == 200
    assert "The file is too large: at most 5 MB." in response.content.decode()
    assert "partners_import" not in staff_client.session


def test_wrong_file_type_gets_a_clear_error(staff_client):
    pdf = SimpleUploadedFile("agreement.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    response = staff_client.post(IMPORT_URL, {"action": "upload", "file": pdf})

    assert response.status_code == 200
    assert "This is not a .csv or .xlsx file." in response.content.decode()
    assert "partners_import" not in staff_client.session


def test_confirm_without_an_upload_says_so(staff_client):
    response = staff_client.post(IMPORT_URL, {"action": "import"}, follow=True)

    assert "There is no uploaded file to work on." in response.content.decode()
    assert counts() == (0, 0, 0)
