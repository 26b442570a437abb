"""Importing partnerships from a spreadsheet: read, map columns, preview, apply.

No HTTP here. A file is read into a ``Table`` by ``import_files`` (header
names and rows of strings, JSON-friendly so the view can keep it in the
session between steps).
A mapping ties each target field to a column index. ``preview`` checks every
row without writing; ``partnerships_import`` checks again and writes all or
nothing. Row numbers are those a spreadsheet shows: the header is row 1.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oia.text import control_characters

from . import gazetteer
from .choices import PartnershipKind, Status
from .import_names import choice_from_text, country_from_text, header_key, home_city_names, name_keys
from .models import City, Partnership, StatusChange

MAX_NAME = 200


# (field, label, required). home_city only decides which rows belong to us.
TARGET_FIELDS = [
    ("partner_city", gettext_lazy("Partner city"), True),
    ("partner_country", gettext_lazy("Country (ISO code or name, e.g. PL or Poland)"), True),
    ("year_formalised", gettext_lazy("Year or date formalised"), True),
    ("kind", gettext_lazy("Kind of partnership"), False),
    ("local_name", gettext_lazy("Name in the local language"), False),
    ("latitude", gettext_lazy("Latitude"), False),
    ("longitude", gettext_lazy("Longitude"), False),
    ("home_city", gettext_lazy("Home city (rows of other cities are skipped)"), False),
    ("status", gettext_lazy("Status (rows of ended partnerships are not created)"), False),
]
REQUIRED_FIELDS = [name for name, _label, required in TARGET_FIELDS if required]

# Header names as ``header_key`` folds them: lower case, no accents, "_"/"-" as spaces.
HEADER_ALIASES = {
    name: set(aliases.split("|"))
    for name, aliases in {
        "partner_city": "partner city|partnerstadt|stadt|city|partner|partnerkommune|kommune|ort",
        "partner_country": "partner country|country|land|country code|landercode|landerkurzel|partnerland|staat|iso",
        "year_formalised": "year formalised|year formalized|year|jahr|seit|since|formalised|formalized|"
        "formalised on|date|datum|partnerschaft seit|partnership since|signed|unterzeichnet|geschlossen",
        "kind": "kind|type|art|typ|partnership kind|partnership type|partnerschaftsart",
        "local_name": "local name|name in the local language|lokaler name|ortsname|originalname|native name|"
        "name in landessprache",
        "latitude": "latitude|lat|breitengrad|breite",
        "longitude": "longitude|lon|lng|long|langengrad|lange",
        "home_city": "home city|heimatstadt|eigene stadt|our city",
        "status": "status|state|zustand",
    }.items()
}

KIND_ALIASES = {
    alias: kind
    for kind, aliases in {
        PartnershipKind.TWINNING: "twinning|sister city|stadtepartnerschaft|partnerstadt",
        PartnershipKind.FRIENDSHIP: "friendship|freundschaft",
        PartnershipKind.PROJECT: "project|projekt",
        PartnershipKind.DISTRICT: "district|stadtteil|bezirk",
    }.items()
    for alias in aliases.split("|")
}

CREATE, UNCHANGED, SKIP = "create", "unchanged", "skip"


@dataclass
class RowResult:
    number: int
    values: dict
    action: str = CREATE
    errors: list[str] = field(default_factory=list)
    note: str = ""
    cleaned: dict = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        if self.errors:
            return _("Error")
        return {CREATE: _("Create"), UNCHANGED: _("Unchanged"), SKIP: _("Skip")}[self.action]


@dataclass
class Preview:
    rows: list[RowResult]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def to_create(self) -> int:
        return self.count(CREATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def skipped(self) -> int:
        return self.count(SKIP)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def error_messages(self) -> list[str]:
        return [
            _("Row %(number)s: %(error)s") % {"number": row.number, "error": error}
            for row in self.rows
            for error in row.errors
        ]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)


@dataclass
class ImportSummary:
    created: int
    unchanged: int
    skipped: int


def propose_mapping(headers: list[str]) -> dict[str, int | None]:
    """Guess the column of each target field from the header names."""
    mapping, used = {}, set()
    keys = [header_key(header) for header in headers]
    for name, _label, _required in TARGET_FIELDS:
        mapping[name] = None
        for index, key in enumerate(keys):
            if index not in used and key in HEADER_ALIASES[name]:
                mapping[name] = index
                used.add(index)
                break
    return mapping


def mapping_errors(mapping: dict) -> list[str]:
    labels = {name: label for name, label, _required in TARGET_FIELDS}
    errors = [
        _("Choose the column that holds “%(field)s”.") % {"field": labels[name]}
        for name in REQUIRED_FIELDS
        if mapping.get(name) is None
    ]
    columns = [column for column in mapping.values() if column is not None]
    if len(columns) != len(set(columns)):
        errors.append(_("Each column can be used for one field only."))
    return errors


def parse_year_or_date(value: str) -> tuple[datetime.date, bool]:
    """Parse "1991", "1991-05-12" or "12.05.1991" into (date, year_only); ValueError otherwise."""
    if re.fullmatch(r"\d{4}", value):
        return datetime.date(int(value), 1, 1), True
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date(), False
        except ValueError:
            continue
    raise ValueError(value)


def _decimal(value: str) -> Decimal:
    number = Decimal(value.replace(",", "."))
    if not number.is_finite():
        raise InvalidOperation(value)
    return number.quantize(Decimal("0.000001"))


def _check_row(values: dict) -> tuple[dict, list[str]]:
    """Check one row on its own; return the cleaned values and the errors."""
    errors, cleaned = [], {}
    name = values.get("partner_city", "")
    if not name:
        errors.append(_("the partner city is missing"))
    elif len(name) > MAX_NAME:
        errors.append(_("the city name is longer than %(max)s characters") % {"max": MAX_NAME})
    if control_characters(name):
        errors.append(_("the city name contains invisible control characters; remove them in the file"))
    cleaned["name"] = name

    country = values.get("partner_country", "")
    cleaned["country"] = country_from_text(country) or country.upper()
    if not country:
        errors.append(_("the country is missing"))
    elif country_from_text(country) is None:
        errors.append(
            _("country '%(value)s' is not a known country code or country name") % {"value": values["partner_country"]}
        )

    formalised = values.get("year_formalised", "")
    try:
        cleaned["formalised_on"], cleaned["formalised_year_only"] = parse_year_or_date(formalised)
    except ValueError:
        if formalised:
            errors.append(
                _("'%(value)s' is neither a year (1991) nor a date (1991-05-12 or 12.05.1991)") % {"value": formalised}
            )
        else:
            errors.append(_("the year of formalisation is missing"))
    else:
        today = timezone.localdate()
        if cleaned["formalised_year_only"] and cleaned["formalised_on"].year > today.year:
            errors.append(_("year %(year)s is in the future") % {"year": formalised})
        elif not cleaned["formalised_year_only"] and cleaned["formalised_on"] > today:
            errors.append(_("date %(date)s is in the future") % {"date": formalised})

    kind = values.get("kind", "")
    cleaned["kind"] = choice_from_text(PartnershipKind, kind, KIND_ALIASES) if kind else PartnershipKind.TWINNING
    if cleaned["kind"] is None:
        errors.append(_("kind '%(value)s' is unknown; use twinning, friendship, project or district") % {"value": kind})

    status = values.get("status", "")
    cleaned["ended"] = bool(status) and choice_from_text(Status, status) == Status.ENDED
    if status and choice_from_text(Status, status) is None:
        errors.append(_("status '%(value)s' is unknown; use active, dormant, frozen or ended") % {"value": status})

    cleaned["local_name"] = values.get("local_name", "")
    if len(cleaned["local_name"]) > MAX_NAME:
        errors.append(_("the local name is longer than %(max)s characters") % {"max": MAX_NAME})
    if control_characters(cleaned["local_name"]):
        errors.append(_("the local name contains invisible control characters; remove them in the file"))

    cleaned["latitude"] = cleaned["longitude"] = None
    latitude, longitude = values.get("latitude", ""), values.get("longitude", "")
    if bool(latitude) != bool(longitude):
        errors.append(_("give both latitude and longitude, or neither"))
    for key, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not value:
            continue
        try:
            number = _decimal(value)
        except InvalidOperation:
            number = None
        if number is None or abs(number) > limit:
            errors.append(
                _("%(field)s '%(value)s' is not a number between -%(limit)s and %(limit)s")
                % {"field": key, "value": value, "limit": limit}
            )
        else:
            cleaned[key] = number
    return cleaned, errors


def _city_key(name: str, country: str) -> tuple[str, str]:
    return name.casefold(), country


def preview(table_rows: list[list[str]], mapping: dict, home_city: str | None = None) -> Preview:
    """Check every row and decide its action, in a fixed number of queries.

    A row marked as ended is never created: it is "unchanged" when the city
    has a partnership recorded (an export lists ended ones too, so importing
    it again changes nothing), else skipped."""
    home_names = home_city_names(home_city)
    results, seen = [], {}
    for offset, row in enumerate(table_rows):
        values = {
            name: (row[column] if column is not None and column < len(row) else "").strip()
            for name, column in mapping.items()
        }
        result = RowResult(number=offset + 2, values=values)
        results.append(result)
        if values.get("home_city") and not name_keys(values["home_city"]) & home_names:
            result.action = SKIP
            result.note = _("belongs to another city (%(city)s)") % {"city": values["home_city"]}
            continue
        result.cleaned, result.errors = _check_row(values)
        key = _city_key(result.cleaned["name"], result.cleaned["country"])
        if result.cleaned["ended"]:
            continue
        if result.cleaned["name"] and key in seen:
            result.errors.append(_("duplicate of row %(number)s (same city and country)") % {"number": seen[key]})
        seen.setdefault(key, result.number)

    checked = [row for row in results if row.action != SKIP and not row.errors]
    codes = {row.cleaned["country"] for row in checked}
    open_cities, recorded_cities = set(), set()
    for name, country, status in Partnership.objects.filter(partner_city__country__in=codes).values_list(
        "partner_city__name", "partner_city__country", "current_status"
    ):
        recorded_cities.add(_city_key(name, country))
        if status != Status.ENDED:
            open_cities.add(_city_key(name, country))
    for row in checked:
        key = _city_key(row.cleaned["name"], row.cleaned["country"])
        if row.cleaned["ended"] and key in recorded_cities:
            row.action = UNCHANGED
            row.note = _("this ended partnership is already recorded")
        elif row.cleaned["ended"]:
            row.action = SKIP
            row.note = _("an ended partnership is not created by an import")
        elif key in open_cities:
            row.action = UNCHANGED
            row.note = _("a partnership with this city is already recorded")
    return Preview(rows=results)


def _find_or_create_city(cleaned: dict, known: dict) -> City:
    """The recorded city with this name and country (and coordinates, when
    given), else a new one. ``known`` indexes cities by name and country."""
    key = _city_key(cleaned["name"], cleaned["country"])
    coordinates = (cleaned["latitude"], cleaned["longitude"])
    for city in known.setdefault(key, []):
        if cleaned["latitude"] is None or (city.latitude, city.longitude) == coordinates:
            return city
    city = City(
        name=cleaned["name"],
        local_name=cleaned["local_name"],
        country=cleaned["country"],
        latitude=cleaned["latitude"],
        longitude=cleaned["longitude"],
    )
    gazetteer.enrich(city)  # a file without coordinates still puts its cities on the map
    city.save()
    known[key].append(city)
    return city


@transaction.atomic
def partnerships_import(*, rows: list[list[str]], mapping: dict, recorded_by, home_city=None) -> ImportSummary:
    """Create the partnerships of ``rows``, all or nothing.

    An advisory lock makes a second import (a double click) wait for the first
    and then find its partnerships "unchanged", so importing stays idempotent.
    Existing cities are reused as they are, never updated. New cities are
    saved one by one (City.save derives their region and search key); the
    partnerships and their first status entries, as ``partnership_create``
    writes them, in two statements, so 2,000 rows take seconds, not minutes.
    """
    problems = mapping_errors(mapping)
    if problems:
        raise ValidationError(problems)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('partners.partnerships_import'))")
    checked = preview(rows, mapping, home_city=home_city)
    if checked.has_errors:
        raise ValidationError(checked.error_messages)
    to_create = [row for row in checked.rows if row.action == CREATE]
    known = {}
    for city in City.objects.filter(country__in={row.cleaned["country"] for row in to_create}).order_by("pk"):
        known.setdefault(_city_key(city.name, city.country.code), []).append(city)
    known_ids = {city.pk for cities in known.values() for city in cities}
    partnerships = []
    for row in to_create:
        partnership = Partnership(
            kind=row.cleaned["kind"],
            formalised_on=row.cleaned["formalised_on"],
            formalised_year_only=row.cleaned["formalised_year_only"],
        )
        # Model rules row by row without a query: the city is checked below for
        # all rows at once, the end-date constraint cannot apply without an end date.
        partnership.full_clean(exclude=["partner_city"], validate_unique=False, validate_constraints=False)
        partnership.partner_city = _find_or_create_city(row.cleaned, known)
        partnerships.append(partnership)
    reused = {partnership.partner_city_id for partnership in partnerships} & known_ids
    if Partnership.objects.not_ended().filter(partner_city__in=reused).exists():
        raise ValidationError(_("There is already a partnership with this city that has not ended."))
    Partnership.objects.bulk_create(partnerships)
    reason = _("Partnership formalised.")
    StatusChange.objects.bulk_create(
        StatusChange(
            partnership=partnership,
            status=Status.ACTIVE,
            effective_on=partnership.formalised_on,
            reason=reason,
            recorded_by=recorded_by,
        )
        for partnership in partnerships
    )
    return ImportSummary(created=checked.count(CREATE), unchanged=checked.count(UNCHANGED), skipped=checked.count(SKIP))
