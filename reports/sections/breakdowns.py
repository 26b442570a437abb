"""Breakdowns of delegations over the report's year and the year before,
shared by the sections "Travel abroad" and "Visitors received". They group
by the year a delegation counts in (``delegations.models.counting_year``) in
one query, so both years come from the same rows."""

from django.db import connection
from django.db.models import Count

from delegations.models import counting_year


def breakdowns_by_year(
    queryset, year: int, *fields: str, measures: dict[str, str], columns: tuple = (), **expressions
) -> dict:
    """Several breakdowns of the same delegations in ONE query: for each of
    ``fields`` (and named ``expressions``), ``{key: {measure: value}}`` for
    ``year`` and the year before, as a pair of dicts. The rows' keys are read
    once (``queryset.values``) and grouped with GROUPING SETS, one set per
    breakdown: one grouped query per breakdown built and compiled the same ORM
    expressions again for each (most of the figures' time at a small office).
    ``measures`` are SQL aggregates over the rows' columns, e.g.
    ``{"n": "COUNT(*)"}``, over the keys and the other ``columns`` read."""
    keys = [*fields, *expressions]
    rows, params = (
        queryset.order_by().values(*fields, *columns, y=counting_year(), **expressions).query.sql_with_params()
    )
    quoted = [connection.ops.quote_name(key) for key in keys]
    every = (1 << len(keys)) - 1
    # GROUPING(k1, ..., kn) sets a bit for each key a row is not grouped by.
    key_of_grouping = {every ^ (1 << (len(keys) - 1 - i)): i for i in range(len(keys))}
    aggregates = ", ".join(f"{sql} AS {connection.ops.quote_name(name)}" for name, sql in measures.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH counted AS ({rows})
            SELECT GROUPING({", ".join(quoted)}), y, {", ".join(quoted)}, {aggregates}
            FROM counted
            GROUP BY GROUPING SETS ({", ".join(f"(y, {key})" for key in quoted)})
            """,
            params,
        )
        found = cursor.fetchall()
    breakdowns = {key: ({}, {}) for key in keys}
    for grouping, y, *values in found:
        i = key_of_grouping[grouping]
        current, previous = breakdowns[keys[i]]
        (current if y == year else previous)[values[i]] = dict(zip(measures, values[len(keys) :], strict=True))
    return breakdowns


def measure(rows: dict, name: str) -> dict:
    """``{key: value}`` of one measure of a breakdown's rows."""
    return {key: row[name] for key, row in rows.items()}


def counts(breakdown: tuple[dict, dict], name: str = "n") -> tuple[dict, dict]:
    """``{key: value}`` of one measure for the year and the year before."""
    current, previous = breakdown
    return measure(current, name), measure(previous, name)


def month_series(breakdown: tuple[dict, dict], name: str = "n") -> dict:
    """A breakdown by month (1 to 12) as the chart's two series of twelve."""
    current, previous = counts(breakdown, name)
    return {
        "current": [current.get(month, 0) for month in range(1, 13)],
        "previous": [previous.get(month, 0) for month in range(1, 13)],
    }


def places(queryset, year: int) -> list[dict]:
    """Cities with coordinates and how many delegations went there (or came from there)."""
    rows = (
        queryset.in_years(year)
        .filter(city__latitude__isnull=False, city__longitude__isnull=False)
        .order_by()
        .values_list("city__name", "city__country", "city__latitude", "city__longitude")
        .annotate(n=Count("pk"))
        .order_by("-n", "city__name")
    )
    # Tuples, not a dict per row: a large office has thousands of places.
    return [
        {"city": city, "country": str(country), "latitude": float(latitude), "longitude": float(longitude), "count": n}
        for city, country, latitude, longitude, n in rows
    ]
