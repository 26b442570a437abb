"""Shared reads of the delegations app, above all the counting rules of the
annual council report. The dashboard calls ``travel_figures``, the report
its two halves (``outbound_figures_of``, ``inbound_figures_of``), so they can
never disagree.

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
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from partners.choices import ReviewStatus, Status
from partners.models import Exchange, Partnership
from partners.selectors import months_before

from .choices import Direction
from .models import INACTIVE_STATUSES, Delegation, counting_year

# A day of the month calendar lists this many delegations; a link leads to the rest.
CALENDAR_SHOWN_PER_DAY = 3


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
    outbound, inbound = outbound_figures_of(first, last), inbound_figures_of(first, last)
    return {year: TravelFigures(year=year, **outbound[year], **inbound[year]) for year in range(first, last + 1)}


def _by_year(queryset, **aggregates) -> dict[int, dict]:
    rows = queryset.annotate(y=counting_year()).order_by().values("y").annotate(**aggregates)
    return {row["y"]: row for row in rows}


def outbound_figures_of(first: int, last: int) -> dict[int, dict]:
    """``visits_abroad`` and ``people_involved`` of each year, in two queries
    (the report's section on travel reads only these)."""
    trips = Delegation.objects.counted_in(first, last).filter(direction=Direction.OUTBOUND)
    outbound = _by_year(trips, visits=Count("pk"), head_counts=Sum("head_count"))
    # Joined from the years' trips (their index), not ``Participant.filter(delegation__in=trips)``,
    # which the planner answered by reading every participant of every year.
    named_travellers = _by_year(trips, n=Count("participants__person", distinct=True))
    figures = {}
    for year in range(first, last + 1):
        trips_of = outbound.get(year, {})
        figures[year] = {
            "visits_abroad": trips_of.get("visits", 0),
            "people_involved": named_travellers.get(year, {}).get("n", 0) + (trips_of.get("head_counts") or 0),
        }
    return figures


def inbound_figures_of(first: int, last: int) -> dict[int, dict]:
    """The delegations received, their visitors and the official guests of
    each year, in one query (the report's section on visitors reads only these)."""
    visits = Delegation.objects.counted_in(first, last).filter(direction=Direction.INBOUND).with_size()
    inbound = _by_year(
        visits,
        delegations=Count("pk"),
        visitors=Sum("total_size"),
        guest_delegations=Count("pk", filter=Q(official_guest=True)),
        guest_visitors=Coalesce(Sum("total_size", filter=Q(official_guest=True)), 0),
    )
    figures = {}
    for year in range(first, last + 1):
        inbound_of = inbound.get(year, {})
        figures[year] = {
            "delegations_received": inbound_of.get("delegations", 0),
            "visitors_received": inbound_of.get("visitors") or 0,
            "official_guest_delegations": inbound_of.get("guest_delegations", 0),
            "official_guest_visitors": inbound_of.get("guest_visitors", 0),
        }
    return figures


# A partnership without exchange or delegation this long is suggested as dormant.
DORMANT_AFTER_MONTHS = 24


def possibly_dormant(today: datetime.date, months: int = DORMANT_AFTER_MONTHS):
    """Active partnerships with no exchange (other than a draft) and no delegation
    taking place in the last ``months`` months: a suggestion for staff to look
    at, never a status change. One SQL query; each partnership carries
    ``partner_city_name``."""
    since = months_before(today, months)
    exchanges = Exchange.objects.filter(partnership=OuterRef("pk"), ends_on__gte=since).exclude(
        review_status=ReviewStatus.DRAFT
    )
    delegations = Delegation.objects.filter(partnership=OuterRef("pk"), end_on__gte=since).exclude(
        status__in=INACTIVE_STATUSES
    )
    # The current status is a column (kept by the database), so the planner knows how
    # many partnerships are active; each test of recent activity is one probe of a
    # partial index (delegation_partnership_end, exchange_partnership_end).
    return (
        Partnership.objects.filter(current_status=Status.ACTIVE, formalised_on__lt=since)
        .filter(~Exists(exchanges), ~Exists(delegations))
        .annotate(partner_city_name=F("partner_city__name"))
        .order_by("partner_city_name", "pk")
    )


@dataclass
class CalendarDay:
    """A day of the month calendar: how many delegations are away or visiting
    that day, and the first few of them (by start, title) to show."""

    count: int = 0
    delegations: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.delegations)


@dataclass(frozen=True)
class CalendarMonth:
    days: dict[datetime.date, CalendarDay]
    delegation_count: int  # delegations touching the month, each counted once


def calendar_month(
    delegations, *, first_day: datetime.date, last_day: datetime.date, shown_per_day: int = CALENDAR_SHOWN_PER_DAY
) -> CalendarMonth:
    """The month calendar of ``delegations`` (a filtered queryset) in one SQL
    query, whose cost follows the page, not the history: each day's count is
    a window over the month's days, and only the first ``shown_per_day``
    delegations of each day are read, with the few columns a calendar entry
    needs (the other fields are deferred)."""
    month, params = (
        delegations.overlapping(first_day, last_day)
        .order_by()
        .values("pk", "title", "direction", "status", "start_on", "end_on")
        .query.sql_with_params()
    )
    rows = Delegation.objects.raw(
        f"""
        WITH month AS ({month}),
        by_day AS (
            SELECT day::date AS day, month.*,
                   COUNT(*) OVER (PARTITION BY day) AS day_count,
                   ROW_NUMBER() OVER (PARTITION BY day ORDER BY start_on, title, pk) AS position
            FROM generate_series(%s::date, %s::date, interval '1 day') AS day
            JOIN month ON month.start_on <= day AND month.end_on >= day
        )
        SELECT pk AS id, title, direction, status, start_on, end_on, day, day_count,
               (SELECT COUNT(*) FROM month) AS month_count
        FROM by_day WHERE position <= %s ORDER BY day, position
        """,
        (*params, first_day, last_day, shown_per_day),
    )
    days: dict[datetime.date, CalendarDay] = {}
    month_count = 0
    for delegation in rows:
        day = days.setdefault(delegation.day, CalendarDay(count=delegation.day_count))
        day.delegations.append(delegation)
        month_count = delegation.month_count
    return CalendarMonth(days=days, delegation_count=month_count)


def active_partnerships_of(city_id: int):
    """The partnerships a delegation to or from the city may belong to without
    a second thought: the active ones (the delegation form narrows to them)."""
    return (
        Partnership.objects.filter(partner_city_id=city_id, current_status=Status.ACTIVE)
        .select_related("partner_city")
        .order_by("pk")
    )
