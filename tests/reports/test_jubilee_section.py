"""The report's jubilees of the coming year: a planned jubilee counts with its
plan's estimate, one not yet planned with the flat ``OIA_JUBILEE_BUDGET``,
labelled as such in every format; the section's total is computed in SQL."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget.services import jubilees
from reports.render import render_html, render_xlsx
from reports.sections import build_figures, partnerships
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    PartnershipFactory,
    SupplementaryRequestFactory,
    UserFactory,
)
from tests.reports.figures import figure, rows

D = datetime.date
FLAT = "Flat estimate, not yet planned"


@pytest.fixture
def year_2025(db, settings):
    """The report of 2025 looks at the jubilees of 2026: Kraków's 25th is planned
    (18,500 on the 2026 jubilee budget), Toronto's 10th is not; Lyon's 66th is
    no jubilee; Porto's 30th had a plan, cancelled."""
    settings.OIA_JUBILEE_BUDGET = 25000
    staff = UserFactory(role="oia_staff")
    line = BudgetLineFactory(budget=BudgetFactory(year=2026), name="Jubilee budget", category="events", planned=60000)
    krakow = PartnershipFactory(partner_city=CityFactory(name="Kraków"), formalised_on=D(2001, 6, 1))
    PartnershipFactory(partner_city=CityFactory(name="Toronto"), formalised_on=D(2016, 9, 1))
    PartnershipFactory(partner_city=CityFactory(name="Lyon"), formalised_on=D(1960, 3, 1))
    porto = PartnershipFactory(partner_city=CityFactory(name="Porto"), formalised_on=D(1996, 4, 1))
    jubilees.jubilee_plan_create(
        partnership=krakow,
        year=2026,
        title="Kraków 25",
        starts_on=D(2026, 6, 1),
        estimate=Decimal("18500"),
        line=line,
        by=staff,
    )
    porto_plan = jubilees.jubilee_plan_create(
        partnership=porto,
        year=2026,
        title="Porto 30",
        starts_on=D(2026, 4, 1),
        estimate=Decimal("1000"),
        line=line,
        by=staff,
    ).plan
    jubilees.jubilee_plan_cancel(plan=porto_plan, version=1, by=staff)
    SupplementaryRequestFactory(line=BudgetLineFactory(budget=line.budget, partnership=krakow), amount_requested=5000)
    return build_figures(2025, cut_off="x")[0]


def test_a_planned_jubilee_counts_with_its_plan_and_the_others_with_the_flat_estimate(year_2025):
    assert rows(year_2025, "partnerships", "jubilees") == [
        ["Porto", "1996-04-01", 30, "25000.00", "0.00", FLAT],
        ["Kraków", "2001-06-01", 25, "18500.00", "5000.00", "Planned: Kraków 25"],
        ["Toronto", "2016-09-01", 10, "25000.00", "0.00", FLAT],
    ]


def test_the_sections_total_is_the_planned_estimates_plus_the_flat_ones(year_2025):
    total = figure(year_2025, "partnerships", "jubilee_budget")

    assert total["value"] == "68500.00"  # 18,500 planned + 2 × 25,000 flat
    assert (total["kind"], total["previous"], total["change"]) == ("money", None, None)
    assert figure(year_2025, "partnerships", "jubilees_coming")["value"] == 3


def test_one_planned_and_one_unplanned_jubilee_add_up_to_the_plan_and_the_flat_estimate(db, settings):
    """The smallest year: X planned, one unplanned: the total is X + flat."""
    settings.OIA_JUBILEE_BUDGET = 25000
    line = BudgetLineFactory(budget=BudgetFactory(year=2031), planned=10000)
    planned = PartnershipFactory(formalised_on=D(2006, 1, 1))
    PartnershipFactory(formalised_on=D(2021, 1, 1))
    jubilees.jubilee_plan_create(
        partnership=planned,
        year=2031,
        title="25",
        starts_on=D(2031, 1, 1),
        estimate=Decimal("7250.50"),
        line=line,
        by=UserFactory(role="oia_staff"),
    )

    figures, _checksum = build_figures(2030, cut_off="x")

    assert figure(figures, "partnerships", "jubilee_budget")["value"] == "32250.50"


def test_a_year_without_jubilees_has_a_total_of_zero(db):
    figures, _checksum = build_figures(2025, cut_off="x")

    assert rows(figures, "partnerships", "jubilees") == []
    assert figure(figures, "partnerships", "jubilee_budget")["value"] == "0.00"


def test_the_label_and_the_total_are_in_the_html_and_the_xlsx(year_2025):
    html = render_html(year_2025)
    assert html.count(FLAT) == 2
    assert "Planned: Kraków 25" in html
    assert "Budget for the jubilees of 2026" in html
    assert "€68,500.00" in html

    workbook = load_workbook(io.BytesIO(render_xlsx(year_2025)))
    sheet = next(s for s in workbook.worksheets if s.title.endswith("Partnerships"))
    cells = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert ("Toronto", "2016-09-01", 10, 25000, 0, FLAT) in [tuple(row[:6]) for row in cells]
    total = next(row for row in cells if row[0] == "Budget for the jubilees of 2026")
    assert total[1] == Decimal("68500.00")


def test_the_label_is_in_the_pdf(year_2025):
    from pypdf import PdfReader

    from reports.render import render_pdf

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(year_2025))).pages)

    assert "not yet planned" in " ".join(text.split())
    assert "Planned: Kraków 25" in " ".join(text.split())


def test_the_method_says_how_jubilees_are_estimated(year_2025):
    method = next(s for s in year_2025["sections"] if s["key"] == "method")
    rule = next(row for table in method["tables"] for row in table["rows"] if row[0] == "Jubilees")

    assert "counts with the estimate of its plan" in rule[1]
    assert "flat estimate of 25000" in rule[1]


def test_the_jubilees_cost_no_query_of_their_own(year_2025, django_assert_num_queries):
    """Plans, flat estimates and the total come with the jubilee rows: the
    section needs as many queries as before plans existed."""
    with django_assert_num_queries(QUERIES_OF_THE_SECTION):
        partnerships.build(2025)


# The partnerships section: the status counts, the activity rows, the status changes, the jubilees.
QUERIES_OF_THE_SECTION = 4
