"""Section "Travel abroad": the year's completed trips of our officials.

The headline counts come from ``delegations.selectors.outbound_figures_of`` (the
counting rules, shared with the dashboard's ``travel_figures``); the breakdowns follow the same
rules (``Delegation.objects.counted_in``): completed outbound delegations, in
the year their start date falls in. The breakdowns by country, purpose,
department and month are one grouped query over both years.
"""

from django.conf import settings
from django.db.models import DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from delegations.choices import CostCategory, Direction, Purpose
from delegations.models import Cost, Delegation, counting_year
from delegations.selectors import outbound_figures_of

from .breakdowns import breakdowns_by_year, counts, month_series, places
from .common import (
    ZERO,
    column,
    compared_rows,
    country_label,
    figure,
    money,
    region_label,
    sum_by_region,
    table,
    year_columns,
)

KEY = "travel"
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def mayor_q(prefix: str = "") -> Q:
    """A delegation with one of ``OIA_MAYOR_TITLES`` among its named participants."""
    q = Q()
    for title in settings.OIA_MAYOR_TITLES:
        q |= Q(**{f"{prefix}participants__person__title__iexact": title})
    return q


def city_cost():
    """What a trip cost the city: actual amounts where booked, else estimated."""
    return Coalesce(
        Sum(Coalesce("costs__actual", "costs__estimated"), filter=Q(costs__payer="city")),
        ZERO,
        output_field=MONEY_FIELD,
    )


def build(year: int) -> dict:
    figures = outbound_figures_of(year - 1, year)
    now, before = figures[year], figures[year - 1]
    trips = Delegation.objects.counted_in(year - 1, year).filter(direction=Direction.OUTBOUND)

    breakdowns = breakdowns_by_year(
        trips,
        year,
        "country",
        "purpose",
        measures={"n": "COUNT(*)"},
        department_name=F("department__name"),
        month=ExtractMonth("start_on"),
    )
    countries, countries_before = counts(breakdowns["country"])
    purposes, purposes_before = counts(breakdowns["purpose"])
    departments, departments_before = counts(breakdowns["department_name"])
    mayor_ids = trips.filter(mayor_q()).values("pk")
    mayors = list(
        Delegation.objects.filter(pk__in=mayor_ids)
        .annotate(city_cost=city_cost(), y=counting_year())
        .order_by("start_on", "pk")
        .values("start_on", "title", "purpose", "country", "city_cost", "y", "city_id", city_name=F("city__name"))
    )
    costs = (
        Cost.objects.filter(delegation__in=trips, payer="city")
        .annotate(y=counting_year("delegation__"))
        .order_by()
        .values("y", "category")
        .annotate(total=Sum(Coalesce("actual", "estimated")))
    )
    by_category, by_category_before = {}, {}
    for row in costs:
        (by_category if row["y"] == year else by_category_before)[row["category"]] = row["total"]
    cost_now = sum(by_category.values(), ZERO)
    cost_before = sum(by_category_before.values(), ZERO)
    mayor_now = [trip for trip in mayors if trip["y"] == year]
    purpose_labels = dict(Purpose.choices)
    category_labels = dict(CostCategory.choices)

    def labelled(rows, labels):
        return [[str(labels.get(label, label or _("Unknown"))), *rest] for label, *rest in rows]

    return {
        "key": KEY,
        "title": _("Travel abroad"),
        "intro": _("Completed official trips abroad that started in the year."),
        "figures": [
            figure("visits_abroad", _("Visits abroad"), now["visits_abroad"], before["visits_abroad"]),
            figure("people_involved", _("People involved"), now["people_involved"], before["people_involved"]),
            figure("mayor_trips", _("Trips of the mayor"), len(mayor_now), len(mayors) - len(mayor_now)),
            figure("travel_cost", _("Cost to the city"), cost_now, cost_before, kind="money"),
        ],
        "tables": [
            table(
                "by_region",
                _("Visits abroad by world region"),
                year_columns(_("World region"), year),
                [
                    [region_label(region), *rest]
                    for region, *rest in compared_rows(sum_by_region(countries), sum_by_region(countries_before))
                ],
            ),
            table(
                "by_country",
                _("Visits abroad by destination country"),
                year_columns(_("Country"), year),
                [[country_label(c), *rest] for c, *rest in compared_rows(countries, countries_before)],
            ),
            table(
                "by_purpose",
                _("Visits abroad by purpose"),
                year_columns(_("Purpose"), year),
                labelled(compared_rows(purposes, purposes_before), purpose_labels),
            ),
            table(
                "by_department",
                _("Visits abroad by organising department"),
                year_columns(_("Department"), year),
                labelled(compared_rows(departments, departments_before), {}),
            ),
            table(
                "mayor_trips",
                _("The mayor's trips"),
                [
                    column("date", _("Start"), "date"),
                    column("trip", _("Trip")),
                    column("destination", _("Destination")),
                    column("purpose", _("Purpose")),
                    column("cost", _("Cost to the city"), "money"),
                ],
                [
                    [
                        trip["start_on"].isoformat(),
                        trip["title"],
                        trip["city_name"] if trip["city_id"] else country_label(str(trip["country"])),
                        str(purpose_labels.get(trip["purpose"], trip["purpose"])),
                        money(trip["city_cost"]),
                    ]
                    for trip in mayor_now
                ],
            ),
            table(
                "cost_by_category",
                _("Cost of the trips to the city by category"),
                year_columns(_("Category"), year, "money"),
                labelled(compared_rows(by_category, by_category_before, "money"), category_labels),
            ),
        ],
        "charts": [
            {
                "key": "trips_per_month",
                "kind": "months",
                "title": _("Visits abroad per month"),
                "year": year,
                "series": month_series(breakdowns["month"]),
            },
            {
                "key": "trips_by_region",
                "kind": "bars",
                "title": _("Visits abroad by world region"),
                "year": year,
                "table": "by_region",
            },
        ],
        "places": places(trips, year),
    }
