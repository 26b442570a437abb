"""Reads of the budget for the pages, the API and the exports, in a fixed
number of queries however many lines and expenses there are: the amounts come
from ``BudgetLine.objects.with_amounts()`` and the totals from SQL aggregates
over that queryset, never from Python loops over expenses. The trip grants'
rule reads (what the rules allow an application) are at the end."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.models import Delegation
from partners.models import Club

from .models import (
    GRANTED_STATUSES,
    MONEY,
    ZERO,
    Budget,
    BudgetChange,
    BudgetLine,
    BudgetStatus,
    Commitment,
    CommitmentStatus,
    Expense,
    GrantApplication,
    GrantRules,
    LineCategory,
    SupplementaryRequest,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    money,
)

# A line is flagged once more than this share of it is committed or spent.
NEARLY_USED = Decimal("0.9")
NEARLY_USED_TEXT = "90 %"
AMOUNT_FIELDS = ("planned", "changes", "current", "committed", "spent", "available")
MONTHS = range(12)


class LineWarning:
    OVERDRAWN = "overdrawn"
    NEARLY_USED = "nearly_used"


def warning_label(warning: str) -> str:
    """The warning in words, never a colour alone."""
    if warning == LineWarning.OVERDRAWN:
        return _("Overdrawn")
    if warning == LineWarning.NEARLY_USED:
        return _("Over %(percent)s used") % {"percent": NEARLY_USED_TEXT}
    return ""


def amounts_state(amounts) -> dict:
    """Share used and the warning (in words) for a line or a total: ``amounts``
    has ``current``, ``committed``, ``spent`` and ``available``."""
    get = amounts.get if isinstance(amounts, dict) else lambda name: getattr(amounts, name)
    current, available = get("current") or ZERO, get("available") or ZERO
    used = (get("committed") or ZERO) + (get("spent") or ZERO)
    ratio = used / current if current > 0 else None
    if available < 0:
        warning = LineWarning.OVERDRAWN
    elif ratio is not None and ratio > NEARLY_USED:
        warning = LineWarning.NEARLY_USED
    else:
        warning = ""
    return {
        "used": used,
        "used_percent": ratio * 100 if ratio is not None else None,
        "warning": warning,
        "warning_label": warning_label(warning),
    }


def with_state(line: BudgetLine) -> BudgetLine:
    for name, value in amounts_state(line).items():
        setattr(line, name, value)
    return line


def budget_lines(budget: Budget | None = None):
    """The lines with their amounts, budget and partner city, newest year first:
    the one queryset of the overview's table, its export and the API's list.
    Given a budget, only its lines."""
    lines = (
        BudgetLine.objects.with_amounts()
        .select_related("budget", "partnership__partner_city")
        .order_by("-budget__year", "category", "name", "pk")
    )
    return lines if budget is None else lines.filter(budget=budget)


def _sums():
    # Aliased: an aggregate named like the annotation it sums would replace it.
    return {f"total_{name}": Sum(name) for name in AMOUNT_FIELDS}


def _with_zeroes(row: dict) -> dict:
    row = {key: value for key, value in row.items() if not key.startswith("total_")} | {
        name: row.get(f"total_{name}") or ZERO for name in AMOUNT_FIELDS
    }
    return {**row, **amounts_state(row)}


def totals_by_category(lines) -> list[dict]:
    labels = dict(LineCategory.choices)
    rows = lines.order_by().values("category").annotate(**_sums()).order_by("category")
    return [_with_zeroes({**row, "label": labels.get(row["category"], row["category"])}) for row in rows]


def totals_by_partner_city(lines) -> list[dict]:
    rows = (
        lines.filter(partnership__isnull=False)
        .order_by()
        .values("partnership", city=F("partnership__partner_city__name"))
        .annotate(**_sums())
        .order_by("city", "partnership")
    )
    return [_with_zeroes(row) for row in rows]


def totals(lines) -> dict:
    return _with_zeroes(lines.order_by().aggregate(**_sums()))


# The columns the council report sums, and what GROUPING(category, partnership_id, pk)
# says each row of ``report_amounts_of`` is (a bit set for each column left out).
REPORT_SUMS = (
    "planned",
    "changes",
    "current",
    "committed",
    "spent",
    "available",
    "trips",
    "trip_committed",
    "trip_spent",
)
YEAR_TOTAL, BY_CATEGORY, BY_PARTNERSHIP = 0b111, 0b011, 0b101  # else a line (0b010)


@dataclass
class ReportAmounts:
    """One budget year's amounts in the council report: ``totals``, ``by_category``
    (``{category: row}``), ``by_partner_city`` (``{city name: row}``) and ``lines``
    (rows by category, name), each row a dict of ``REPORT_SUMS``."""

    totals: dict = field(default_factory=lambda: dict.fromkeys(REPORT_SUMS, ZERO))
    by_category: dict = field(default_factory=dict)
    by_partner_city: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)


def report_amounts_of(first: int, last: int) -> dict[int, ReportAmounts]:
    """The budget amounts of the years ``first`` to ``last`` for the council
    report, in one query: the lines with ``with_amounts`` and
    ``with_trip_amounts`` are read once and summed with GROUPING SETS by year,
    by year and category, by year and partnership, and by line (a line's own
    amounts). Four queries over the same subqueries cost four times the SQL
    and, above all, four times the building of the ORM expressions. Two
    partnerships with one city: the later one's amounts."""
    lines, params = (
        BudgetLine.objects.filter(budget__year__gte=first, budget__year__lte=last)
        .with_amounts()
        .with_trip_amounts()
        .order_by()
        .values(
            "pk",
            "name",
            "category",
            "partnership_id",
            *REPORT_SUMS,
            year=F("budget__year"),
            city=F("partnership__partner_city__name"),
        )
        .query.sql_with_params()
    )
    # SUM of a count is numeric in PostgreSQL: the number of trips goes back to an integer.
    sums = ", ".join(
        f"SUM({name})::bigint AS {name}" if name == "trips" else f"SUM({name}) AS {name}" for name in REPORT_SUMS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH line AS ({lines})
            SELECT GROUPING(category, partnership_id, pk), year, category, partnership_id, city, name, {sums}
            FROM line
            GROUP BY GROUPING SETS ((year), (year, category), (year, partnership_id, city), (year, category, pk, name))
            ORDER BY year, city, partnership_id, category, name, pk
            """,
            params,
        )
        rows = cursor.fetchall()
    years = {year: ReportAmounts() for year in range(first, last + 1)}
    for grouping, year, category, partnership, city, name, *amounts in rows:
        amounts = dict(zip(REPORT_SUMS, amounts, strict=True))
        found = years[year]
        if grouping == YEAR_TOTAL:
            found.totals = amounts
        elif grouping == BY_CATEGORY:
            found.by_category[category] = amounts
        elif grouping == BY_PARTNERSHIP:
            if partnership is not None:
                found.by_partner_city[city] = amounts
        else:
            found.lines.append({"name": name, "category": category, **amounts})
    return years


@dataclass
class BurnMonth:
    month: datetime.date
    planned: Decimal
    spent_in_month: Decimal | None
    actual: Decimal | None  # cumulative; None for months still to come


def _month_index(month: datetime.date, start: datetime.date) -> int:
    """0 for the fiscal year's first month, 11 for its last; may fall outside."""
    return (month.year - start.year) * 12 + month.month - start.month


def burn_series(budget: Budget, current_total: Decimal, today: datetime.date | None = None) -> list[BurnMonth]:
    """Planned pace (the current total spread evenly over twelve months) against
    what has actually been spent, cumulated month by month from the start of the
    fiscal year. One grouped query; expenses dated outside the fiscal year count
    in its first or last month."""
    today = today or timezone.localdate()
    start = budget.starts_on
    months = [
        datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in MONTHS
    ]
    spent = [ZERO] * 12
    rows = (
        Expense.objects.filter(line__budget=budget)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        spent[min(max(_month_index(row["month"], start), 0), 11)] += row["total"]
    # Actual values up to today's month (or the last month with spending, if later).
    last = min(max(_month_index(today, start), -1), 11)
    last = max([last] + [i for i in MONTHS if spent[i]])
    series, cumulative = [], ZERO
    for i, month in enumerate(months):
        cumulative += spent[i]
        known = i <= last
        series.append(
            BurnMonth(
                month=month,
                planned=(current_total * (i + 1) / 12).quantize(Decimal("0.01")),
                spent_in_month=spent[i] if known else None,
                actual=cumulative if known else None,
            )
        )
    return series


@dataclass
class Overview:
    budget: Budget
    lines: list[BudgetLine]
    by_category: list[dict]
    by_partner_city: list[dict]
    totals: dict
    burn: list[BurnMonth]
    warnings: dict = field(default_factory=dict)


def budget_overview(budget: Budget, lines=None, today: datetime.date | None = None) -> Overview:
    """Everything the overview page shows, in five queries.

    ``lines`` narrows the table (a filtered ``budget_lines(budget)``); the totals
    and the burn chart are always for the whole budget."""
    all_lines = budget_lines(budget)
    shown = [with_state(line) for line in (all_lines if lines is None else lines)]
    overall = totals(all_lines)
    counts = {
        LineWarning.OVERDRAWN: sum(1 for line in shown if line.warning == LineWarning.OVERDRAWN),
        LineWarning.NEARLY_USED: sum(1 for line in shown if line.warning == LineWarning.NEARLY_USED),
    }
    return Overview(
        budget=budget,
        lines=shown,
        by_category=totals_by_category(all_lines),
        by_partner_city=totals_by_partner_city(all_lines),
        totals=overall,
        burn=burn_series(budget, overall["current"], today=today),
        warnings=counts,
    )


def attention_filter():
    """Lines overdrawn or more than 90 % used, as a filter on ``with_amounts()``."""
    return Q(available__lt=0) | Q(current__gt=0, committed__gt=(F("current") * NEARLY_USED) - F("spent"))


def line_detail(pk: int) -> BudgetLine:
    """One line with its amounts and everything booked on it, in five queries."""
    line = (
        BudgetLine.objects.with_amounts()
        .select_related("budget", "partnership__partner_city")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("delegation").order_by("status", "-created_at"),
            ),
            Prefetch(
                "expenses",
                queryset=Expense.objects.select_related("delegation", "membership__network", "booked_by"),
            ),
            Prefetch(
                "supplementary_requests",
                queryset=SupplementaryRequest.objects.select_related("created_by"),
            ),
        )
        .get(pk=pk)
    )
    with_state(line)
    # ``line.changes`` is the annotated sum; the change records themselves come in one query.
    line.change_list = list(
        BudgetChange.objects.filter(line=line)
        .select_related("counterpart", "recorded_by")
        .order_by("-decided_on", "-pk")
    )
    line.open_commitments = [c for c in line.commitments.all() if c.status == CommitmentStatus.OPEN]
    line.closed_commitments = [c for c in line.commitments.all() if c.status != CommitmentStatus.OPEN]
    return line


