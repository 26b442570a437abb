"""What keeps the PDF quick without timing it: the fonts and the stylesheet are
made once per process, nothing is fetched over the network, the tables
come with their column widths so WeasyPrint does not measure every cell, the
user-agent stylesheet gives no pseudo-elements to every element, the
contents' dots are one text per line, the map's outline is simplified for print
and drawn once per process, the printed HTML is well-formed XML, parsed by
expat, and the PDF's streams are deflated at zlib's default level."""

import datetime
import io
import re
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.conf import settings
from pypdf import PdfReader

from oia import pdf  # the printer (fonts, stylesheets, fetcher) is shared by every PDF of the app
from oia.pdf import _document_class, _printer, _stylesheet, static_file
from partners import map_geometry as geo
from reports.render import render_html, render_pdf
from reports.render.html import present
from reports.render.pdf import pdf_html
from reports.render.tables import column_widths, text_width, with_column_widths
from reports.services import read_figures
from tests.factories import CityFactory, DelegationFactory, PartnershipFactory


@pytest.fixture
def figures(db):
    partnership = PartnershipFactory()
    DelegationFactory(
        status="completed", city=partnership.partner_city, partnership=partnership, start_on=datetime.date(2025, 5, 1)
    )
    return read_figures(2025)[0]


def test_two_reports_share_one_font_configuration_and_one_parsed_stylesheet(figures):
    _printer.cache_clear()
    _stylesheet.cache_clear()

    first, second = render_pdf(figures), render_pdf(figures)

    assert _printer.cache_info().misses == 1
    assert _printer.cache_info().hits >= 1
    assert _stylesheet.cache_info().misses == 1
    assert _stylesheet.cache_info().hits >= 1
    assert PdfReader(io.BytesIO(first)).pages[0].extract_text() == PdfReader(io.BytesIO(second)).pages[0].extract_text()


def test_the_printer_serves_its_own_static_files_from_disk():
    css = settings.BASE_DIR / "static" / "css" / "report-print.css"

    assert static_file(css.as_uri()) == css.resolve()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/logo.png",
        "https://example.org/font.woff2",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        (settings.BASE_DIR / "static" / ".." / "manage.py").as_uri(),
    ],
)
def test_the_printer_fetches_nothing_but_its_own_static_files(url):
    _fonts, fetcher = _printer()

    with pytest.raises(ValueError, match="fetches"):
        fetcher.fetch(url)


def test_each_pdf_table_has_one_width_per_column_adding_up_to_the_page(figures):
    report = with_column_widths(present(figures))

    tables = [t for s in report["sections"] for t in s["tables"]]
    assert tables
    for table in tables:
        assert len(table["widths"]) == len(table["columns"])
        assert sum(float(width) for width in table["widths"]) == pytest.approx(100, abs=0.01)
    for section in report["sections"]:
        if section["figures"]:
            assert len(section["figure_widths"]) == 4


def test_a_column_of_long_names_is_wider_than_a_column_of_small_numbers():
    widths = column_widths(
        [("Partnership", False), ("Trips", True)],
        [[("Council of European Municipalities and Regions", True, False), ("3", False, True)]],
        size_pt=9,
    )

    assert float(widths[0]) > 2 * float(widths[1])


def test_a_date_is_not_broken_at_its_hyphens_but_a_dash_may_break_a_name():
    date_only = column_widths(
        [("D", False), ("Reason", False)], [[("2026-03-26", False, False), ("x " * 200, False, False)]], size_pt=9
    )
    name_only = column_widths(
        [("N", False), ("Reason", False)], [[("Frankfurt–Kraków", False, False), ("x " * 200, False, False)]], size_pt=9
    )

    # Both first columns get only their narrowest width next to a long text:
    # the whole date, but only the longer half of the name.
    assert float(date_only[0]) * 178 / 100 >= text_width("2026-03-26", size_pt=9)
    assert float(name_only[0]) * 178 / 100 < text_width("Frankfurt–Kraków", size_pt=9)


def test_wide_letters_measure_wider_than_narrow_ones():
    assert text_width("WWWW", size_pt=9) > 2 * text_width("iiii", size_pt=9)
    assert text_width("Total", size_pt=9, bold=True) > text_width("Total", size_pt=9)


def test_the_web_page_keeps_the_automatic_columns_and_no_inline_style(figures):
    """The column widths are for the PDF only: the page's CSP allows no style attribute."""
    html = render_html(figures)

    assert "<colgroup" not in html
    assert not re.search(r"\sstyle=", html)


def test_the_map_draws_the_outline_simplified_for_print(figures):
    html = render_html(figures)

    assert geo.world_outline(geo.PRINT_OUTLINE).land in html
    assert geo.world_outline().land not in html


