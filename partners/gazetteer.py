"""The offline gazetteer: places from GeoNames (``data/gazetteer.tsv.gz``,
written by ``scripts/build_gazetteer.py``; licence in
``data/GAZETTEER_LICENCE.md``). Nothing is fetched at run time.

The file is read on first use and kept for the life of the process, indexed
by every folded form (``oia.text.search_forms``) of each place's name and
other names. The API for other modules:

- ``lookup(name, country=None)``: the places of that name, most populous first;
- ``enrich(city)``: fills an unsaved or saved city's missing coordinates,
  population, GeoNames id and other names when exactly one place matches.
"""

import gzip
import threading
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from oia.text import fold, search_forms

DATA = Path(__file__).resolve().parent / "data" / "gazetteer.tsv.gz"


@dataclass(frozen=True)
class Place:
    """One GeoNames place."""

    geonames_id: int
    name: str
    country: str
    latitude: Decimal
    longitude: Decimal
    population: int
    alternative_names: tuple[str, ...]


class _Gazetteer:
    """The places of one file and their index (folded name -> row numbers).
    Rows stay as text until a lookup needs them: parsing 170,000 places into
    objects up front would cost memory for places never asked for."""

    def __init__(self, path: Path):
        self.path = path

    @cached_property
    def _data(self) -> tuple[list[str], dict[str, list[int]]]:
        """The rows as text, and the row numbers of each country: reading
        is cheap, folding every name is not, so names are folded per country
        when a lookup first asks for it (``_index``)."""
        rows: list[str] = []
        by_country: dict[str, list[int]] = {}
        with gzip.open(self.path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                by_country.setdefault(line.split("\t", 3)[2], []).append(len(rows))
                rows.append(line)
        return rows, by_country

    @cached_property
    def _indexes(self) -> dict[str, dict[str, list[int]]]:
        return {}

    def _index(self, country: str) -> dict[str, list[int]]:
        """Folded name -> row numbers, for the places of one country."""
        index = self._indexes.get(country)
        if index is None:
            rows, by_country = self._data
            numbers_of = {}
            for number in by_country.get(country, []):
                parts = rows[number].rstrip("\n").split("\t")
                names = [parts[1], *(parts[6].split("|") if parts[6] else [])]
                for key in {form for name in names for form in search_forms(name)}:
                    numbers_of.setdefault(key, []).append(number)
            # Tuples of numbers, not lists: the garbage collector stops
            # tracking a tuple of numbers (and then a dict of such tuples), so
            # a process's collections no longer walk every name of every
            # country looked up (some 550,000 lists for all of them).
            index = {key: tuple(numbers) for key, numbers in numbers_of.items()}
            self._indexes[country] = index
        return index

    def place(self, number: int) -> Place:
        geonames_id, name, country, latitude, longitude, population, others = (
            self._data[0][number].rstrip("\n").split("\t")
        )
        return Place(
            geonames_id=int(geonames_id),
            name=name,
            country=country,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            population=int(population),
            alternative_names=tuple(others.split("|")) if others else (),
        )

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        key = fold(" ".join((name or "").split()))
        countries = [country.upper()] if country else sorted(self._data[1])
        with _lock:  # one thread folds a country's names; the others wait and reuse them
            numbers = [number for code in countries for number in self._index(code).get(key, [])]
        places = [self.place(number) for number in numbers]
        return sorted(places, key=lambda place: (-place.population, place.geonames_id))


_lock = threading.Lock()
_gazetteer: _Gazetteer | None = None


def _shared() -> _Gazetteer:
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            _gazetteer = _Gazetteer(DATA)
        # Reading under the lock: two threads never load the file twice.
        _gazetteer._data  # noqa: B018
        return _gazetteer


def lookup(name: str, country: str | None = None) -> list[Place]:
    """The places called ``name`` (its name or one of its other names, without
    regard to case or accents, "Koeln" as "Köln"), in ``country`` (ISO code)
    when given, most populous first."""
    return _shared().lookup(name, country)


def apply(city, place: Place) -> None:
    """Copies ``place`` onto ``city`` (not saved): coordinates, population,
    GeoNames id, and its other names added to those the city has."""
    city.latitude = place.latitude
    city.longitude = place.longitude
    city.population = place.population
    city.geonames_id = place.geonames_id
    names = list(city.alternative_names or [])
    for name in place.alternative_names:
        if name not in names and name != city.name:
            names.append(name)
    city.alternative_names = names


def enrich(city) -> Place | None:
    """Fills ``city`` (not saved) from the gazetteer when its name and country
    match exactly one place and it has no coordinates yet. Several matches or
    none leave it for a person to choose (the city's edit page lists them).
    Returns the place used, if any."""
    if city.latitude is not None or city.longitude is not None or not city.country:
        return None
    places = lookup(city.name, str(city.country.code if hasattr(city.country, "code") else city.country))
    if len(places) != 1:
        return None
    apply(city, places[0])
    return places[0]
