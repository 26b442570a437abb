"""The budget overview and a line's bookings as CSV and XLSX downloads."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from budget.models import BudgetChange, Commitment
from tests.factories import BudgetFactory, BudgetLineFactory, CityFactory, ExpenseFactory, PartnershipFactory

OVERVIEW_HEADER = [
    "Line",
    "Category",
    "Partner city",
    "Planned",
    "Changes",
    "Current",
    "Committed",
    "Spent",
    "Available",
    "Used (percent)",
    "Warning",
]
LINE_HEADER = [
    "Kind",
    "Date",
    "Description",
    "Payee or other line",
    "Amount",
    "Original amount",
    "Original currency",
    "Exchange rate",
    "Status",
    "Reference or reason",
]


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "a byte order mark tells Excel it is UTF-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def budget(db):
    budget = BudgetFactory(year=2026)
    krakow = PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"))
    line = BudgetLineFactory(budget=budget, name="Partner city Kraków", partnership=krakow, planned=Decimal("13000"))
    ExpenseFactory(
        line=line,
        date=datetime.date(2026, 5, 4),
        amount=Decimal("46.90"),
        original_amount=Decimal("200.00"),
        original_currency="PLN",
        exchange_rate=Decimal("0.234500"),
        payee='=HYPERLINK("http://evil")',
        description="Flowers, Wawel",
    )
    Commitment.objects.create(line=line, amount=Decimal("2000.00"), description="Trip: Jubilee")
    gifts = BudgetLineFactory(budget=budget, name="Gifts", category="gifts", planned=Decimal("100"))
    ExpenseFactory(line=gifts, amount=Decimal("120.00"))
    BudgetChange.objects.create(
        line=line,
        kind="amendment",
        amount=Decimal("500.00"),
        council_reference="V-2026/17",
        decided_on=datetime.date(2026, 3, 1),
        reason="Jubilee year",
    )
    return budget


def overview_export(client, fmt, query=""):
    return client.get(reverse("budget:budget-export", kwargs={"year": 2026, "fmt": fmt}) + query)


def test_overview_csv(staff_client, budget):
    response = overview_export(staff_client, "csv")

    assert response["Content-Disposition"] == 'attachment; filename="budget-2026.csv"'
    rows = read_csv(response)
    assert rows[0] == OVERVIEW_HEADER
    assert rows[1] == [
        "Gifts",
        "Gifts",
        "",
        "100.00",
        "0.00",
        "100.00",
        "0.00",
        "120.00",
        "-20.00",
        "120.0",
        "Overdrawn",
    ]
    assert rows[2] == [
        "Partner city Kraków",
        "Partner cities",
        "Kraków",
        "13000.00",
        "500.00",
        "13500.00",
        "2000.00",
        "46.90",
        "11453.10",
        "15.2",
        "",
    ]
    assert rows[3] == ["Total", "", "", "13100.00", "500.00", "13600.00", "2000.00", "166.90", "11433.10", "15.9", ""]


def test_overview_csv_follows_the_filter(staff_client, budget):
    rows = read_csv(overview_export(staff_client, "csv", "?category=gifts"))

    assert [row[0] for row in rows] == ["Line", "Gifts", "Total"]


def test_overview_xlsx_has_numbers(staff_client, budget):
    rows = read_xlsx(overview_export(staff_client, "xlsx"))

    assert rows[0] == OVERVIEW_HEADER
    assert rows[1][:3] == ["Gifts", "Gifts", None]
    assert rows[1][3:9] == [100, 0, 100, 0, 120, -20]
    assert rows[1][10] == "Overdrawn"
    assert rows[3][0] == "Total"
    assert rows[3][8] == pytest.approx(11433.10)


def test_line_csv_lists_changes_commitments_and_expenses(staff_client, budget):
    line = budget.lines.get(name="Partner city Kraków")

    response = staff_client.get(reverse("budget:line-export", kwargs={"pk": line.pk, "fmt": "csv"}))

    rows = read_csv(response)
    assert rows[0] == LINE_HEADER
    assert rows[1] == [
        "Amendment (council decision)",
        "2026-03-01",
        "Jubilee year",
        "",
        "500.00",
        "",
        "",
        "",
        "",
        "V-2026/17",
    ]
    assert rows[2][0] == "Commitment"
    assert rows[2][2:5] == ["Trip: Jubilee", "", "2000.00"]
    assert rows[2][8] == "Open"
    assert rows[3] == [
        "Expense",
        "2026-05-04",
        "Flowers, Wawel",
        '\'=HYPERLINK("http://evil")',
        "46.90",
        "200.00",
        "PLN",
        "0.234500",
        "Booked",
        "",
    ]


def test_line_xlsx_keeps_formulas_as_text(staff_client, budget):
    line = budget.lines.get(name="Partner city Kraków")

    rows = read_xlsx(staff_client.get(reverse("budget:line-export", kwargs={"pk": line.pk, "fmt": "xlsx"})))

    expense = rows[3]
    assert expense[3] == '=HYPERLINK("http://evil")', "stored as a string, not run as a formula"
    assert expense[4] == pytest.approx(46.90)
    assert expense[7] == pytest.approx(0.2345)


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV"])
def test_other_formats_are_not_found(staff_client, budget, fmt):
    line = budget.lines.first()

    assert overview_export(staff_client, fmt).status_code == 404
    assert staff_client.get(reverse("budget:line-export", kwargs={"pk": line.pk, "fmt": fmt})).status_code == 404


def test_control_characters_stored_in_a_line_and_its_bookings_are_left_out_of_the_exports(staff_client, db):
    # Stored before input refused them: a vertical tab pasted from a word processor.
    budget = BudgetFactory(year=2026)
    line = BudgetLineFactory(budget=budget, name="Partner\x0bcities\x07")
    ExpenseFactory(line=line, payee="Hotel\x0bam Römer", description="Two nights\x1b")

    overview = overview_export(staff_client, "xlsx")
    bookings = staff_client.get(reverse("budget:line-export", kwargs={"pk": line.pk, "fmt": "xlsx"}))
    bookings_csv = staff_client.get(reverse("budget:line-export", kwargs={"pk": line.pk, "fmt": "csv"}))

    assert (overview.status_code, bookings.status_code, bookings_csv.status_code) == (200, 200, 200)
    assert read_xlsx(overview)[1][0] == "Partner cities"
    assert read_xlsx(bookings)[1][2:4] == ["Two nights", "Hotel am Römer"]
    assert read_csv(bookings_csv)[1][2:4] == ["Two nights", "Hotel am Römer"]
    workbook = openpyxl.load_workbook(io.BytesIO(bookings.content))
    assert workbook.sheetnames == ["Partner cities"]


def test_a_line_whose_name_excel_refuses_as_a_sheet_name_exports_as_xlsx(staff_client, db):
    line = BudgetLineFactory(budget=BudgetFactory(year=2026), name="Travel / Events [2026]: *?")
    ExpenseFactory(line=line, description="Train to Lyon")

    response = staff_client.get(reverse("budget:line-export", kwargs={"pk": line.pk, "fmt": "xlsx"}))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Travel Events 2026"]
    assert [row[2] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == ["Train to Lyon"]
