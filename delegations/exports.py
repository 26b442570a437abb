"""The gift register as CSV and XLSX, through the project's spreadsheet
writer (``oia.spreadsheets``: text that a spreadsheet would run as a formula
is defused, values stay numbers).

The queryset comes in filtered (GiftFilter) and must come from
``Gift.objects.for_register()``, so an export runs one query however long it is.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oia import spreadsheets

COLUMNS = [
    gettext_lazy("Year"),
    gettext_lazy("Starts on"),
    gettext_lazy("Delegation"),
    gettext_lazy("Destination / origin"),
    gettext_lazy("Given or received"),
    gettext_lazy("Gift"),
    gettext_lazy("To / from whom"),
    gettext_lazy("Value"),
    gettext_lazy("Above the declaration threshold"),
]


def header() -> list[str]:
    return [str(label) for label in COLUMNS]


def rows(queryset):
    """One row per gift, in the order of COLUMNS; the value stays a number."""
    yes, no = _("yes"), _("no")
    for gift in queryset:
        delegation = gift.delegation
        place = delegation.city.name if delegation.city_id else str(delegation.country.name)
        yield [
            str(delegation.start_on.year),
            delegation.start_on.isoformat(),
            delegation.title,
            place,
            gift.get_direction_display(),
            gift.description,
            gift.counterpart,
            gift.value,
            yes if gift.above_threshold else no,
        ]


def to_csv(queryset) -> bytes:
    return spreadsheets.to_csv([header(), *rows(queryset)])


def to_xlsx(queryset) -> bytes:
    return spreadsheets.to_xlsx([header(), *rows(queryset)], str(_("Gift register")))
