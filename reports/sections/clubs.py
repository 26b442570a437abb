"""Section "Clubs and citizens": what the partner-city clubs did, as the office
accepted it, and the trip grants they received.

Counting rules: an exchange counts in the year it starts, and only once the
office has accepted it (drafts, submitted and returned ones never count).
Participants are those from our city plus those from the partner city;
"students and young people" is part of that total. A reciprocity event is an
accepted exchange with a public event in both cities. A grant counts as
approved in the year its trip starts (approved, paid or reported after the
trip), with the amount approved; grants paid are the expenses booked for
grants in the year.
"""

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from budget.models import GRANTED_STATUSES, Expense, GrantApplication
from partners.choices import ExchangeKind
from partners.models import Club, Exchange

from .common import ZERO, aggregate_together, column, compared_rows, figure, money, table, year_columns

KEY = "clubs"
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def accepted():
    return Exchange.objects.accepted()


def _in(year: int) -> Q:
    return Q(starts_on__year=year)


# The exchange figures of a year without accepted exchanges.
NO_EXCHANGES = {"exchanges": 0, "local": 0, "partner": 0, "young": 0, "reciprocal": 0, "clubs": 0}


def _exchange_totals(year: int) -> dict:
    """Both years' exchange figures in one query grouped by year (half the
    expressions to build of one filtered aggregate per year and figure)."""
    rows = (
        accepted()
        .filter(starts_on__year__in=[year - 1, year])
        .annotate(y=ExtractYear("starts_on"))
        .order_by()
        .values("y")
        .annotate(
            exchanges=Count("pk"),
            local=Sum("participants_local"),
            partner=Sum("participants_partner"),
            young=Sum("young_participants"),
            reciprocal=Count("pk", filter=Q(reciprocity=True)),
            clubs=Count("club", distinct=True),
        )
    )
    by_year = {row.pop("y"): row for row in rows}
    totals = {}
    for suffix, y in (("", year), ("_before", year - 1)):
        totals |= {f"{name}{suffix}": value or 0 for name, value in by_year.get(y, NO_EXCHANGES).items()}
    return totals


def _grant_totals(year: int) -> dict:
    """Both years' grants approved and paid, in one query."""
    granted = Q(status__in=GRANTED_STATUSES)
    totals = aggregate_together(
        grants=(
            GrantApplication.objects.filter(starts_on__year__in=[year - 1, year]),
            {
                "approved": Count("pk", filter=granted & _in(year)),
                "approved_before": Count("pk", filter=granted & _in(year - 1)),
                "amount": Coalesce(Sum("approved_amount", filter=granted & _in(year)), ZERO),
                "amount_before": Coalesce(Sum("approved_amount", filter=granted & _in(year - 1)), ZERO),
            },
        ),
        paid=(
            Expense.objects.filter(grant__isnull=False, date__year__in=[year - 1, year]),
            {
                "paid": Coalesce(Sum("amount", filter=Q(date__year=year)), ZERO),
                "paid_before": Coalesce(Sum("amount", filter=Q(date__year=year - 1)), ZERO),
            },
        ),
    )
    return totals["grants"] | totals["paid"]


