"""Section "Gifts" of the council report, on a hand-built year whose answers
are known, in the figures (the version's JSON), the HTML, the XLSX and the PDF."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.render import render_html, render_pdf, render_xlsx
from reports.sections import build_figures, canonical_json
from tests.factories import DelegationFactory, GiftFactory
from tests.reports.figures import rows, section

D = datetime.date


def values(figures):
    return {f["key"]: (f["value"], f["previous"]) for f in section(figures, "gifts")["figures"]}


@pytest.fixture
def gifts_2025(db):
    """2025, completed: the mayor's trip to Kraków (a vase given, €120; a book received,
    €30; a pin received, €20) and visitors from Lyon (a plate given at exactly €25;
    a painting received without a value). Not counted: a €500 gift on an approved
    trip that has not taken place yet, a €900 one on a cancelled trip.
    2024, completed: a clock given, €300."""
    krakow = DelegationFactory(title="Mayor to Kraków", status="completed", start_on=D(2025, 5, 4))
    lyon = DelegationFactory(
        title="Visitors from Lyon", direction="inbound", status="completed", start_on=D(2025, 12, 30)
    )
    GiftFactory(delegation=krakow, description="Porcelain vase", value=Decimal("120"))
    GiftFactory(delegation=krakow, direction="received", description="History of Kraków", value=Decimal("30"))
    GiftFactory(delegation=krakow, direction="received", description="Lapel pin", value=Decimal("20"))
    GiftFactory(delegation=lyon, description="Plate", value=Decimal("25"))
    GiftFactory(delegation=lyon, direction="received", description="Painting", value=None)
    planned = DelegationFactory(title="Planned trip", status="approved", start_on=D(2025, 11, 1))
    GiftFactory(delegation=planned, description="Crystal bowl", value=Decimal("500"))
    cancelled = DelegationFactory(title="Cancelled trip", status="cancelled", start_on=D(2025, 3, 1))
    GiftFactory(delegation=cancelled, description="Silver tray", value=Decimal("900"))
    old = DelegationFactory(title="Jubilee in Lyon", status="completed", start_on=D(2024, 6, 1))
    GiftFactory(delegation=old, description="Clock", value=Decimal("300"))


EXPECTED_ROWS = [
    ["Porcelain vase", "Given", "Mayor to Kraków", "2025-05-04", "120.00"],
    ["History of Kraków", "Received", "Mayor to Kraków", "2025-05-04", "30.00"],
]


def test_gifts_of_completed_delegations_count_in_the_delegations_year(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert values(figures) == {"given": (2, 1), "received": (3, 0), "above_threshold": (2, 1)}


def test_gifts_above_the_threshold_are_listed_without_the_person(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert rows(figures, "gifts", "above_threshold") == EXPECTED_ROWS
    gifts = section(figures, "gifts")
    assert "Gifts worth more than €25.00 must be declared" in gifts["intro"]
    assert "Mayor" not in canonical_json(gifts["tables"]).replace("Mayor to Kraków", "")


def test_the_json_of_a_version_carries_the_same_figures(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    stored = json.loads(canonical_json(figures))
    gifts = section(stored, "gifts")
    assert [(f["key"], f["value"], f["previous"], f["change"]) for f in gifts["figures"]] == [
        ("given", 2, 1, 1),
        ("received", 3, 0, 3),
        ("above_threshold", 2, 1, 1),
    ]
    assert rows(stored, "gifts", "above_threshold") == EXPECTED_ROWS


def test_the_threshold_is_the_setting_and_changes_the_checksum(gifts_2025, settings):
    before = build_figures(2025, cut_off="x")[1]
    settings.OIA_GIFT_DECLARATION_THRESHOLD = Decimal("100")

    figures, after = build_figures(2025, cut_off="x")

    assert values(figures)["above_threshold"] == (1, 1)
    assert [row[0] for row in rows(figures, "gifts", "above_threshold")] == ["Porcelain vase"]
    assert after != before


def test_html_shows_the_figures_and_the_table(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    html = render_html(figures)

    match = re.search(r'<section class="report-section" id="section-gifts".*?</section>', html, re.S)
    assert match
    gifts = " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())
    assert "Gifts given 2 1 +1" in gifts
    assert "Gifts received 3 0 +3" in gifts
    assert "Gifts above the declaration threshold 2 1 +1" in gifts
    assert "Porcelain vase Given Mayor to Kraków 2025-05-04 €120.00" in gifts
    assert "History of Kraków Received Mayor to Kraków 2025-05-04 €30.00" in gifts
    for not_counted in ("Clock", "Crystal bowl", "Silver tray"):
        assert not_counted not in gifts


def test_xlsx_has_a_gifts_sheet_with_numbers(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    workbook = load_workbook(io.BytesIO(render_xlsx(figures)))

    sheet = next(ws for ws in workbook.worksheets if ws.title.endswith(" Gifts"))
    cells = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    figures_by_label = {row[0]: row[1:4] for row in cells}
    assert figures_by_label["Gifts given"] == (2, 1, 1)
    assert figures_by_label["Gifts above the declaration threshold"] == (2, 1, 1)
    assert ("Porcelain vase", "Given", "Mayor to Kraków", "2025-05-04", 120) in [row[:5] for row in cells]


def test_pdf_prints_the_section(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(figures))).pages)

    assert "Gifts above the declaration threshold" in text
    assert "Porcelain vase" in text


def test_the_method_section_says_how_gifts_count(gifts_2025):
    figures, _ = build_figures(2025, cut_off="x")

    method = dict(rows(figures, "method", "rules"))
    assert "more than €25.00" in method["Gifts"]


def test_the_section_costs_a_fixed_number_of_queries(gifts_2025, django_assert_max_num_queries):
    for n in range(20):
        trip = DelegationFactory(status="completed", start_on=D(2025, 1 + n % 12, 1))
        GiftFactory(delegation=trip, value=Decimal(100 + n))

    from reports.sections import gifts

    with django_assert_max_num_queries(2):
        built = gifts.build(2025)

    assert len(built["tables"][0]["rows"]) == 22
