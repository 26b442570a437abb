"""Shared reads of the delegations app, above all the counting rules of the
annual council report. The report and the dashboard both call
``travel_figures`` so they can never disagree.

Counting rules (a delegation belongs to the year its start date falls in;
only completed delegations count: ``DelegationQuerySet.counted_in``):
- visits abroad: the number of completed outbound delegations;
- people involved: distinct named persons across those trips, plus the sum
  of their head-counts (unnamed members);
- delegations received: the number of completed inbound delegations;
- visitors received: their total size (named participants + head-count:
  ``DelegationQuerySet.with_size``);
- official guests: the inbound delegations hosted by the city, and their size.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from partners.choices import ReviewStatus, Status
from partners.models import Exchange, Partnership
from partners.selectors import months_before

from .choices import Direction
from .models import INACTIVE_STATUSES, Delegation, Participant, counting_year


@dataclass(frozen=True)
class TravelFigures:
    year: int
    visits_abroad: int
    people_involved: int
    delegations_received: int
    visitors_received: int
    official_guest_delegations: int
    official_guest_visitors: int


def travel_figures(year: int) -> TravelFigures:
    """The year's figures in three SQL queries, however many delegations."""
    return travel_figures_of(year, year)[year]


def travel_figures_of(first: int, last: int) -> dict[int, TravelFigures]:
    """The figures of each year from ``first`` to ``last``, by the same rules,
    in three SQL queries grouped by counting year (the report reads a year and
    the one before), however many years and delegations."""

    def by_year(queryset, prefix: str = "", **aggregates) -> dict[int, dict]:
        rows = queryset.annotate(y=counting_year(prefix)).order_by().values("y").annotate(**aggregates)
        return {row["y"]: row for row in rows}

    trips = Delegation.objects.counted_in(first, last).filter(direction=Direction.OUTBOUND)
    outbound = by_year(trips, visits=Count("pk"), head_counts=Sum("head_count"))
    named_travellers = by_year(
        Participant.objects.filter(delegation__in=trips), "delegation__", n=Count("person", distinct=True)
    )
    visits = Delegation.objects.counted_in(first, last).filter(direction=Direction.INBOUND).with_size()
    inbound = by_year(
        visits,
        delegations=Count("pk"),
        visitors=Sum("total_size"),
        guest_delegations=Count("pk", filter=Q(official_guest=True)),
        guest_visitors=Coalesce(Sum("total_size", filter=Q(official_guest=True)), 0),
    )
    figures = {}
    for year in range(first, last + 1):
        trips_of, inbound_of = outbound.get(year, {}), inbound.get(year, {})
        figures[year] = TravelFigures(
            year=year,
            visits_abroad=trips_of.get("visits", 0),
            people_involved=named_travellers.get(year, {}).get("n", 0) + (trips_of.get("head_counts") or 0),
            delegations_received=inbound_of.get("delegations", 0),
            visitors_received=inbound_of.get("visitors") or 0,
            official_guest_delegations=inbound_of.get("guest_delegations", 0),
            official_guest_visitors=inbound_of.get("guest_visitors", 0),
        )
    return figures


# A partnership without exchange or delegation this long is suggested as dormant.
DORMANT_AFTER_MONTHS = 24


def possibly_dormant(today: datetime.date, months: int = DORMANT_AFTER_MONTHS):
    """Active partnerships with no exchange (other than a draft) and no delegation
    taking place in the last ``months`` months: a suggestion for staff to look
    at, never a status change. One SQL query."""
    since = months_before(today, months)
    exchanges = Exchange.objects.filter(partnership=OuterRef("pk"), ends_on__gte=since).exclude(
        review_status=ReviewStatus.DRAFT
    )
    delegations = Delegation.objects.filter(partnership=OuterRef("pk"), end_on__gte=since).exclude(
        status__in=INACTIVE_STATUSES
    )
    return (
        Partnership.objects.with_status()
        .filter(current_status=Status.ACTIVE, formalised_on__lt=since)
        .filter(~Exists(exchanges), ~Exists(delegations))
        .select_related("partner_city")
        .order_by("partner_city__name")
    )
