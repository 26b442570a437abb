"""Writes of cities: a new city is looked up in the offline gazetteer
(``partners.gazetteer``) so it arrives with coordinates, population, GeoNames
id and other names when its name and country match exactly one place."""

from django.db import transaction

from .. import gazetteer
from ..models import City


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
