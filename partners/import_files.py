"""Reading the uploaded file of a partnership import into a ``Table``: the
header names and rows of strings, JSON-friendly so the view can keep it in the
session between the steps. A .csv or the first sheet of an .xlsx; the caps
keep what the session holds small. A CSV may be saved the way German or
English Excel saves it: UTF-8 or Windows-1252, with commas, semicolons or
tabs."""

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


# Files that are not text at all, told apart by their first bytes.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip) and the old .xls
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"RIFF")
_PDF_MAGIC = b"%PDF"
SEPARATORS = ",;\t"


def decode_text(data: bytes) -> str:
    """The text of a CSV as offices save it: UTF-8 with or without a byte
    order mark ("CSV UTF-8"), else Windows-1252 (German Excel's "CSV
    (Trennzeichen-getrennt)"). Every byte decodes as Windows-1252, so a file
    that is no text at all is recognised first and named."""
    if data.startswith(_WORKBOOK_MAGIC):
        raise ImportFileError(_("This looks like an Excel workbook: upload it as .xlsx, or save it as CSV."))
    if data.startswith(_IMAGE_MAGIC):
        raise ImportFileError(_("This looks like an image, not a table. Upload a .csv or .xlsx file."))
    if data.startswith(_PDF_MAGIC):
        raise ImportFileError(_("This looks like a PDF document, not a table. Upload a .csv or .xlsx file."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is not a readable text file.")) from error
    if b"\x00" in data:
        raise ImportFileError(_("The file is not a text file. Upload a .csv or .xlsx file."))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is not a readable text file.")) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:  # the five bytes Windows-1252 leaves undefined
        raise ImportFileError(_("The file is not a readable text file.")) from error


def sniff_separator(text: str) -> str:
    """Comma, semicolon or tab, whichever the first lines use; a comma if unclear."""
    sample = "\n".join(text[:8192].splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {separator: first.count(separator) for separator in SEPARATORS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    delimiter = sniff_separator(text)
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
