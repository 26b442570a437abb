"""Section "Budget": the programme budget of the year against the previous
one: planned, changed (amendments, transfers, supplementary grants) and
spent, by line and category, the changes themselves, the supplementary
requests, the spending per partner city, and the money of trips and visits
by line (committed when a trip is approved, spent when its invoices are booked). Amounts come from
``BudgetLine.objects.with_amounts()`` and the budget selectors, as on the
budget pages, so the report and the budget overview agree."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from budget.models import BudgetChange, ChangeKind, LineCategory, RequestStatus, SupplementaryRequest
from budget.selectors import report_amounts_of

from .common import ZERO, column, figure, money, table

KEY = "budget"


def build(year: int) -> dict:
    # Both years' totals, by category and by partner city, and the year's lines, in one query.
    amounts = report_amounts_of(year - 1, year)
    now, before = amounts[year].totals, amounts[year - 1].totals
    categories, categories_before = amounts[year].by_category, amounts[year - 1].by_category
    cities, cities_before = amounts[year].by_partner_city, amounts[year - 1].by_partner_city
    line_rows = amounts[year].lines
    changes = (
        BudgetChange.objects.filter(line__budget__year__in=[year - 1, year])
        .order_by()
        .values("line__budget__year", "kind")
        .annotate(n=Count("pk"), total=Coalesce(Sum("amount", filter=Q(amount__gt=0)), ZERO))
    )
    by_kind = {(row["line__budget__year"], row["kind"]): row for row in changes}
    change_list = list(
        BudgetChange.objects.filter(line__budget__year=year)
        .order_by("decided_on", "pk")
        .values("decided_on", "kind", "amount", "reason", line_name=F("line__name"))
    )
    requests = (
        SupplementaryRequest.objects.filter(line__budget__year=year)
        .order_by()
        .values("status")
        .annotate(
            n=Count("pk"),
            requested=Coalesce(Sum("amount_requested"), ZERO),
            granted=Coalesce(Sum("granted_amount"), ZERO),
        )
    )
    request_rows = {row["status"]: row for row in requests}
    # Each label translated once, not once per row.
    category_labels = {value: str(label) for value, label in LineCategory.choices}
    kind_labels = {value: str(label) for value, label in ChangeKind.choices}

    def kind_figure(kind, label):
        return figure(
            f"{kind}_count",
            label,
            by_kind.get((year, kind), {}).get("n", 0),
            by_kind.get((year - 1, kind), {}).get("n", 0),
        )

    def compared(rows_now, rows_before, key):
        return [
            [
                label_of(key_value),
                money(rows_now.get(key_value, {}).get("planned", ZERO)),
                money(rows_now.get(key_value, {}).get("current", ZERO)),
                money(rows_now.get(key_value, {}).get("spent", ZERO)),
                money(rows_before.get(key_value, {}).get("spent", ZERO)),
            ]
            for key_value in sorted(set(rows_now) | set(rows_before), key=lambda k: str(label_of(k)))
        ]

    def compared_columns(first):
        return [
            column("label", first),
            column("planned", _("Planned"), "money"),
            column("current", _("After changes"), "money"),
            column("spent", _("Spent"), "money"),
            column("spent_previous", _("Spent %(year)s") % {"year": year - 1}, "money"),
        ]

    label_of = lambda key: str(category_labels.get(key, key))  # noqa: E731
    by_category = compared(categories, categories_before, "category")
    label_of = lambda key: str(key)  # noqa: E731
    by_city = compared(cities, cities_before, "city")

    return {
        "key": KEY,
        "title": _("Budget"),
        "intro": _("The office's programme budget: planned against spent, and the changes during the year."),
        "figures": [
            figure("planned", _("Planned"), now["planned"], before["planned"], "money"),
            figure("current", _("Budget after changes"), now["current"], before["current"], "money"),
            figure("spent", _("Spent"), now["spent"], before["spent"], "money"),
            figure("committed", _("Still committed"), now["committed"], before["committed"], "money"),
            figure("available", _("Not used"), now["available"], before["available"], "money"),
            kind_figure(ChangeKind.AMENDMENT, _("Amendments")),
            kind_figure(ChangeKind.TRANSFER, _("Transfers (both sides)")),
            kind_figure(ChangeKind.SUPPLEMENTARY, _("Supplementary grants")),
        ],
        "tables": [
            table(
                "by_category",
                _("Planned and spent by category"),
                compared_columns(_("Category")),
                by_category,
            ),
            table(
                "lines",
                _("Planned and spent by budget line"),
                [
                    column("line", _("Budget line")),
                    column("category", _("Category")),
                    column("planned", _("Planned"), "money"),
                    column("changes", _("Changes"), "money"),
                    column("spent", _("Spent"), "money"),
                    column("available", _("Not used"), "money"),
                ],
                [
                    [
                        line["name"],
                        str(category_labels.get(line["category"], line["category"])),
                        money(line["planned"]),
                        money(line["changes"]),
                        money(line["spent"]),
                        money(line["available"]),
                    ]
                    for line in line_rows
                ],
            ),
            table(
                "changes",
                _("Amendments, transfers and supplementary grants"),
                [
                    column("date", _("Decided on"), "date"),
                    column("line", _("Budget line")),
                    column("kind", _("Kind")),
                    column("amount", _("Amount"), "money"),
                    column("reason", _("Reason")),
                ],
                [
                    [
                        change["decided_on"].isoformat(),
                        change["line_name"],
                        str(kind_labels.get(change["kind"], change["kind"])),
                        money(change["amount"]),
                        change["reason"],
                    ]
                    for change in change_list
                ],
            ),
            table(
                "supplementary_requests",
                _("Supplementary requests to the council"),
                [
                    column("status", _("Status")),
                    column("count", _("Requests"), "int"),
                    column("requested", _("Requested"), "money"),
                    column("granted", _("Granted"), "money"),
                ],
                [
                    [
                        str(label),
                        request_rows.get(value, {}).get("n", 0),
                        money(request_rows.get(value, {}).get("requested", ZERO)),
                        money(request_rows.get(value, {}).get("granted", ZERO)),
                    ]
                    for value, label in RequestStatus.choices
                    if value in request_rows
                ],
            ),
            table(
                "by_partner_city",
                _("Spending per partner city"),
                compared_columns(_("Partner city")),
                by_city,
            ),
            table(
                "trips_by_line",
                _("Trips and visits: committed and spent by budget line"),
                [
                    column("line", _("Budget line")),
                    column("trips", _("Trips and visits charged to it"), "int"),
                    column("committed", _("Still committed"), "money"),
                    column("spent", _("Spent"), "money"),
                ],
                [
                    [line["name"], line["trips"], money(line["trip_committed"]), money(line["trip_spent"])]
                    for line in line_rows
                    if line["trips"] or line["trip_committed"] or line["trip_spent"]
                ],
            ),
        ],
        "charts": [],
    }
