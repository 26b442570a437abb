"""Exporting partnerships to CSV and XLSX for Excel users.

The queryset comes in already filtered (PartnershipFilter); it must come from
``Partnership.objects.for_list()`` so the export runs a fixed number of queries.
"""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .choices import Region, Status

COLUMNS = [
    gettext_lazy("Partner city"),
    gettext_lazy("Local name"),
    gettext_lazy("Country code"),
    gettext_lazy("Country"),
    gettext_lazy("World region"),
    gettext_lazy("Kind"),
    gettext_lazy("Formalised"),
    gettext_lazy("Ends on"),
    gettext_lazy("Status"),
    gettext_lazy("Responsible officer"),
    gettext_lazy("Areas of cooperation"),
    gettext_lazy("Clubs"),
]
# Spreadsheets run cells starting with these as formulas; city names come from imports.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 10, 50


def header() -> list[str]:
    return [str(label) for label in COLUMNS]


def rows(queryset):
    """One list of strings per partnership, in the order of COLUMNS."""
    for partnership in queryset:
        city = partnership.partner_city
        officer = partnership.responsible_officer
        status = partnership.current_status
        yield [
            city.name,
            city.local_name,
            city.country.code,
            str(city.country.name),
            str(Region(city.region).label) if city.region else "",
            partnership.get_kind_display(),
            partnership.formalised_display,
            partnership.ends_on.isoformat() if partnership.ends_on else "",
            str(Status(status).label) if status else "",
            (officer.get_full_name() or officer.get_username()) if officer else "",
            "; ".join(area.name for area in partnership.areas.all()),
            "; ".join(club.name for club in partnership.clubs.all()),
        ]


def _defused(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(queryset) -> bytes:
    """UTF-8 with a byte order mark, which is how Excel knows it is UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    for row in rows(queryset):
        writer.writerow([_defused(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(queryset) -> bytes:
    """A workbook with a bold, frozen, filterable header row.

    Cells are written as text explicitly: openpyxl would otherwise turn a
    value starting with "=" into a formula.
    """
    data = [header(), *rows(queryset)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Partnerships"))
    for index in range(len(COLUMNS)):
        longest = max(len(row[index]) for row in data)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(data)}"
    bold = Font(bold=True)
    for number, values in enumerate(data):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
