"""Writes of cities: a new city is looked up in the offline gazetteer
(``partners.gazetteer``) so it arrives with coordinates, population, GeoNames
id and other names when its name and country match exactly one place."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from oia.versioning import update_versioned

from .. import gazetteer
from ..models import City

CITY_FIELDS = (
    "name",
    "local_name",
    "country",
    "latitude",
    "longitude",
    "population",
    "geonames_id",
    "alternative_names",
)


@transaction.atomic
def city_create(*, name: str, country: str, local_name: str = "", **fields) -> City:
    """Creates a city, filled from the gazetteer when it comes without
    coordinates and one place matches. Used by every path that creates a
    city (the import, the demo data) so none of them has to remember it."""
    city = City(name=name, country=country, local_name=local_name, **fields)
    gazetteer.enrich(city)
    city.full_clean(exclude=["region", "search_key"])
    city.save()
    return city


@transaction.atomic
def city_update(*, city: City, version: int | None, **fields) -> City:
    """Saves a staff member's edit of ``city`` unless a colleague saved it
    since the form was loaded (``version``)."""
    return update_versioned(
        city,
        version=version,
        fields=fields,
        allowed=CITY_FIELDS,
        message=_(
            "Someone else changed this city while you were editing it. Reload the page to see their changes, "
            "then make yours again."
        ),
    )


@transaction.atomic
def home_city_record() -> City:
    """The home city (settings ``OIA_HOME_CITY`` and ``OIA_HOME_COUNTRY``) as
    a City, created from the gazetteer when missing, so the map draws it with
    its own marker and a line to each partner city."""
    city = (
        City.objects.filter(name=settings.OIA_HOME_CITY, country=settings.OIA_HOME_COUNTRY)
        .order_by("latitude", "pk")
        .first()
    )
    if city is None:
        city = city_create(name=settings.OIA_HOME_CITY, country=settings.OIA_HOME_COUNTRY)
    return city
