"""The report as HTML: a fragment with the table of contents and one section
per builder (real headings, tables with captions and header cells, SVG charts
with a text alternative), stored on the version and shown inside the site."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from oia.money import format_money
from oia.text import without_control_characters

from . import charts

NUMERIC_KINDS = ("int", "money")


def format_value(kind: str, value, signed: bool = False) -> str:
    if value is None or value == "":
        return "—"
    if kind == "money":
        text = format_money(value)
        return f"+{text}" if signed and Decimal(value) > 0 else text
    if kind == "int":
        text = formats.number_format(value, 0, use_l10n=True, force_grouping=True)
        return f"+{text}" if signed and value > 0 else text
    return str(value)


def previous_year_missing(figures: dict) -> bool:
    """True when the office recorded nothing at all in the year before (it did
    not use oia yet, ``sections.coverage``): that year's figures and the changes
    then read "no data" instead of 0 and "+19". The figures themselves stay as
    they are; a version made before this flag existed prints as it did."""
    return not figures.get("previous_year_recorded", True)


def no_data() -> str:
    return _("no data")


# The columns of a table that hold the year before and the change (``common.year_columns``).
PREVIOUS_COLUMNS = ("previous", "change")


def _chart_labels() -> dict:
    # The key of a chart whose year before has no data, in place of that year's swatch.
    no_data_for = _("%(year)s: no data")
    return {
        "months": {
            "description": _(
                "Bar chart by month, %(year)s with %(previous)s in brackets: %(values)s. The same figures are in the tables."  # noqa: E501
            ),
            "description_no_previous": _(
                "Bar chart by month, %(year)s (no data for %(previous)s): %(values)s. The same figures are in the tables."  # noqa: E501
            ),
            "no_data": no_data_for,
        },
        "bars": {
            "description": _("Bar chart, %(year)s with %(previous)s in brackets: %(values)s."),
            "description_no_previous": _("Bar chart, %(year)s (no data for %(previous)s): %(values)s."),
            "no_data": no_data_for,
        },
        "map": {
            "destinations": _("Trips abroad"),
            "origins": _("Visitors from"),
            "description": _(
                "World map. Destinations of trips abroad: %(destinations)s. Origins of visitors: %(origins)s."
            ),
        },
    }


def _chart(section: dict, chart: dict, tables: dict, labels: dict, *, previous_missing: bool) -> str:
    chart_id = f"chart-{section['key']}-{chart['key']}"
    if chart["kind"] == "months":
        return charts.months_chart(
            chart_id,
            chart["title"],
            chart["year"],
            chart["series"],
            labels["months"],
            previous_missing=previous_missing,
        )
    if chart["kind"] == "bars":
        current, previous = chart.get("columns", [1, 2])
        rows = [[row[0], row[current], row[previous]] for row in tables.get(chart["table"], {}).get("rows", [])]
        return charts.bars_chart(
            chart_id, chart["title"], chart["year"], rows, labels["bars"], previous_missing=previous_missing
        )
    return ""


def _without_control_characters(data):
    """The figures with every text cleaned: a control character stored in a
    name or a reason would print as an empty box in the PDF."""
    if isinstance(data, str):
        return without_control_characters(data)
    if isinstance(data, dict):
        return {key: _without_control_characters(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_without_control_characters(value) for value in data]
    return data


def present(figures: dict) -> dict:
    """The figures ready for a template: formatted cells, SVG charts, anchors."""
    figures = _without_control_characters(figures)
    labels = _chart_labels()
    missing = previous_year_missing(figures)
    sections = []
    for number, section in enumerate(figures["sections"], start=1):
        tables = {t["key"]: t for t in section.get("tables", [])}
        sections.append(
            {
                "key": section["key"],
                "number": number,
                "anchor": f"section-{section['key']}",
                "title": section["title"],
                "intro": section.get("intro", ""),
                "figures": [
                    {
                        "label": f["label"],
                        "value": format_value(f["kind"], f["value"]),
                        "previous": no_data() if missing else format_value(f["kind"], f["previous"]),
                        "change": no_data() if missing else format_value(f["kind"], f["change"], signed=True),
                    }
                    for f in section.get("figures", [])
                ],
                "facts": section.get("facts", []),
                "charts": [
                    {
                        "title": chart["title"],
                        "svg": _chart(section, chart, tables, labels, previous_missing=missing),
                    }
                    for chart in section.get("charts", [])
                ],
                "tables": [
                    {
                        "id": f"table-{section['key']}-{t['key']}",
                        "caption": t["caption"],
                        "columns": [{**c, "numeric": c["kind"] in NUMERIC_KINDS} for c in t["columns"]],
                        "rows": [
                            [
                                {
                                    "text": no_data()
                                    if missing and c["key"] in PREVIOUS_COLUMNS
                                    else format_value(c["kind"], cell),
                                    "numeric": c["kind"] in NUMERIC_KINDS,
                                }
                                for c, cell in zip(t["columns"], row, strict=False)
                            ]
                            for row in t["rows"]
                        ],
                    }
                    for t in section.get("tables", [])
                ],
            }
        )
    places = {s["key"]: s.get("places") for s in figures["sections"]}
    if places.get("travel") is not None and sections:
        travel = next(s for s in sections if s["key"] == "travel")
        title = _("Destinations of trips abroad and origins of visitors")
        svg = charts.map_chart(
            "chart-travel-map", title, places.get("travel") or [], places.get("visitors") or [], labels["map"]
        )
        travel["charts"].append({"title": title, "svg": svg})
    return {"year": figures["year"], "sections": sections, "previous_missing": missing}


def render_html(figures: dict) -> str:
    return render_to_string("reports/report_body.html", {"report": present(figures)})
