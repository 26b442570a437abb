"""The report as an XLSX workbook: one sheet per section with its key figures
(year, previous year, change) and each of its tables under its caption.
Money cells are numbers with two decimals, so the council's staff can sum them.
Text cells and sheet names go through the shared rules of oia.spreadsheets, so
a control character in a city name or a reason never breaks the workbook."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from oia import spreadsheets

from .html import PREVIOUS_COLUMNS, no_data, previous_year_missing

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
MONEY_FORMAT = "#,##0.00"


def _cell(kind: str, value):
    if value is None:
        return None
    if kind == "money":
        return Decimal(value)
    return value


def _write_row(sheet, values, kinds=None, font=None):
    sheet.append([spreadsheets.cell_text(value) if isinstance(value, str) else value for value in values])
    row = sheet.max_row
    for cell in sheet[row]:
        if cell.data_type == "f":  # text such as a reason "=…" is text, never a formula a spreadsheet runs
            cell.data_type = "s"
    for index, kind in enumerate(kinds or []):
        if kind == "money":
            sheet.cell(row=row, column=index + 1).number_format = MONEY_FORMAT
    if font:
        for cell in sheet[row]:
            cell.font = font


def render_xlsx(figures: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    year = figures["year"]
    missing = previous_year_missing(figures)
    for number, section in enumerate(figures["sections"], start=1):
        sheet = workbook.create_sheet(spreadsheets.sheet_title(f"{number} {section['title']}"))
        _write_row(sheet, [section["title"]], font=TITLE)
        if section.get("intro"):
            _write_row(sheet, [section["intro"]])
        for fact in section.get("facts", []):
            _write_row(sheet, [fact["label"], fact["value"]])
        if section.get("figures"):
            sheet.append([])
            _write_row(sheet, [_("Figure"), str(year), str(year - 1), _("Change")], font=BOLD)
            for f in section["figures"]:
                kind = f["kind"]
                if missing:
                    _write_row(sheet, [f["label"], _cell(kind, f["value"]), no_data(), no_data()], kinds=["text", kind])
                    continue
                _write_row(
                    sheet,
                    [f["label"], _cell(kind, f["value"]), _cell(kind, f["previous"]), _cell(kind, f["change"])],
                    kinds=["text", kind, kind, kind],
                )
        for t in section.get("tables", []):
            sheet.append([])
            _write_row(sheet, [t["caption"]], font=BOLD)
            _write_row(sheet, [c["label"] for c in t["columns"]], font=BOLD)
            kinds = [c["kind"] for c in t["columns"]]
            blank = [missing and c["key"] in PREVIOUS_COLUMNS for c in t["columns"]]
            written = ["text" if empty else kind for kind, empty in zip(kinds, blank, strict=True)]
            for row in t["rows"]:
                cells = [no_data() if empty else _cell(k, v) for k, v, empty in zip(kinds, row, blank, strict=False)]
                _write_row(sheet, cells, kinds=written)
        sheet.column_dimensions["A"].width = 45
        for letter in "BCDEFG":
            sheet.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
