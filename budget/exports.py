"""The rows of the budget overview and of a line's bookings, for the CSV and
XLSX writers of oia.spreadsheets. Amounts stay Decimals (numbers in the
spreadsheet)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ChangeKind, CommitmentStatus, LineCategory

OVERVIEW_COLUMNS = [
    gettext_lazy("Line"),
    gettext_lazy("Category"),
    gettext_lazy("Partner city"),
    gettext_lazy("Planned"),
    gettext_lazy("Changes"),
    gettext_lazy("Current"),
    gettext_lazy("Committed"),
    gettext_lazy("Spent"),
    gettext_lazy("Available"),
    gettext_lazy("Used (percent)"),
    gettext_lazy("Warning"),
]

LINE_COLUMNS = [
    gettext_lazy("Kind"),
    gettext_lazy("Date"),
    gettext_lazy("Description"),
    gettext_lazy("Payee or other line"),
    gettext_lazy("Amount"),
    gettext_lazy("Original amount"),
    gettext_lazy("Original currency"),
    gettext_lazy("Exchange rate"),
    gettext_lazy("Status"),
    gettext_lazy("Reference or reason"),
]


def _percent(value):
    return value.quantize(Decimal("0.1")) if value is not None else None


def overview_rows(overview):
    """Header, one row per line, then the total of the whole budget."""
    categories = dict(LineCategory.choices)
    yield [str(label) for label in OVERVIEW_COLUMNS]
    for line in overview.lines:
        yield [
            line.name,
            str(categories.get(line.category, line.category)),
            line.partnership.partner_city.name if line.partnership else "",
            line.planned,
            line.changes,
            line.current,
            line.committed,
            line.spent,
            line.available,
            _percent(line.used_percent),
            str(line.warning_label),
        ]
    total = overview.totals
    yield [
        _("Total"),
        "",
        "",
        total["planned"],
        total["changes"],
        total["current"],
        total["committed"],
        total["spent"],
        total["available"],
        _percent(total["used_percent"]),
        str(total["warning_label"]),
    ]


def line_rows(line):
    """Header, then the line's changes, commitments and expenses, each a row."""
    kinds = dict(ChangeKind.choices)
    statuses = dict(CommitmentStatus.choices)
    yield [str(label) for label in LINE_COLUMNS]
    for change in line.change_list:
        yield [
            str(kinds.get(change.kind, change.kind)),
            change.decided_on.isoformat(),
            change.reason,
            change.counterpart.name if change.counterpart else "",
            change.amount,
            None,
            "",
            None,
            "",
            change.council_reference,
        ]
    for commitment in line.commitments.all():
        yield [
            _("Commitment"),
            commitment.created_at.date().isoformat(),
            commitment.description,
            commitment.delegation.title if commitment.delegation else "",
            commitment.amount,
            None,
            "",
            None,
            str(statuses.get(commitment.status, commitment.status)),
            "",
        ]
    for expense in line.expenses.all():
        yield [
            _("Expense"),
            expense.date.isoformat(),
            expense.description,
            expense.payee,
            expense.amount,
            expense.original_amount,
            expense.original_currency,
            expense.exchange_rate,
            _("Booked"),
            expense.override_reason,
        ]
