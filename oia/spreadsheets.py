"""Rows as CSV (UTF-8 with a byte order mark, for Excel) and XLSX, for every
export of the app. Amounts (Decimals) stay numbers so spreadsheets can add
them up; text that a spreadsheet would run as a formula is defused.

Every text cell goes through ``cell_text`` and every sheet name through
``sheet_title`` (the council report's workbook uses them too): a control
character stored before input refused them, or a budget line called
"Travel / Events", must never make an export fail.
"""

import csv
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .text import without_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 10, 50
SHEET_TITLE_MAX = 31
# Excel refuses these in a sheet name, and a name that starts or ends with an apostrophe.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def cell_text(value) -> str:
    """The text of a cell: line breaks and tabs stay, other control
    characters go (openpyxl refuses them; Excel would not open the file)."""
    return without_control_characters("" if value is None else str(value), keep="\t\n")


def sheet_title(text, *, fallback: str = "Sheet") -> str:
    """A name Excel accepts for a sheet: no []:*?/\\ or control characters, at
    most 31 characters, not empty, no apostrophe first or last, not the
    reserved "History"."""
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", without_control_characters(str(text), keep=""))
    title = " ".join(title.split())[:SHEET_TITLE_MAX].strip(" '")
    if title.casefold() == "history":
        title = f"{title} 1"
    return title or fallback


def _defused(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    return _defused(cell_text(value))


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
    sheet = workbook.create_sheet(sheet_title(title))
    for index in range(width):
        longest = max(len(cell_text(row[index])) for row in data)
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
                cell = WriteOnlyCell(sheet, value=cell_text(value))
                cell.data_type = "s"
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
