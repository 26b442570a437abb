"""Section "Networks": the memberships the city held during the year, their
fees (due and paid), the roles our officials held, the meetings attended
and what the memberships yielded. A membership or role counts for a year
when it overlaps the year by at least one day."""

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from budget.models import Expense
from networks.choices import ActivityKind
from networks.models import Membership, NetworkActivity, NetworkRole
from networks.selectors import held_during

from .common import ZERO, aggregate_together, column, figure, money, table, year_bounds

KEY = "networks"
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


# A membership or role counts for the year it overlaps by a day (the rule the lists' year filter shares).
overlapping = held_during


def _memberships_held(year: int) -> list[tuple]:
    """One row per network with a membership held during the year: its name,
    the lead department and fee of the latest such membership, the fees paid,
    roles held, meetings and outcomes of the year. One query: the roles,
    activities and fee payments grouped by network one after the other (UNION
    ALL), summed beside each network's latest membership; a subquery per
    network and figure cost more to build than to run."""
    none, no_money = Value(0), Value(ZERO, output_field=MONEY_FIELD)
    held, held_params = (
        Membership.objects.filter(overlapping(year, "since", "until"))
        .order_by("network", "-since")
        .distinct("network")
        .values("network", "yearly_fee", name=F("network__name"), lead=F("lead_department__name"))
        .query.sql_with_params()
    )
    roles = (
        NetworkRole.objects.filter(overlapping(year, "starts_on", "ends_on"))
        .order_by()
        .values(n=F("network"))
        .annotate(roles=Count("pk"), meetings=none, outcomes=none, paid=no_money)
    )
    activities = (
        NetworkActivity.objects.filter(date__year=year)
        .order_by()
        .values(n=F("network"))
        .annotate(
            roles=none,
            meetings=Count("pk", filter=Q(kind=ActivityKind.MEETING)),
            outcomes=Count("pk", filter=~Q(kind=ActivityKind.MEETING)),
            paid=no_money,
        )
    )
    paid = (
        Expense.objects.filter(membership__isnull=False, date__year=year)
        .order_by()
        .values(n=F("membership__network"))
        .annotate(roles=none, meetings=none, outcomes=none, paid=Sum("amount"))
    )
    parts, parts_params = roles.union(activities, paid, all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH held AS ({held}), part AS ({parts})
            SELECT held.name, held.lead, held.yearly_fee, COALESCE(SUM(part.paid), 0),
                   COALESCE(SUM(part.roles), 0)::bigint, COALESCE(SUM(part.meetings), 0)::bigint,
                   COALESCE(SUM(part.outcomes), 0)::bigint
            FROM held LEFT JOIN part ON part.n = held.network
            GROUP BY held.network, held.name, held.lead, held.yearly_fee
            ORDER BY held.name, held.network
            """,
            (*held_params, *parts_params),
        )
        return cursor.fetchall()


def build(year: int) -> dict:
    first, last = year_bounds(year)
    outcome = ~Q(kind=ActivityKind.MEETING)
    totals = aggregate_together(
        memberships=(
            Membership.objects.all(),
            {
                "now": Count("pk", filter=overlapping(year, "since", "until")),
                "before": Count("pk", filter=overlapping(year - 1, "since", "until")),
                "fees_now": Coalesce(Sum("yearly_fee", filter=overlapping(year, "since", "until")), ZERO),
                "fees_before": Coalesce(Sum("yearly_fee", filter=overlapping(year - 1, "since", "until")), ZERO),
            },
        ),
        paid=(
            Expense.objects.filter(membership__isnull=False),
            {
                "now": Coalesce(Sum("amount", filter=Q(date__year=year)), ZERO),
                "before": Coalesce(Sum("amount", filter=Q(date__year=year - 1)), ZERO),
            },
        ),
        roles=(
            NetworkRole.objects.all(),
            {
                "now": Count("pk", filter=overlapping(year, "starts_on", "ends_on")),
                "before": Count("pk", filter=overlapping(year - 1, "starts_on", "ends_on")),
            },
        ),
        activities=(
            NetworkActivity.objects.filter(date__year__in=[year - 1, year]),
            {
                "meetings": Count("pk", filter=Q(kind=ActivityKind.MEETING, date__year=year)),
                "meetings_before": Count("pk", filter=Q(kind=ActivityKind.MEETING, date__year=year - 1)),
                "outcomes": Count("pk", filter=outcome & Q(date__year=year)),
                "outcomes_before": Count("pk", filter=outcome & Q(date__year=year - 1)),
            },
        ),
    )
    memberships, paid, roles, activities = (totals[part] for part in ("memberships", "paid", "roles", "activities"))
    networks = _memberships_held(year)
    # Plain rows with the columns the tables print, not models.
    role_rows = list(
        NetworkRole.objects.filter(overlapping(year, "starts_on", "ends_on"))
        .order_by("network__name", "body", "title", "pk")
        .values("body", "title", network_name=F("network__name"), person_name=F("person__name"))
    )
    outcome_rows = list(
        NetworkActivity.objects.filter(outcome, date__year=year)
        .order_by("date", "pk")
        .values("date", "kind", "title", network_name=F("network__name"))
    )
    kinds = dict(ActivityKind.choices)

    return {
        "key": KEY,
        "title": _("Networks"),
        "intro": _("Memberships in international city networks and what they yielded."),
        "figures": [
            figure("memberships", _("Memberships"), memberships["now"], memberships["before"]),
            figure("fees_due", _("Yearly fees"), memberships["fees_now"], memberships["fees_before"], "money"),
            figure("fees_paid", _("Fees paid"), paid["now"], paid["before"], "money"),
            figure("roles", _("Roles held by our officials"), roles["now"], roles["before"]),
            figure("meetings", _("Meetings attended"), activities["meetings"], activities["meetings_before"]),
            figure("outcomes", _("Outcomes recorded"), activities["outcomes"], activities["outcomes_before"]),
        ],
        "tables": [
            table(
                "memberships",
                _("Memberships during the year"),
                [
                    column("network", _("Network")),
                    column("lead", _("Lead department")),
                    column("fee", _("Yearly fee"), "money"),
                    column("paid", _("Fees paid"), "money"),
                    column("roles", _("Roles held"), "int"),
                    column("meetings", _("Meetings attended"), "int"),
                    column("outcomes", _("Outcomes"), "int"),
                ],
                [
                    [name, lead or "", money(fee), money(paid), roles, meetings, outcomes]
                    for name, lead, fee, paid, roles, meetings, outcomes in networks
                ],
            ),
            table(
                "roles",
                _("Roles held by our officials"),
                [
                    column("network", _("Network")),
                    column("body", _("Body")),
                    column("title", _("Role")),
                    column("person", _("Held by")),
                ],
                [[r["network_name"], r["body"], r["title"], r["person_name"]] for r in role_rows],
            ),
            table(
                "outcomes",
                _("What the memberships yielded"),
                [
                    column("date", _("Date"), "date"),
                    column("network", _("Network")),
                    column("kind", _("Kind")),
                    column("title", _("Outcome")),
                ],
                [
                    [a["date"].isoformat(), a["network_name"], str(kinds.get(a["kind"], a["kind"])), a["title"]]
                    for a in outcome_rows
                ],
            ),
        ],
        "charts": [],
    }
