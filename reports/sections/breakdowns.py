"""Breakdowns of delegations over the report's year and the year before,
shared by the sections "Travel abroad" and "Visitors received". Each groups
by the year a delegation counts in (``delegations.models.counting_year``) in
one query, so both years come from the same rows."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from delegations.models import counting_year


def by_year(queryset, field: str, year: int, aggregate=None) -> tuple[dict, dict]:
    """One grouped query: ``{field value: count}`` for ``year`` and the year before."""
    current, previous = measures_by_year(queryset, field, year, n=aggregate or Count("pk"))
    return {key: row["n"] for key, row in current.items()}, {key: row["n"] for key, row in previous.items()}


def measures_by_year(queryset, field: str, year: int, **aggregates) -> tuple[dict, dict]:
    """One grouped query for several measures at once: ``{field value: {name:
    value}}`` for ``year`` and the year before."""
    rows = queryset.annotate(y=counting_year()).order_by().values("y", field).annotate(**aggregates)
    current, previous = {}, {}
    for row in rows:
        (current if row["y"] == year else previous)[row[field]] = row
    return current, previous


def measure(rows: dict, name: str) -> dict:
    """``{key: value}`` of one measure of ``measures_by_year``'s rows."""
    return {key: row[name] for key, row in rows.items()}


def per_month(queryset, year: int) -> dict:
    """Delegations per month of their start, for ``year`` and the year before."""
    rows = (
        queryset.annotate(y=counting_year(), m=ExtractMonth("start_on"))
        .order_by()
        .values("y", "m")
        .annotate(n=Count("pk"))
    )
    series = {"current": [0] * 12, "previous": [0] * 12}
    for row in rows:
        series["current" if row["y"] == year else "previous"][row["m"] - 1] = row["n"]
    return series


def places(queryset, year: int) -> list[dict]:
    """Cities with coordinates and how many delegations went there (or came from there)."""
    rows = (
        queryset.in_years(year)
        .filter(city__latitude__isnull=False, city__longitude__isnull=False)
        .order_by()
        .values("city__name", "city__country", "city__latitude", "city__longitude")
        .annotate(n=Count("pk"))
        .order_by("-n", "city__name")
    )
    return [
        {
            "city": row["city__name"],
            "country": str(row["city__country"]),
            "latitude": float(row["city__latitude"]),
            "longitude": float(row["city__longitude"]),
            "count": row["n"],
        }
        for row in rows
    ]
