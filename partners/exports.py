"""Exporting partnerships to CSV and XLSX for Excel users.

The queryset comes in already filtered (PartnershipFilter); it must come from
``Partnership.objects.for_list()`` so the export runs a fixed number of queries.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oia import spreadsheets

from .choices import Region, Status

COLUMNS = [
    gettext_lazy("Partner city"),
    gettext_lazy("Local name"),
    gettext_lazy("Country code"),
    gettext_lazy("Country"),
    gettext_lazy("World region"),
    gettext_lazy("Kind"),
    gettext_lazy("Partnership since"),
    gettext_lazy("Ends on"),
    gettext_lazy("Status"),
    gettext_lazy("Responsible officer"),
    gettext_lazy("Areas of cooperation"),
    gettext_lazy("Clubs"),
]
# Spreadsheets run cells starting with these as formulas; city names come from imports.


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
            partnership.formalised_value,
            partnership.ends_on.isoformat() if partnership.ends_on else "",
            str(Status(status).label) if status else "",
            (officer.get_full_name() or officer.get_username()) if officer else "",
            "; ".join(area.name for area in partnership.areas.all()),
            "; ".join(club.name for club in partnership.clubs.all()),
        ]


def to_csv(queryset) -> bytes:
    return spreadsheets.to_csv([header(), *rows(queryset)])


def to_xlsx(queryset) -> bytes:
    return spreadsheets.to_xlsx([header(), *rows(queryset)], str(_("Partnerships")))