def partnership_money(partnership, year: int | None = None) -> dict:
    """Spent and committed on the partnership's lines of this fiscal year's
    budget, and for each of its trips and visits of that year, whatever line
    pays them (two queries)."""
    year = year or fiscal_year_of(timezone.localdate())
    lines = list(
        BudgetLine.objects.filter(partnership=partnership, budget__year=year)
        .with_amounts()
        .select_related("budget")
        .order_by("category", "name")
    )
    return {
        "year": year,
        "lines": [with_state(line) for line in lines],
        "spent": sum((line.spent for line in lines), ZERO),
        "committed": sum((line.committed for line in lines), ZERO),
        "current": sum((line.current for line in lines), ZERO),
        "available": sum((line.available for line in lines), ZERO),
        "trips": list(trips_of_partnership(partnership, year)),
    }


def _delegation_sum(queryset):
    totals = queryset.filter(delegation=OuterRef("pk")).order_by().values("delegation").annotate(total=Sum("amount"))
    return Coalesce(Subquery(totals.values("total"), output_field=DecimalField(**MONEY)), Value(ZERO))


def delegation_money() -> dict:
    """Annotations for a Delegation queryset: ``money_spent`` (expenses booked
    for it) and ``money_committed`` (its open commitments), without a query of their own."""
    return {
        "money_spent": _delegation_sum(Expense.objects.all()),
        "money_committed": _delegation_sum(Commitment.objects.filter(status=CommitmentStatus.OPEN)),
    }


