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

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, ExtractYear, Mod
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.models import Expense, JubileePlan, SupplementaryRequest
from delegations.choices import Direction
from delegations.models import Delegation, counting_year
from partners.choices import Status
from partners.models import Exchange, Partnership, StatusChange, formalised_value, status_on

from .common import ZERO, column, figure, money, table, year_bounds

KEY = "partnerships"
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class ActivityMeasure:
    """One column of "Activity per partnership", a key of the rows
    ``activity_of`` returns. A partnership with none of them in a year has no
    activity that year."""

    key: str
    label: object
    kind: str


ACTIVITY_MEASURES = [
    ActivityMeasure("outbound", gettext_lazy("Trips there"), "int"),
    ActivityMeasure("inbound", gettext_lazy("Visits from there"), "int"),
    ActivityMeasure("club_exchanges", gettext_lazy("Club exchanges"), "int"),
    ActivityMeasure("reciprocity_events", gettext_lazy("Reciprocity events"), "int"),
    ActivityMeasure("spent", gettext_lazy("Money spent"), "money"),
]


# The measures of a partnership without activity in a year.
NO_ACTIVITY = {m.key: ZERO if m.kind == "money" else 0 for m in ACTIVITY_MEASURES}


def activity_of(year: int) -> dict[tuple[int, int], dict]:
    """Each partnership's activity in ``year`` and the year before, keyed by
    (partnership, year), in one query: the year's delegations, accepted
    exchanges and expenses, each grouped by partnership and year, one after
    the other (UNION ALL); a measure a part does not count is zero there. A
    subquery per partnership and measure cost more the more partnerships
    there were (the money read every budget line once per partnership).

    Delegations count as ``Delegation.objects.counted_in`` says, exchanges
    once accepted, money as the expenses booked on the partnership's lines."""
    none, no_money = Value(0), Value(ZERO, output_field=MONEY_FIELD)
    trips = (
        Delegation.objects.counted_in(year - 1, year)
        .filter(partnership__isnull=False)
        .order_by()
        .values(p=F("partnership"), y=counting_year())
        .annotate(
            outbound=Count("pk", filter=Q(direction=Direction.OUTBOUND)),
            inbound=Count("pk", filter=Q(direction=Direction.INBOUND)),
            club_exchanges=none,
            reciprocity_events=none,
            spent=no_money,
        )
    )
    exchanges = (
        Exchange.objects.accepted()
        .filter(partnership__isnull=False, starts_on__year__gte=year - 1, starts_on__year__lte=year)
        .order_by()
        .values(p=F("partnership"), y=ExtractYear("starts_on"))
        .annotate(
            outbound=none,
            inbound=none,
            club_exchanges=Count("pk"),
            reciprocity_events=Count("pk", filter=Q(reciprocity=True)),
            spent=no_money,
        )
    )
    spent = (
        Expense.objects.filter(line__partnership__isnull=False, date__year__gte=year - 1, date__year__lte=year)
        .order_by()
        .values(p=F("line__partnership"), y=ExtractYear("date"))
        .annotate(outbound=none, inbound=none, club_exchanges=none, reciprocity_events=none, spent=Sum("amount"))
    )
    activity = defaultdict(lambda: dict(NO_ACTIVITY))
    for row in trips.union(exchanges, spent, all=True):
        measures = activity[row["p"], row["y"]]
        for m in ACTIVITY_MEASURES:
            measures[m.key] += row[m.key]
    return dict(activity)


def activity_cells(measures: dict) -> list:
    """The table's cells of one partnership's measures in a year."""
    return [money(measures[m.key]) if m.kind == "money" else measures[m.key] for m in ACTIVITY_MEASURES]


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
    no_activity, active, flat_estimate = _("No activity"), _("Active"), _("Flat estimate, not yet planned")
    end, end_before = year_bounds(year)[1], year_bounds(year - 1)[1]
    existing = Partnership.objects.filter(formalised_on__lte=end).annotate(
        status_end=status_on(end), status_before=status_on(end_before)
    )
    # Plain rows, not models: a partnership's flag is computed once, never
    # looked up in a list (that compared every row with every other one). The
    # ended partnerships too: the status counts are counted off these rows.
    rows = list(
        existing.order_by("partner_city__name", "pk").values_list(
            "pk", "formalised_on", "status_end", "status_before", "partner_city__name"
        )
    )
    counts = Counter(status_end for _pk, _formalised_on, status_end, _before, _city in rows)
    counts_before = Counter(before for _pk, formalised_on, _end, before, _city in rows if formalised_on <= end_before)
    total_now = sum(counts[s] for s in Status.values)
    total_before = sum(counts_before[s] for s in Status.values)
    measures = activity_of(year)
    # Most partnerships have no activity: their cells are built once.
    idle_cells = activity_cells(NO_ACTIVITY)
    activity, idle_now, idle_before = [], 0, 0
    for pk, formalised_on, status_end, _before, city in rows:
        # Without a status at the year's end a partnership is left out, as SQL's ``<>`` leaves out NULL.
        if status_end in (None, Status.ENDED):
            continue
        now, before = measures.get((pk, year)), measures.get((pk, year - 1))
        idle = now is None or not any(now.values())
        idle_now += idle
        idle_before += formalised_on <= end_before and (before is None or not any(before.values()))
        activity.append(
            [
                city,
                labels.get(status_end, "—"),
                *(idle_cells if now is None else activity_cells(now)),
                money(before["spent"] if before else ZERO),
                no_activity if idle else active,
            ]
        )

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
        .order_by("formalised_on", "pk")
        .values(
            "formalised_on",
            "formalised_year_only",
            "age",
            "budget_estimate",
            "requested",
            "plan_title",
            "planned_estimate",
            "jubilee_total",
            city=F("partner_city__name"),
        )
    )
    jubilee_total = jubilees[0]["jubilee_total"] if jubilees else ZERO

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
                    counts[s],
                    counts_before[s],
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
                activity,
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
                        p["city"],
                        formalised_value(p["formalised_on"], p["formalised_year_only"]),
                        p["age"],
                        money(p["budget_estimate"]),
                        money(p["requested"] or ZERO),
                        _("Planned: %(title)s") % {"title": p["plan_title"]}
                        if p["planned_estimate"] is not None
                        else flat_estimate,
                    ]
                    for p in jubilees
                ],
            ),
        ],
        "charts": [],
    }
