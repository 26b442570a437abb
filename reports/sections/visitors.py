"""Section "Visitors received": completed inbound delegations that started in
the year, their visitors (named participants + head-count) and the official
guests of the city. Headline counts from ``inbound_figures_of``; the breakdowns
are one grouped query over both years with the delegation's size
(``DelegationQuerySet.with_size``) as a subquery."""

from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from delegations.choices import Direction, Purpose
from delegations.models import Delegation
from delegations.selectors import inbound_figures_of

from .breakdowns import breakdowns_by_year, counts, month_series, places
from .common import column, country_label, figure, region_label, sum_by_region, table

KEY = "visitors"


def two_measures(label, year, delegations, visitors, delegations_before, visitors_before, labels=None):
    """Rows of (label, delegations, visitors, delegations last year, visitors last year)."""
    keys = sorted(set(delegations) | set(delegations_before), key=lambda k: (-delegations.get(k, 0), str(k)))
    labels = labels or {}
    return [
        [
            str(labels.get(key, key)) if not callable(labels) else labels(key),
            delegations.get(key, 0),
            visitors.get(key, 0),
            delegations_before.get(key, 0),
            visitors_before.get(key, 0),
        ]
        for key in keys
    ]


def measure_columns(first_label, year: int) -> list[dict]:
    return [
        column("label", first_label),
        column("delegations", _("Delegations %(year)s") % {"year": year}, "int"),
        column("visitors", _("Visitors %(year)s") % {"year": year}, "int"),
        column("delegations_previous", _("Delegations %(year)s") % {"year": year - 1}, "int"),
        column("visitors_previous", _("Visitors %(year)s") % {"year": year - 1}, "int"),
    ]


def build(year: int) -> dict:
    figures = inbound_figures_of(year - 1, year)
    now, before = figures[year], figures[year - 1]
    visits = Delegation.objects.counted_in(year - 1, year).filter(direction=Direction.INBOUND).with_size()
    breakdowns = breakdowns_by_year(
        visits,
        year,
        "country",
        "purpose",
        measures={"n": "COUNT(*)", "people": "SUM(total_size)::bigint"},
        columns=("total_size",),
        month=ExtractMonth("start_on"),
    )
    countries, countries_before = counts(breakdowns["country"])
    country_people, country_people_before = counts(breakdowns["country"], "people")
    purposes, purposes_before = counts(breakdowns["purpose"])
    purpose_people, purpose_people_before = counts(breakdowns["purpose"], "people")

    return {
        "key": KEY,
        "title": _("Visitors received"),
        "intro": _("Completed visits of delegations from abroad that started in the year."),
        "figures": [
            figure(
                "delegations_received",
                _("Delegations received"),
                now["delegations_received"],
                before["delegations_received"],
            ),
            figure("visitors_received", _("Visitors received"), now["visitors_received"], before["visitors_received"]),
            figure(
                "official_guest_delegations",
                _("Delegations hosted as official guests"),
                now["official_guest_delegations"],
                before["official_guest_delegations"],
            ),
            figure(
                "official_guest_visitors",
                _("Official guests of the city"),
                now["official_guest_visitors"],
                before["official_guest_visitors"],
            ),
        ],
        "tables": [
            table(
                "by_region",
                _("Visitors by world region of origin"),
                measure_columns(_("World region"), year),
                two_measures(
                    _("World region"),
                    year,
                    sum_by_region(countries),
                    sum_by_region(country_people),
                    sum_by_region(countries_before),
                    sum_by_region(country_people_before),
                    region_label,
                ),
            ),
            table(
                "by_country",
                _("Visitors by country of origin"),
                measure_columns(_("Country"), year),
                two_measures(
                    _("Country"),
                    year,
                    countries,
                    country_people,
                    countries_before,
                    country_people_before,
                    country_label,
                ),
            ),
            table(
                "by_purpose",
                _("Visitors by purpose of the visit"),
                measure_columns(_("Purpose"), year),
                two_measures(
                    _("Purpose"),
                    year,
                    purposes,
                    purpose_people,
                    purposes_before,
                    purpose_people_before,
                    dict(Purpose.choices),
                ),
            ),
        ],
        "charts": [
            {
                "key": "visits_per_month",
                "kind": "months",
                "title": _("Delegations received per month"),
                "year": year,
                "series": month_series(breakdowns["month"]),
            },
            {
                "key": "visitors_by_region",
                "kind": "bars",
                "title": _("Visitors by world region of origin"),
                "year": year,
                "table": "by_region",
                "columns": [2, 4],  # visitors this year, visitors the year before
            },
        ],
        "places": places(visits, year),
    }