# --- a trip's budget line ------------------------------------------------------
# Plugged into the delegations app (``delegations.budget_line``) in BudgetConfig.ready:
# the delegation form and the API offer and accept these lines.


def trip_line_choices(delegation=None):
    """The lines a trip may be charged to (those of a budget not yet closed),
    plus the trip's current line, newest year first."""
    lines = BudgetLine.objects.open_to_trips()
    if delegation is not None and delegation.budget_line_id:
        lines = lines | BudgetLine.objects.filter(pk=delegation.budget_line_id)
    return lines.select_related("budget").order_by("-budget__year", "category", "name", "pk")


def trip_line_refusal(delegation) -> str | None:
    """Why the delegation's ``budget_line`` does not fit it (``BudgetLine.trip_refusal``),
    or None. A line of a closed budget is refused when newly chosen, and kept
    on a trip that already had it (its old trips stay editable)."""
    line = delegation.budget_line
    if line.budget.status == BudgetStatus.CLOSED:
        kept = delegation.pk and Delegation.objects.filter(pk=delegation.pk, budget_line=line).exists()
        if not kept:
            return _("The budget of %(year)s is closed: choose a line of a budget still open.") % {
                "year": line.budget.year
            }
    return line.trip_refusal(delegation)


def trips_of_partnership(partnership, year: int):
    """The partnership's trips and visits starting in fiscal ``year``, each with
    its line and the money booked and committed for it (``delegation_money``),
    in one query: what the partnership page shows of its trips' money."""
    return (
        Delegation.objects.filter(
            partnership=partnership, start_on__gte=fiscal_year_start(year), start_on__lte=fiscal_year_end(year)
        )
        .annotate(**delegation_money())
        .select_related("budget_line__budget")
        .order_by("start_on", "pk")
    )