def _per_club(year: int) -> list:
    """One row per club with an accepted exchange or a grant in the year, in
    one query: the year's accepted exchanges, granted applications and grant
    expenses, each grouped by club, one after the other (UNION ALL), then
    summed per club; a measure a part does not count is zero there. A
    correlated subquery per club and measure cost more to build than to run."""
    none, no_money = Value(0), Value(ZERO, output_field=MONEY_FIELD)
    exchanges = (
        accepted()
        .filter(starts_on__year=year)
        .order_by()
        .values(c=F("club"))
        .annotate(
            exchange_count=Count("pk"),
            participants=Sum("participants_local") + Sum("participants_partner"),
            young=Sum("young_participants"),
            reciprocity_count=Count("pk", filter=Q(reciprocity=True)),
            granted=no_money,
            paid=no_money,
        )
    )
    granted = (
        GrantApplication.objects.filter(starts_on__year=year, status__in=GRANTED_STATUSES)
        .order_by()
        .values(c=F("club"))
        .annotate(
            exchange_count=none,
            participants=none,
            young=none,
            reciprocity_count=none,
            granted=Sum("approved_amount"),
            paid=no_money,
        )
    )
    paid = (
        Expense.objects.filter(grant__isnull=False, date__year=year)
        .order_by()
        .values(c=F("grant__club"))
        .annotate(
            exchange_count=none,
            participants=none,
            young=none,
            reciprocity_count=none,
            granted=no_money,
            paid=Sum("amount"),
        )
    )
    parts, params = exchanges.union(granted, paid, all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT club.name, SUM(part.exchange_count)::bigint, SUM(part.participants)::bigint,
                   SUM(part.young)::bigint, SUM(part.reciprocity_count)::bigint,
                   COALESCE(SUM(part.granted), 0), COALESCE(SUM(part.paid), 0)
            FROM ({parts}) part JOIN {connection.ops.quote_name(Club._meta.db_table)} club ON club.id = part.c
            GROUP BY club.id
            HAVING SUM(part.exchange_count) > 0 OR SUM(part.granted) > 0 OR SUM(part.paid) > 0
            ORDER BY club.name, club.id
            """,
            params,
        )
        return cursor.fetchall()


def _by_kind(year: int) -> tuple[dict, dict]:
    rows = (
        accepted()
        .filter(starts_on__year__in=[year - 1, year])
        .order_by()
        .values("kind")
        .annotate(now=Count("pk", filter=_in(year)), before=Count("pk", filter=_in(year - 1)))
    )
    labels = dict(ExchangeKind.choices)
    current, previous = {}, {}
    for row in rows:
        label = str(labels.get(row["kind"], row["kind"]))
        current[label], previous[label] = row["now"], row["before"]
    return current, previous


def build(year: int) -> dict:
    ex = _exchange_totals(year)
    grants = _grant_totals(year)
    clubs = _per_club(year)
    by_kind_now, by_kind_before = _by_kind(year)
    participants = ex["local"] + ex["partner"]
    participants_before = ex["local_before"] + ex["partner_before"]
    return {
        "key": KEY,
        "title": _("Clubs and citizens"),
        "intro": _("Exchanges of the partner-city clubs accepted by the office, and the trip grants they received."),
        "figures": [
            figure("exchanges", _("Exchanges accepted"), ex["exchanges"], ex["exchanges_before"]),
            figure("clubs_active", _("Clubs with an exchange"), ex["clubs"], ex["clubs_before"]),
            figure("participants", _("Participants"), participants, participants_before),
            figure("participants_local", _("… from our city"), ex["local"], ex["local_before"]),
            figure("participants_partner", _("… from the partner cities"), ex["partner"], ex["partner_before"]),
            figure("young", _("… of them students and young people"), ex["young"], ex["young_before"]),
            figure("reciprocity", _("Reciprocity events (in both cities)"), ex["reciprocal"], ex["reciprocal_before"]),
            figure("grants_approved", _("Trip grants approved"), grants["approved"], grants["approved_before"]),
            figure("grants_amount", _("Amount approved"), grants["amount"], grants["amount_before"], "money"),
            figure("grants_paid", _("Grants paid"), grants["paid"], grants["paid_before"], "money"),
        ],
        "tables": [
            table(
                "by_kind",
                _("Exchanges by kind"),
                year_columns(_("Kind"), year),
                [list(row) for row in compared_rows(by_kind_now, by_kind_before)],
            ),
            table(
                "per_club",
                _("Exchanges and grants per club"),
                [
                    column("club", _("Club")),
                    column("exchanges", _("Exchanges"), "int"),
                    column("participants", _("Participants"), "int"),
                    column("young", _("Students and young people"), "int"),
                    column("reciprocity", _("Reciprocity events"), "int"),
                    column("granted", _("Grants approved"), "money"),
                    column("paid", _("Grants paid"), "money"),
                ],
                [
                    [name, exchanges, participants, young, reciprocity, money(granted), money(paid)]
                    for name, exchanges, participants, young, reciprocity, granted, paid in clubs
                ],
            ),
        ],
        "charts": [],
    }
