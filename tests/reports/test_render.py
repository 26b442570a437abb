"""The report as PDF (read back with pypdf), XLSX (opened with openpyxl) and
accessible HTML."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.render import render_html, render_pdf, render_xlsx
from reports.services import read_figures
from tests.factories import CityFactory, DelegationFactory, ParticipantFactory, PartnershipFactory

SECTION_TITLES = [
    "Travel abroad",
    "Visitors received",
    "Partnerships",
    "Clubs and citizens",
    "Networks",
    "Gifts",
    "Budget",
    "Protocol and events",
    "Method",
]


@pytest.fixture
def figures(db):
    partnership = PartnershipFactory()
    trip = DelegationFactory(
        status="completed", city=partnership.partner_city, partnership=partnership, start_on=datetime.date(2025, 5, 1)
    )
    ParticipantFactory(delegation=trip, person__title="Lord Mayor")
    DelegationFactory(direction="inbound", status="completed", start_on=datetime.date(2025, 6, 1), head_count=12)
    return read_figures(2025)[0]


def test_pdf_has_several_a4_pages_a_table_of_contents_and_every_section(figures):
    reader = PdfReader(io.BytesIO(render_pdf(figures)))

    assert len(reader.pages) > 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    for title in SECTION_TITLES:
        assert title in text
    assert "Contents" in text
    assert re.search(r"Page 2 / \d+", text)


def test_xlsx_has_one_sheet_per_section_with_the_figures(figures):
    workbook = load_workbook(io.BytesIO(render_xlsx(figures)))

    assert [name.split(" ", 1)[1] for name in workbook.sheetnames] == SECTION_TITLES
    travel = workbook.worksheets[0]
    values = {row[0]: row[1:4] for row in travel.iter_rows(values_only=True) if row and row[0]}
    # Nothing at all was recorded in 2024 (issue 20: it reads "no data", not 0 and +1).
    assert values["Visits abroad"] == (1, "no data", "no data")
    assert values["Trips of the mayor"] == (1, "no data", "no data")


def test_a_previous_year_with_any_recorded_work_is_compared_in_numbers(db):
    partnership = PartnershipFactory()
    DelegationFactory(
        status="completed", city=partnership.partner_city, partnership=partnership, start_on=datetime.date(2025, 5, 1)
    )
    DelegationFactory(direction="inbound", status="completed", start_on=datetime.date(2024, 6, 1))
    figures = read_figures(2025)[0]

    travel = load_workbook(io.BytesIO(render_xlsx(figures))).worksheets[0]
    values = {row[0]: row[1:4] for row in travel.iter_rows(values_only=True) if row and row[0]}
    assert values["Visits abroad"] == (1, 0, 1)
    html = render_html(figures)
    assert "no data" not in html
    assert re.search(r'Visits abroad</th>\s*<td class="num">1</td><td class="num">0</td><td class="num">\+1</td>', html)


def test_a_previous_year_without_any_recorded_work_reads_no_data_but_its_figures_stay(figures):
    html = render_html(figures)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(figures))).pages)

    assert figures["previous_year_recorded"] is False
    visits = next(f for f in figures["sections"][0]["figures"] if f["label"] == "Visits abroad")
    assert (visits["value"], visits["previous"], visits["change"]) == (1, 0, 1)  # the JSON keeps its numbers
    assert re.search(
        r"Visits abroad</th>\s*<td class=\"num\">1</td><td class=\"num\">no data</td><td class=\"num\">no data</td>",
        html,
    )
    assert "There are no data for 2024" in html
    assert "+1" not in html
    assert "Visits abroad 1 no data no data" in " ".join(text.split())


def test_html_has_real_headings_captioned_tables_and_charts_with_text(figures):
    html = render_html(figures)

    assert "<h1" not in html  # the page around it has the one h1
    for title in SECTION_TITLES:
        assert re.search(rf"<h2 id=\"section-\w+-title\">\d+\. {title}</h2>", html)
    assert html.count("<table") == html.count("<caption")
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    charts = re.findall(r"<svg[^>]*role=\"img\"[^>]*>", html)
    assert len(charts) == 5  # trips and visitors per month and by region, the map
    assert html.count("<desc id=") == len(charts)


def test_visitors_by_region_chart_counts_visitors_not_delegations(figures):
    html = render_html(figures)

    description = re.search(r'<desc id="chart-visitors-visitors_by_region-desc">([^<]*)</desc>', html).group(1)
    assert "Europe 12." in description  # one delegation of 12 visitors


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(db):
    from partners.models import StatusChange

    partnership = PartnershipFactory(formalised_on=datetime.date(2001, 1, 1))
    StatusChange.objects.create(
        partnership=partnership, status="dormant", effective_on=datetime.date(2025, 6, 1), reason='=HYPERLINK("x")'
    )
    workbook = load_workbook(io.BytesIO(render_xlsx(read_figures(2025)[0])))

    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    reason = next(cell for cell in cells if cell.value == '=HYPERLINK("x")')
    assert reason.data_type == "s"


def test_control_characters_in_a_city_a_reason_and_a_trip_title_do_not_stop_the_report(db):
    from partners.models import StatusChange
    from reports.models import ReportRequest, ReportVersion
    from reports.services import report_generate

    # Rows stored before input refused control characters (a vertical tab from a word processor).
    city = CityFactory(name="Lyon\x0bMétropole\x01")
    partnership = PartnershipFactory(partner_city=city, formalised_on=datetime.date(2001, 1, 1))
    StatusChange.objects.create(
        partnership=partnership,
        status="dormant",
        effective_on=datetime.date(2025, 6, 1),
        reason="No budget\x0bleft\x07",
    )
    trip = DelegationFactory(
        title="Jubilee\x0btrip\x1b",
        status="completed",
        city=city,
        partnership=partnership,
        start_on=datetime.date(2025, 5, 1),
    )
    ParticipantFactory(delegation=trip, person__title="Lord Mayor")  # the mayor's trips are listed by title
    request = ReportRequest.objects.create(year=2025)

    version = report_generate(request_id=request.pk)

    assert ReportRequest.objects.get(pk=request.pk).status == "done"
    version = ReportVersion.objects.get(pk=version.pk)
    workbook = load_workbook(io.BytesIO(bytes(version.xlsx)))
    texts = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert {"Lyon Métropole", "No budget left", "Jubilee trip"} <= set(texts)
    assert not any(character in str(cell) for cell in texts for character in "\x0b\x01\x07\x1b")
    assert "Lyon Métropole" in version.html
    assert "\x0b" not in version.html
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(version.pdf))).pages)
    assert "Jubilee trip" in pdf_text
