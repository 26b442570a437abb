"""Rows as CSV (UTF-8 with a byte order mark, for Excel) and XLSX, for every
export of the app. Amounts (Decimals) stay numbers so spreadsheets can add
them up; text that a spreadsheet would run as a formula is defused."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 10, 50


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