# --- trip grants -------------------------------------------------------------
# The allowed amount is computed here and nowhere else:
#     min(rate × travellers, maximum per application, yearly cap − already granted)
# where the rate is the student rate when students are at least 75 % of the
# travellers (exactly 75 % gets the higher rate) and the base rate otherwise;
# "already granted" is what the club got approved for trips starting in the
# same year (approved, paid or reported), this application excepted.


def students_rate_applies(*, travellers: int, students: int) -> bool:
    """At least three quarters students, in whole numbers (no rounding at 75 %)."""
    return travellers > 0 and students * 4 >= travellers * 3


def grant_allowed_amount(*, rules: GrantRules, travellers: int, students: int, already_granted: Decimal) -> Decimal:
    """The most the rules allow for one application (never below zero)."""
    rate = rules.student_rate if students_rate_applies(travellers=travellers, students=students) else rules.base_rate
    by_travellers = money(rate * travellers)
    left_this_year = max(ZERO, money(rules.yearly_cap_per_club - already_granted))
    return min(by_travellers, money(rules.max_per_application), left_this_year)


def granted_this_year(*, club: Club, year: int, exclude: GrantApplication | None = None) -> Decimal:
    """What ``club`` got approved for trips starting in ``year`` (one SQL sum)."""
    granted = GrantApplication.objects.filter(club=club, starts_on__year=year, status__in=GRANTED_STATUSES)
    if exclude is not None and exclude.pk:
        granted = granted.exclude(pk=exclude.pk)
    return granted.aggregate(total=Sum("approved_amount"))["total"] or ZERO


def allowed_for(application: GrantApplication, rules: GrantRules | None = None) -> Decimal:
    """The amount the rules allow for ``application`` today."""
    rules = rules or GrantRules.current()
    already = granted_this_year(club=application.club, year=application.starts_on.year, exclude=application)
    return grant_allowed_amount(
        rules=rules, travellers=application.travellers, students=application.students, already_granted=already
    )


def granted_totals(applications) -> dict[tuple[int, int], Decimal]:
    """(club id, year) → approved total, for a whole page of applications in one query."""
    rows = (
        applications.filter(status__in=GRANTED_STATUSES)
        .order_by()
        .values("club_id", "starts_on__year")
        .annotate(total=Sum("approved_amount"))
    )
    return {(row["club_id"], row["starts_on__year"]): row["total"] or ZERO for row in rows}
