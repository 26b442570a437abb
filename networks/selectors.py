"""Shared reads of the networks app, used by the pages, the API and the dashboard.

A network's *current* membership is its latest one (by start); the list and
the API show its status, fee and lead department, all in the same query."""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from delegations.choices import Direction
from delegations.models import Delegation, Outcome

from .choices import MembershipStatus
from .models import FeeShare, Membership, MembershipReview, Network, NetworkActivity, NetworkRole

# The dashboard looks this far ahead for reviews and fees.
DUE_WITHIN_DAYS = 60


def current_role_q(today: datetime.date, prefix: str = "") -> Q:
    """Roles held on ``today``: no end, or an end today or later."""
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


def held_during(year: int, start: str, end: str, prefix: str = "") -> Q:
    """Memberships or roles held during ``year``: they overlap it by at least
    one day (started by 31 December, not ended before 1 January; no end means
    still held). The council report and the lists' year filters share it."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(**{f"{prefix}{start}__lte": last}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": first})
    )


def trips_for_activities() -> QuerySet[Delegation]:
    """The trips a meeting attended may be linked to: outbound delegations,
    newest first (the activity form and the API offer the same ones)."""
    return Delegation.objects.filter(direction=Direction.OUTBOUND).order_by("-start_on", "title", "pk")


def latest_membership(field: str) -> Subquery:
    """``field`` of the network's latest membership, for annotations and filters."""
    latest = Membership.objects.filter(network=OuterRef("pk")).order_by("-since", "-pk")
    return Subquery(latest.values(field)[:1])


def networks_for_list(today: datetime.date) -> QuerySet[Network]:
    """Networks with their current membership's facts and the number of roles
    our officials hold today: one query whatever the number of networks."""
    return (
        Network.objects.annotate(
            membership_id=latest_membership("pk"),
            membership_status=latest_membership("status"),
            yearly_fee=latest_membership("yearly_fee"),
            lead_department_name=latest_membership("lead_department__name"),
            current_role_count=Count("roles", filter=current_role_q(today, "roles__")),
        )
        # Grouping for the count drops Meta.ordering, so order explicitly (pk keeps pages stable).
        .order_by("name", "pk")
    )


def network_for_detail() -> QuerySet[Network]:
    """A network with everything its page shows, in a fixed number of queries."""
    return Network.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("lead_department").prefetch_related(
                Prefetch("fee_shares", queryset=FeeShare.objects.select_related("department")),
                Prefetch("reviews", queryset=MembershipReview.objects.order_by("-reviewed_on", "-pk")),
            ),
        ),
        Prefetch(
            "roles",
            queryset=NetworkRole.objects.select_related("person__department").order_by("-starts_on", "title", "pk"),
        ),
        Prefetch(
            "activities",
            queryset=NetworkActivity.objects.select_related("delegation__city").prefetch_related(
                Prefetch("delegation__outcomes", queryset=Outcome.objects.order_by("done", "due_on", "pk"))
            ),
        ),
    )


def split_roles(roles, today: datetime.date) -> tuple[list[NetworkRole], list[NetworkRole]]:
    """(current, past) roles: current ones have no end or end today or later."""
    current = [role for role in roles if role.ends_on is None or role.ends_on >= today]
    past = [role for role in roles if role.ends_on is not None and role.ends_on < today]
    return current, past


def memberships_due(today: datetime.date, days: int = DUE_WITHIN_DAYS) -> dict[str, list[Membership]]:
    """Memberships of networks we have not left whose review is due within
    ``days`` (or overdue), and those whose fee falls due within ``days``; one query."""
    horizon = today + datetime.timedelta(days=days)
    due_review = Q(review_on__lte=horizon)
    fee_due = Q(fee_due_on__gte=today, fee_due_on__lte=horizon)
    rows = list(
        Membership.objects.exclude(status=MembershipStatus.LEFT)
        .filter(due_review | fee_due)
        .select_related("network", "lead_department")
        .order_by("pk")
    )
    for membership in rows:
        membership.review_overdue = membership.review_on is not None and membership.review_on < today
    return {
        "review": sorted(
            (m for m in rows if m.review_on and m.review_on <= horizon), key=lambda m: (m.review_on, m.pk)
        ),
        "fees": sorted(
            (m for m in rows if m.fee_due_on and today <= m.fee_due_on <= horizon),
            key=lambda m: (m.fee_due_on, m.pk),
        ),
    }