def test_the_lean_user_agent_stylesheet_prints_the_very_same_pdf(figures):
    import weasyprint

    assert _document_class() is not weasyprint.HTML  # the rules it trims are still worded as expected
    lean = render_pdf(figures)
    with mock.patch.object(pdf, "_document_class", return_value=weasyprint.HTML):
        stock = render_pdf(figures)

    assert lean == stock


def test_the_printed_html_is_well_formed_xml_so_expat_parses_it(figures):
    root = ElementTree.fromstring(pdf_html(figures))

    assert root.tag == "html"
    assert root.find("body") is not None


def test_names_with_markup_characters_print_the_same_through_expat(db):
    city = CityFactory(name='Saint-Ouen & <Les> "Mureaux" l\'Isle')
    partnership = PartnershipFactory(partner_city=city)
    DelegationFactory(status="completed", city=city, partnership=partnership, start_on=datetime.date(2025, 5, 1))
    figures = read_figures(2025)[0]
    import weasyprint

    root = ElementTree.fromstring(pdf_html(figures))
    lean = render_pdf(figures)
    with mock.patch.object(pdf, "_document_class", return_value=weasyprint.HTML):
        stock = render_pdf(figures)

    assert city.name in {"".join(cell.itertext()) for cell in root.iter("th")}
    assert lean == stock
    assert "Mureaux" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(lean)).pages)


def test_html_that_is_not_xml_prints_through_weasyprint_parser():
    html = '<html lang="en"><head><meta charset="utf-8"></head><body><p>A&nbsp;B<br>C</body></html>'

    text = PdfReader(io.BytesIO(pdf.print_pdf(html, "css/record-print.css"))).pages[0].extract_text()

    assert "A\xa0B" in text or "A B" in text
    assert "C" in text


def test_the_contents_give_each_section_its_page_after_a_row_of_dots(figures):
    contents = PdfReader(io.BytesIO(render_pdf(figures))).pages[1].extract_text()

    pages = [int(page) for page in re.findall(r"^[^.\n]+\.{20,}\s*(\d+)$", contents, re.MULTILINE)]
    assert len(pages) == 9  # eight data sections and the method
    assert pages == sorted(pages)
    assert pages[0] == 3


def test_the_pdf_streams_are_deflated_at_zlib_default_level_not_level_9(figures):
    """pydyf asks for level 9: three and a half times the time of level 6 for 3 % less size."""
    import zlib

    with mock.patch("zlib.compressobj", wraps=zlib.compressobj) as compressobj:
        document = render_pdf(figures)

    levels = {call.args[0] if call.args else call.kwargs.get("level") for call in compressobj.call_args_list}
    assert levels == {pdf.DEFLATE_LEVEL} == {6}
    assert len(PdfReader(io.BytesIO(document)).pages) > 2  # and the file reads as before


def test_the_map_outline_is_drawn_once_and_its_operators_printed_again_the_same(figures):
    """WeasyPrint parses a path point by point on every print; the map's outline
    (5,600 points) is parsed once per process and its drawing reused, byte for byte."""
    from weasyprint import svg
    from weasyprint.svg.path import path

    first, again = render_pdf(figures), render_pdf(figures)
    with mock.patch.dict(svg.TAGS, {"path": path}):
        drawn_anew = render_pdf(figures)

    assert first == again == drawn_anew
    kept = svg.TAGS["path"].args[1]  # the paths drawn once, by "d", font size and viewport
    outline = geo.world_outline(geo.PRINT_OUTLINE)
    assert {outline.land, outline.borders} <= {d for d, *_size in kept}
    assert all(len(d) >= pdf.REUSED_PATH_LENGTH for d, *_size in kept)
    assert len(kept) <= pdf.REUSED_PATHS


def test_a_long_path_with_markers_is_drawn_anew_on_every_print():
    from weasyprint import svg

    line = "M0 0" + "l1 1" * 600
    html = (
        '<html lang="en"><head><meta charset="utf-8"/></head><body><svg xmlns="http://www.w3.org/2000/svg" '
        'viewBox="0 0 700 700" width="100"><defs><marker id="dot" markerWidth="2" markerHeight="2">'
        '<circle cx="1" cy="1" r="1"/></marker></defs>'
        f'<path d="{line}" stroke="#000" marker-end="url(#dot)"/><path d="{line}h1" stroke="#000"/></svg></body></html>'
    )

    pdf.print_pdf(html, "css/record-print.css")

    kept = {d for d, *_size in svg.TAGS["path"].args[1]}
    assert f"{line}h1" in kept
    assert line not in kept
