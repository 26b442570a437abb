"""Reading the uploaded file of a partnership import into a ``Table``: the
header names and rows of strings, JSON-friendly so the view can keep it in the
session between the steps. A .csv (UTF-8, comma or semicolon) or the first
sheet of an .xlsx; the caps keep what the session holds small."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.utils.translation import gettext as _

MAX_ROWS = 2000
# Bounds what the session has to hold, whatever the shape of the file.
MAX_TEXT = 1_000_000
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
# An .xlsx is a zip archive: a 5 MB upload may unpack to gigabytes, and openpyxl
# holds all of a workbook's shared strings in memory. Checked from the archive's
# directory (zipfile never unpacks more than a member declares) before openpyxl reads it.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024


class ImportFileError(Exception):
    """The upload cannot be read as a table; the message says why, for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


def read_upload(upload) -> Table:
    """Read an uploaded .csv or .xlsx file into a Table of strings."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    data = upload.read()
    rows = _read_xlsx(data) if suffix == ".xlsx" else _read_csv(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    headers, body = rows[0], rows[1:]
    if not body:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
        )
    if sum(len(cell) for row in rows for cell in row) > MAX_TEXT:
        raise ImportFileError(_("The file holds too much text for an import of partnerships."))
    width = len(headers)
    body = [(row + [""] * width)[:width] for row in body]
    return Table(headers=headers, rows=body)


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The CSV file is not UTF-8 encoded. Save it as “CSV UTF-8” and try again.")) from error
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;").delimiter
    except csv.Error:
        delimiter = ","
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The Excel file unpacks to more than %(mb)s MB. Save only the sheet to import, or as CSV.")
            % {"mb": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from error
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
