"""Section "Networks": the memberships the city held during the year, their
fees (due and paid), the roles our officials held, the meetings attended
and what the memberships yielded. A membership or role counts for a year
when it overlaps the year by at least one day."""

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from budget.models import Expense
from networks.choices import ActivityKind
from networks.models import Membership, Network, NetworkActivity, NetworkRole
from networks.selectors import held_during

from .common import ZERO, column, figure, money, table, year_bounds

KEY = "networks"
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


# A membership or role counts for the year it overlaps by a day (the rule the lists' year filter shares).
overlapping = held_during


def _count(queryset):
    rows = queryset.order_by().values("network").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def build(year: int) -> dict:
    first, last = year_bounds(year)
    memberships = Membership.objects.aggregate(
        now=Count("pk", filter=overlapping(year, "since", "until")),
        before=Count("pk", filter=overlapping(year - 1, "since", "until")),
        fees_now=Coalesce(Sum("yearly_fee", filter=overlapping(year, "since", "until")), ZERO),
        fees_before=Coalesce(Sum("yearly_fee", filter=overlapping(year - 1, "since", "until")), ZERO),
    )
    paid = Expense.objects.filter(membership__isnull=False).aggregate(
        now=Coalesce(Sum("amount", filter=Q(date__year=year)), ZERO),
        before=Coalesce(Sum("amount", filter=Q(date__year=year - 1)), ZERO),
    )
    roles = NetworkRole.objects.aggregate(
        now=Count("pk", filter=overlapping(year, "starts_on", "ends_on")),
        before=Count("pk", filter=overlapping(year - 1, "starts_on", "ends_on")),
    )
    outcome = ~Q(kind=ActivityKind.MEETING)
    activities = NetworkActivity.objects.filter(date__year__in=[year - 1, year]).aggregate(
        meetings=Count("pk", filter=Q(kind=ActivityKind.MEETING, date__year=year)),
        meetings_before=Count("pk", filter=Q(kind=ActivityKind.MEETING, date__year=year - 1)),
        outcomes=Count("pk", filter=outcome & Q(date__year=year)),
        outcomes_before=Count("pk", filter=outcome & Q(date__year=year - 1)),
    )

    held = Membership.objects.filter(overlapping(year, "since", "until"), network=OuterRef("pk")).order_by("-since")
    fee_paid = (
        Expense.objects.filter(membership__network=OuterRef("pk"), date__year=year)
        .order_by()
        .values("membership__network")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    in_year = NetworkActivity.objects.filter(network=OuterRef("pk"), date__year=year)
    networks = list(
        Network.objects.filter(memberships__in=Membership.objects.filter(overlapping(year, "since", "until")))
        .distinct()
        .annotate(
            lead=Subquery(held.values("lead_department__name")[:1]),
            fee=Subquery(held.values("yearly_fee")[:1]),
            paid=Coalesce(Subquery(fee_paid, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD),
            role_count=_count(
                NetworkRole.objects.filter(overlapping(year, "starts_on", "ends_on"), network=OuterRef("pk"))
            ),
            meetings=_count(in_year.filter(kind=ActivityKind.MEETING)),
            outcomes=_count(in_year.exclude(kind=ActivityKind.MEETING)),
        )
        .order_by("name", "pk")
        .values("pk", "name", "lead", "fee", "paid", "role_count", "meetings", "outcomes")
    )
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
                    [
                        n["name"],
                        n["lead"] or "",
                        money(n["fee"]),
                        money(n["paid"]),
                        n["role_count"],
                        n["meetings"],
                        n["outcomes"],
                    ]
                    for n in networks
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
