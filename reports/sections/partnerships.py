"""Section "Partnerships": status at the end of the year, the status changes
of the year with their reasons, what each partnership produced (delegations
both ways, accepted club exchanges, reciprocity events and money spent), the
partnerships without any activity, and the
jubilees of the coming year with the budget they may need: the estimate of
the office's plan where the jubilee is planned (``budget.JubileePlan``), else
the flat ``OIA_JUBILEE_BUDGET``, labelled as such; their total is summed in SQL.

A partnership's status on a day is its latest status change effective on or
before that day (so a change dated 31 December counts for that year, one on
1 January for the next): ``partners.models.status_on``. Delegations count as
``Delegation.objects.counted_in`` says, exchanges once accepted
(``Exchange.objects.accepted``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, ExtractYear, Mod
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.models import Expense, JubileePlan, SupplementaryRequest
from delegations.choices import Direction
from delegations.models import Delegation
from partners.choices import Status
from partners.models import Exchange, Partnership, StatusChange, status_on

from .common import ZERO, column, figure, money, table, year_bounds

KEY = "partnerships"
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def delegations_in(year: int, direction: str):
    """Completed delegations with the partnership that count in ``year``."""
    rows = (
        Delegation.objects.counted_in(year)
        .filter(partnership=OuterRef("pk"), direction=direction)
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def spent_in(year: int):
    rows = (
        Expense.objects.filter(line__partnership=OuterRef("pk"), date__year=year)
        .order_by()
        .values("line__partnership")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


@dataclass(frozen=True)
class ActivityMeasure:
    """One column of "Activity per partnership": ``expression(year)`` annotates
    a Partnership queryset (a correlated subquery, no join fan-out). A
    partnership with none of them in a year has no activity that year."""

    key: str
    label: object
    kind: str
    expression: Callable


def exchanges_in(year: int, reciprocity_only: bool = False):
    """Accepted club exchanges with the partnership starting in ``year``."""
    exchanges = Exchange.objects.accepted().filter(partnership=OuterRef("pk"), starts_on__year=year)
    if reciprocity_only:
        exchanges = exchanges.filter(reciprocity=True)
    rows = exchanges.order_by().values("partnership").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


ACTIVITY_MEASURES = [
    ActivityMeasure(
        "outbound", gettext_lazy("Trips there"), "int", lambda year: delegations_in(year, Direction.OUTBOUND)
    ),
    ActivityMeasure(
        "inbound", gettext_lazy("Visits from there"), "int", lambda year: delegations_in(year, Direction.INBOUND)
    ),
    ActivityMeasure("club_exchanges", gettext_lazy("Club exchanges"), "int", lambda year: exchanges_in(year)),
    ActivityMeasure(
        "reciprocity_events",
        gettext_lazy("Reciprocity events"),
        "int",
        lambda year: exchanges_in(year, reciprocity_only=True),
    ),
    ActivityMeasure("spent", gettext_lazy("Money spent"), "money", lambda year: spent_in(year)),
]


def status_labels() -> dict:
    """Each status's label in the active language, translated once per report
    rather than once per row."""
    return {value: str(label) for value, label in Status.choices}


def jubilee_filter(age_field: str) -> Q:
    """The jubilee rule of partners.anniversaries, as SQL."""
    every_ten = settings.OIA_JUBILEE_EVERY_TEN_FROM
    return Q(**{f"{age_field}__in": settings.OIA_JUBILEE_YEARS}) | Q(
        **{f"{age_field}__gte": every_ten, "decade_rest": 0}
    )


def build(year: int) -> dict:
    labels = status_labels()
    no_activity, active = _("No activity"), _("Active")
    end, end_before = year_bounds(year)[1], year_bounds(year - 1)[1]
    existing = Partnership.objects.filter(formalised_on__lte=end).annotate(
        status_end=status_on(end), status_before=status_on(end_before)
    )
    counts = existing.aggregate(
        **{f"{s}_now": Count("pk", filter=Q(status_end=s)) for s in Status.values},
        **{f"{s}_before": Count("pk", filter=Q(status_before=s, formalised_on__lte=end_before)) for s in Status.values},
    )
    total_now = sum(counts[f"{s}_now"] for s in Status.values)
    total_before = sum(counts[f"{s}_before"] for s in Status.values)

    annotations = {}
    for measure in ACTIVITY_MEASURES:
        annotations[measure.key] = measure.expression(year)
        annotations[f"{measure.key}_before"] = measure.expression(year - 1)
    # Plain rows, not models: a partnership's flag is computed once, never
    # looked up in a list (that compared every row with every other one).
    activity = list(
        existing.exclude(status_end=Status.ENDED)
        .annotate(**annotations)
        .order_by("partner_city__name", "pk")
        .values("formalised_on", "status_end", *annotations, city=F("partner_city__name"))
    )
    for row in activity:
        row["idle"] = not any(row[m.key] for m in ACTIVITY_MEASURES)
        row["idle_before"] = row["formalised_on"] <= end_before and not any(
            row[f"{m.key}_before"] for m in ACTIVITY_MEASURES
        )
    idle_now = sum(row["idle"] for row in activity)
    idle_before = sum(row["idle_before"] for row in activity)

    changes = list(
        StatusChange.objects.filter(effective_on__year__in=[year - 1, year])
        .with_previous_status()
        .filter(previous__isnull=False)  # the first entry is the formalisation
        .order_by("effective_on", "pk")
        .values("effective_on", "status", "previous", "reason", city=F("partnership__partner_city__name"))
    )
    changes_now = [c for c in changes if c["effective_on"].year == year]

    coming = year + 1
    requested = (
        SupplementaryRequest.objects.filter(line__partnership=OuterRef("pk"), line__budget__year=coming)
        .order_by()
        .values("line__partnership")
        .annotate(total=Sum("amount_requested"))
        .values("total")
    )
    # At most one plan stands per jubilee (a constraint of JubileePlan).
    plan = JubileePlan.objects.not_cancelled().filter(partnership=OuterRef("pk"), year=coming)
    flat = Value(Decimal(settings.OIA_JUBILEE_BUDGET), output_field=MONEY_FIELD)
    jubilees = list(
        Partnership.objects.filter(formalised_on__year__lt=coming)
        .annotate(
            age=Value(coming) - ExtractYear("formalised_on"),
            decade_rest=Mod(Value(coming) - ExtractYear("formalised_on"), Value(10)),
            status_end=status_on(end),
            requested=Subquery(requested, output_field=MONEY_FIELD),
            plan_title=Subquery(plan.values("title")[:1]),
            planned_estimate=Subquery(plan.values("estimate")[:1], output_field=MONEY_FIELD),
        )
        .filter(jubilee_filter("age"))
        .exclude(status_end=Status.ENDED)
        .annotate(budget_estimate=Coalesce(F("planned_estimate"), flat, output_field=MONEY_FIELD))
        # The total of the jubilees listed, on every row (a window over the rows the query keeps).
        .annotate(jubilee_total=Window(Sum("budget_estimate"), output_field=MONEY_FIELD))
        .select_related("partner_city")
        .order_by("formalised_on", "pk")
    )
    jubilee_total = jubilees[0].jubilee_total if jubilees else ZERO

    return {
        "key": KEY,
        "title": _("Partnerships"),
        "intro": _("The partner cities, their status at the end of the year and what each partnership produced."),
        "figures": [
            figure("partnerships", _("Partnerships at the end of the year"), total_now, total_before),
            *[
                figure(
                    f"status_{s}",
                    _("… of them %(status)s") % {"status": labels[s].lower()},
                    counts[f"{s}_now"],
                    counts[f"{s}_before"],
                )
                for s in Status.values
            ],
            figure("status_changes", _("Status changes"), len(changes_now), len(changes) - len(changes_now)),
            figure("without_activity", _("Partnerships without activity"), idle_now, idle_before),
            figure("jubilees_coming", _("Jubilees in %(year)s") % {"year": coming}, len(jubilees), None),
            figure(
                "jubilee_budget",
                _("Budget for the jubilees of %(year)s") % {"year": coming},
                jubilee_total,
                None,
                kind="money",
            ),
        ],
        "tables": [
            table(
                "status_changes",
                _("Status changes during the year"),
                [
                    column("date", _("Effective on"), "date"),
                    column("partnership", _("Partnership")),
                    column("from", _("From")),
                    column("to", _("To")),
                    column("reason", _("Reason")),
                ],
                [
                    [
                        c["effective_on"].isoformat(),
                        c["city"],
                        labels.get(c["previous"], "—"),
                        labels.get(c["status"], "—"),
                        c["reason"],
                    ]
                    for c in changes_now
                ],
            ),
            table(
                "activity",
                _("Activity per partnership"),
                [
                    column("partnership", _("Partnership")),
                    column("status", _("Status at year end")),
                    *[column(m.key, m.label, m.kind) for m in ACTIVITY_MEASURES],
                    column("spent_previous", _("Money spent %(year)s") % {"year": year - 1}, "money"),
                    column("activity", _("Activity")),
                ],
                [
                    [
                        row["city"],
                        labels.get(row["status_end"], "—"),
                        *[money(row[m.key]) if m.kind == "money" else row[m.key] for m in ACTIVITY_MEASURES],
                        money(row["spent_before"]),
                        no_activity if row["idle"] else active,
                    ]
                    for row in activity
                ],
            ),
            table(
                "jubilees",
                _("Jubilees in %(year)s and the budget they may need") % {"year": coming},
                [
                    column("partnership", _("Partnership")),
                    column("formalised", _("Formalised")),
                    column("years", _("Years"), "int"),
                    column("estimate", _("Budget estimate"), "money"),
                    column("requested", _("Already requested"), "money"),
                    column("basis", _("Estimate from")),
                ],
                [
                    [
                        p.partner_city.name,
                        p.formalised_display,
                        p.age,
                        money(p.budget_estimate),
                        money(p.requested or ZERO),
                        _("Planned: %(title)s") % {"title": p.plan_title}
                        if p.planned_estimate is not None
                        else _("Flat estimate, not yet planned"),
                    ]
                    for p in jubilees
                ],
            ),
        ],
        "charts": [],
    }
