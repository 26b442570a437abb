"""Building blocks every section builder uses, so that every section has the
same plain-JSON shape and the renderers can draw any section:

    {"key": "travel", "title": "...", "intro": "...",
     "figures": [{"key", "label", "kind", "value", "previous", "change"}],
     "tables": [{"key", "caption", "columns": [{"key", "label", "kind"}], "rows": [[...]]}],
     "charts": [{"key", "kind", "title", ...}]}

Kinds: ``int``, ``money`` (a string with two decimals, exact), ``text``,
``date``. Money is kept as a string so the checksum never depends on float
rounding.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Value
from django.utils.translation import gettext as _
from django_countries import countries

from partners.choices import Region, region_for_country

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value) -> str:
    if not value:  # the common case of a table's empty cells, without building a Decimal
        return "0.00"
    return str((Decimal(value)).quantize(CENT))


def change(value, previous):
    """The change from the previous year, in the value's own kind."""
    if isinstance(value, str) or isinstance(previous, str):
        return money(Decimal(value or 0) - Decimal(previous or 0))
    return (value or 0) - (previous or 0)


def figure(key: str, label, value, previous, kind: str = "int") -> dict:
    if kind == "money":
        value, previous = money(value), None if previous is None else money(previous)
    return {
        "key": key,
        "label": str(label),
        "kind": kind,
        "value": value,
        "previous": previous,
        "change": None if previous is None else change(value, previous),
    }


def column(key: str, label, kind: str = "text") -> dict:
    return {"key": key, "label": str(label), "kind": kind}


def table(key: str, caption, columns: list[dict], rows: list[list]) -> dict:
    return {"key": key, "caption": str(caption), "columns": columns, "rows": rows}


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def compared_rows(current: dict, previous: dict, kind: str = "int") -> list[tuple]:
    """Merge two ``{label: value}`` dicts into (label, value, previous, change)
    rows, largest first, so a country with trips only last year still shows."""
    zero = ZERO if kind == "money" else 0
    labels = sorted(set(current) | set(previous), key=lambda k: (-(current.get(k) or zero), str(k)))
    rows = []
    for label in labels:
        value, before = current.get(label) or zero, previous.get(label) or zero
        if kind == "money":
            value, before = money(value), money(before)
        rows.append((label, value, before, change(value, before)))
    return rows


def year_columns(first_label, year: int, kind: str = "int") -> list[dict]:
    return [
        column("label", first_label),
        column("value", str(year), kind),
        column("previous", str(year - 1), kind),
        column("change", _("Change"), kind),
    ]


def sum_by_region(by_country: dict) -> dict:
    """Add up ``{country code: n}`` by world region (``""`` when unknown)."""
    regions = {}
    for country, n in by_country.items():
        region = region_for_country(country) or ""
        regions[region] = regions.get(region, 0) + n
    return regions


def region_label(region: str) -> str:
    return str(Region(region).label) if region in Region.values else _("Unknown")


def country_label(code: str) -> str:
    return countries.name(code) or code or _("Unknown")


def aggregate_together(**parts) -> dict[str, dict]:
    """``queryset.aggregate(**aggregates)`` of several querysets in ONE query:
    ``parts`` maps a name to ``(queryset, aggregates)``; each part is one row
    (aggregates without GROUP BY) and the rows stand side by side (CROSS
    JOIN). Returns ``{name: {aggregate: value}}``. A section's headline
    totals over several tables cost one round trip, not one each."""
    selects, params, names = [], [], []
    for name, (queryset, aggregates) in parts.items():
        # A constant in values() groups by nothing: one row, even over no rows.
        sql, part_params = queryset.order_by().values(part=Value(name)).annotate(**aggregates).query.sql_with_params()
        selects.append(f"({sql}) AS {connection.ops.quote_name(name)}")
        params.extend(part_params)
        names.append((name, list(aggregates)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {' CROSS JOIN '.join(selects)}", params)
        row = iter(cursor.fetchone())
    found = {}
    for name, aggregates in names:
        next(row)  # the part's name
        found[name] = {aggregate: next(row) for aggregate in aggregates}
    return found
