"""The report's charts when the year before has no data (issue 20): that year
gets no bars at all, not bars of 0, and the chart's key and text alternative
say "no data"; the figures and their checksum stay as they were."""

import copy
import datetime
import io
import re
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.render import render_html, render_pdf, render_xlsx
from reports.render.charts import CURRENT_COLOUR, PREVIOUS_COLOUR
from reports.sections import checksum_of
from reports.services import read_figures
from tests.factories import DelegationFactory, PartnershipFactory
from tests.reports.figures import rows

SVG = "{http://www.w3.org/2000/svg}"


def trips_in_2025(head_count=0):
    partnership = PartnershipFactory()
    DelegationFactory(
        status="completed", city=partnership.partner_city, partnership=partnership, start_on=datetime.date(2025, 5, 1)
    )
    DelegationFactory(
        direction="inbound", status="completed", start_on=datetime.date(2025, 6, 1), head_count=head_count or 12
    )


@pytest.fixture
def nothing_recorded_in_2024(db):
    trips_in_2025()
    return read_figures(2025)[0]


@pytest.fixture
def work_recorded_in_2024(db):
    trips_in_2025()
    DelegationFactory(status="completed", start_on=datetime.date(2024, 3, 1))
    return read_figures(2025)[0]


def chart(html: str, chart_id: str) -> ElementTree.Element:
    return ElementTree.fromstring(re.search(rf'<svg[^>]*"{chart_id}-title.*?</svg>', html, re.DOTALL).group(0))


def bars(svg: ElementTree.Element, colour: str) -> list[ElementTree.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill") == colour]


def texts(svg: ElementTree.Element) -> list[str]:
    return [text.text for text in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize("chart_id", ["chart-travel-trips_per_month", "chart-visitors-visits_per_month"])
def test_a_month_chart_draws_no_bars_for_a_year_without_data_and_says_so_in_its_key(nothing_recorded_in_2024, chart_id):
    svg = chart(render_html(nothing_recorded_in_2024), chart_id)

    assert bars(svg, PREVIOUS_COLOUR) == []  # no bar, not even one of no height
    assert "2024: no data" in texts(svg)
    assert "2024" not in texts(svg)  # no swatch stands for the year
    assert len(bars(svg, CURRENT_COLOUR)) == 2  # the key's swatch and the one month of 2025
    description = svg.find(f"{SVG}desc").text
    assert "no data for 2024" in description
    assert "(0)" not in description


def test_a_chart_by_region_draws_no_bars_for_a_year_without_data(nothing_recorded_in_2024):
    svg = chart(render_html(nothing_recorded_in_2024), "chart-visitors-visitors_by_region")

    assert bars(svg, PREVIOUS_COLOUR) == []
    assert "2024: no data" in texts(svg)
    assert [text for text in texts(svg) if text in {"0", "12"}] == ["12"]  # 2025's number, no 0 for 2024
    assert "Europe 12" in svg.find(f"{SVG}desc").text
    assert "(0)" not in svg.find(f"{SVG}desc").text


def test_a_year_with_recorded_work_keeps_its_bars_its_swatch_and_its_zeros(work_recorded_in_2024):
    html = render_html(work_recorded_in_2024)
    months = chart(html, "chart-travel-trips_per_month")
    regions = chart(html, "chart-visitors-visitors_by_region")

    assert len(bars(months, PREVIOUS_COLOUR)) == 2  # the key's swatch and March 2024
    assert "2024" in texts(months)
    assert "no data" not in html
    assert "Europe 12 (0)" in regions.find(f"{SVG}desc").text
    assert "0" in texts(regions)  # a count of 0 is written, though its bar has no width


def test_the_pdf_prints_the_charts_without_the_year_and_with_its_note(nothing_recorded_in_2024):
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(render_pdf(nothing_recorded_in_2024))).pages
    )

    assert text.count("2024: no data") == 4  # both month charts and both charts by region


def test_the_charts_leave_the_figures_and_their_checksum_as_they_were(nothing_recorded_in_2024):
    figures, checksum = read_figures(2025)[:2]
    before = copy.deepcopy(figures)

    render_html(figures)
    render_pdf(figures)

    assert figures == before
    assert figures["sections"][0]["charts"][0]["series"]["previous"] == [0] * 12  # the JSON keeps its numbers
    # The method's note on "no data" is outside the checksum, like the whole method section.
    assert checksum == checksum_of({"year": 2025, "sections": figures["sections"][:-1]})


def test_the_method_says_what_no_data_means_in_the_page_the_pdf_and_the_workbook(nothing_recorded_in_2024):
    figures = nothing_recorded_in_2024
    rule = dict(rows(figures, "method", "rules"))["No data"]
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(render_pdf(figures))).pages)
    method = load_workbook(io.BytesIO(render_xlsx(figures))).worksheets[-1]

    assert 'reads "no data" when the office recorded no work of that year in this application' in rule
    assert "unknown, not zero" in rule
    assert "unknown, not zero" in render_html(figures)
    assert "Its figures are unknown, not zero" in pdf
    assert rule in [row[1] for row in method.iter_rows(values_only=True) if row and row[0] == "No data"]


def test_a_report_whose_year_before_has_data_needs_no_such_note(work_recorded_in_2024):
    assert "No data" not in dict(rows(work_recorded_in_2024, "method", "rules"))
