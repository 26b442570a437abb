"""The budget overview and a line's bookings as CSV (UTF-8 with a byte order
mark, for Excel) and XLSX. Amounts are plain numbers with two decimals (a
point in CSV, number cells in XLSX) so spreadsheets can add them up; text
that a spreadsheet would run as a formula is defused."""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import ChangeKind, CommitmentStatus, LineCategory

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 10, 50

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


def _defused(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    return _defused(str(value))


def to_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _number_format(value: Decimal) -> str:
    """Grouped, with as many decimals as the value has: 2 for money, 6 for a rate."""
    places = max(-value.as_tuple().exponent, 0)
    return "#,##0." + "0" * places if places else "#,##0"


def to_xlsx(rows, title: str) -> bytes:
    """A workbook with a bold, frozen, filterable header row; amounts as numbers."""
    data = list(rows)
    width = len(data[0])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index in range(width):
        longest = max(len(str(row[index])) if row[index] is not None else 0 for row in data)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(data)}"
    bold = Font(bold=True)
    for number, values in enumerate(data):
        cells = []
        for value in values:
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = _number_format(value)
            else:
                # Written as text explicitly: openpyxl would run "=…" as a formula.
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.data_type = "s"
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
