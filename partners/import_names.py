"""How import files name things: countries, choice labels and the home city.

Offices write what they have: "Polen" or "Poland" for PL, the labels the
app's own exports carry in English or German ("Twinning / sister city",
"Städtepartnerschaft"), "Koeln" or "Cologne" for Köln. Everything is compared
folded (no case, no accents, umlauts also spelled out).
"""

import functools
import re

from django.conf import settings
from django.utils import translation
from django_countries import countries

from oia.text import fold

from . import gazetteer

# Other names of cities an office may call home, as files write them; the
# folded comparison already takes "Koln" and "Koeln" for "Köln", and an office
# adds its own in the OIA_HOME_CITY_NAMES setting.
# The gazetteer adds the home city's other names (``home_city_names``); this
# list keeps the usual ones when a city's entry lacks them.
HOME_CITY_OTHER_NAMES = {
    "koln": ["Cologne", "Colonia", "Keulen", "Cöln"],
    "munchen": ["Munich", "Monaco di Baviera"],
    "frankfurt am main": ["Frankfurt", "Frankfurt/Main", "Frankfurt a. M.", "Frankfurt a.M.", "Frankfort"],
    "nurnberg": ["Nuremberg"],
    "hannover": ["Hanover"],
    "braunschweig": ["Brunswick"],
    "wien": ["Vienna"],
}

# Country names that django-countries does not give but files use.
COUNTRY_OTHER_NAMES = {
    "czech republic": "CZ",
    "tschechische republik": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "usa": "US",
    "u.s.a.": "US",
    "united states": "US",
    "vereinigte staaten": "US",
    "uk": "GB",
    "great britain": "GB",
    "grossbritannien": "GB",
    "england": "GB",
    "scotland": "GB",
    "schottland": "GB",
    "wales": "GB",
    "holland": "NL",
    "russian federation": "RU",
    "russische foderation": "RU",
    "korea": "KR",
    "republic of korea": "KR",
    "republik korea": "KR",
    "volksrepublik china": "CN",
    "people's republic of china": "CN",
    "ivory coast": "CI",
    "elfenbeinkuste": "CI",
    "vietnam": "VN",
    "moldova": "MD",
    "moldawien": "MD",
    "weissrussland": "BY",
}


def header_key(header: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", fold(header)).split())


def name_keys(name: str) -> set[str]:
    """Folded forms of a name: "Köln" gives "koln" and "koeln", so files that
    write umlauts out (Koeln, Muenchen, Duesseldorf) match too."""
    spelled_out = (name or "").translate(
        str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
    )
    return {header_key(name), header_key(spelled_out)}


def home_city_names(home_city: str | None = None) -> set[str]:
    """Folded names by which a file may call the home city."""
    home = home_city or settings.OIA_HOME_CITY
    names = [home, *(name for name in settings.OIA_HOME_CITY_NAMES if name.strip())]
    for key in name_keys(home):
        names += HOME_CITY_OTHER_NAMES.get(key, [])
    places = gazetteer.lookup(home, settings.OIA_HOME_COUNTRY)
    if places:
        names += places[0].alternative_names
    return set().union(*(name_keys(name) for name in names))


def is_home_city(name: str, home_city: str | None = None) -> bool:
    """Whether ``name`` is the home city, written any way an office writes it
    ("Koeln", "Cologne", "KÖLN" for Köln)."""
    return bool(name_keys(name) & home_city_names(home_city))


@functools.cache
def _labels(choices, language: str) -> dict[str, str]:
    with translation.override(language):
        return {header_key(str(label)): value for value, label in choices.choices}


def choice_from_text(choices, text: str, aliases: dict[str, str] | None = None) -> str | None:
    """The value of ``choices`` that ``text`` names: the code, the label the
    app writes in English or German (as exports do), or an alias; None if none."""
    key = header_key(text)
    if key in choices.values:
        return key
    for language in ("en", "de"):
        if key in _labels(choices, language):
            return _labels(choices, language)[key]
    return (aliases or {}).get(key)


@functools.cache
def _country_names() -> dict[str, str]:
    names = dict(COUNTRY_OTHER_NAMES)
    for language in ("en", "de"):
        with translation.override(language):
            names.update({header_key(str(name)): code for code, name in countries})
    return names


def country_from_text(text: str) -> str | None:
    """The ISO code of a country given by its code or its English or German name."""
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    return _country_names().get(header_key(text))
