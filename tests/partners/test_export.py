"""Exporting the filtered partnership list to CSV and XLSX."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import AreaOfCooperation
from tests.factories import CityFactory, ClubFactory, PartnershipFactory, UserFactory

HEADER = [
    "Partner city",
    "Local name",
    "Country code",
    "Country",
    "World region",
    "Kind",
    "Partnership since",
    "Ends on",
    "Status",
    "Responsible officer",
    "Areas of cooperation",
    "Clubs",
]
# Session, user, roles, then the partnerships with their areas and clubs.
QUERY_LIMIT = 6


def export_url(fmt, query=""):
    return reverse("partners:partnership-export", kwargs={"fmt": fmt}) + query


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def partnerships(db):
    officer = UserFactory(first_name="Anna", last_name="Schmidt", role="oia_staff")
    krakow = PartnershipFactory(
        partner_city=CityFactory(name="Kraków", local_name="Kraków", country="PL"),
        formalised_on=datetime.date(1991, 1, 1),
        formalised_year_only=True,
        responsible_officer=officer,
    )
    krakow.areas.set(AreaOfCooperation.objects.filter(name__in=["Culture", "Youth"]))
    ClubFactory(name="Deutsch-Polnische Gesellschaft e.V.", partnerships=[krakow])
    eskisehir = PartnershipFactory(
        partner_city=CityFactory(name="Eskişehir", country="TR"),
        formalised_on=datetime.date(2013, 6, 21),
        kind="friendship",
        status="frozen",
    )
    lyon = PartnershipFactory(
        partner_city=CityFactory(name="Lyon", country="FR"), formalised_on=datetime.date(1960, 1, 1)
    )
    return krakow, eskisehir, lyon


def test_csv_has_bom_header_and_every_row(staff_client, partnerships):
    response = staff_client.get(export_url("csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == HEADER
    assert rows[1] == [
        "Eskişehir",
        "",
        "TR",
        "Türkiye",
        "Europe",
        "Friendship agreement",
        "2013-06-21",
        "",
        "Frozen",
        "",
        "",
        "",
    ]
    assert rows[2] == [
        "Kraków",
        "Kraków",
        "PL",
        "Poland",
        "Europe",
        "Twinning / sister city",
        "1991",
        "",
        "Active",
        "Anna Schmidt",
        "Culture; Youth",
        "Deutsch-Polnische Gesellschaft e.V.",
    ]
    assert [row[0] for row in rows[1:]] == ["Eskişehir", "Kraków", "Lyon"]


def test_csv_contains_only_the_filtered_rows(staff_client, partnerships):
    response = staff_client.get(export_url("csv", "?status=frozen"))

    rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == ["Eskişehir"]


def test_xlsx_contains_only_the_filtered_rows_with_a_bold_frozen_header(staff_client, partnerships):
    response = staff_client.get(export_url("xlsx", "?status=active&country=PL"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = read_xlsx(response)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 2
    assert rows[1][:3] == ["Kraków", "Kraków", "PL"]
    assert rows[1][6] == "1991"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert 10 <= sheet.column_dimensions["A"].width <= 50
    assert sheet.column_dimensions["L"].width > sheet.column_dimensions["C"].width


def test_xlsx_keeps_accents(staff_client, partnerships):
    sheet = read_xlsx(staff_client.get(export_url("xlsx")))

    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["Eskişehir", "Kraków", "Lyon"]


def test_download_is_an_attachment_named_by_date(staff_client, partnerships):
    today = timezone.localdate().isoformat()

    for fmt in ("csv", "xlsx"):
        response = staff_client.get(export_url(fmt))
        assert response["Content-Disposition"] == f'attachment; filename="partnerships-{today}.{fmt}"'


def test_unknown_format_is_404(staff_client):
    assert staff_client.get(export_url("pdf")).status_code == 404


def test_values_that_look_like_formulas_stay_text(staff_client, db):
    PartnershipFactory(partner_city=CityFactory(name='=HYPERLINK("http://evil.example","x")'))

    rows = read_csv(staff_client.get(export_url("csv")))
    sheet = read_xlsx(staff_client.get(export_url("xlsx")))

    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("count", [1, 50])
def test_export_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, fmt, count):
    officer = UserFactory(role="oia_staff")
    areas = list(AreaOfCooperation.objects.all()[:2])
    for _ in range(count):
        partnership = PartnershipFactory(responsible_officer=officer)
        partnership.areas.set(areas)
        ClubFactory(partnerships=[partnership])

    with django_assert_max_num_queries(QUERY_LIMIT):
        response = staff_client.get(export_url(fmt))

    assert response.status_code == 200
    lines = read_csv(response) if fmt == "csv" else list(read_xlsx(response).iter_rows(values_only=True))
    assert len(lines) == count + 1


def test_a_control_character_stored_in_a_city_name_is_left_out_of_the_export(staff_client, db):
    # Stored before input refused it: a vertical tab pasted from a word processor.
    PartnershipFactory(partner_city=CityFactory(name="Lyon\x0bMétropole\x07", local_name="=Lyon\x01"))

    csv_response = staff_client.get(export_url("csv"))
    xlsx_response = staff_client.get(export_url("xlsx"))

    assert (csv_response.status_code, xlsx_response.status_code) == (200, 200)
    assert read_csv(csv_response)[1][:2] == ["Lyon Métropole", "'=Lyon"]
    sheet = read_xlsx(xlsx_response)
    assert [sheet["A2"].value, sheet["B2"].value] == ["Lyon Métropole", "=Lyon"]
    assert sheet["B2"].data_type == "s"
