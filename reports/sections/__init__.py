"""The report's sections, one builder per section, in the order they appear.

Each builder takes the year and returns plain JSON-serialisable data (see
``common``) computed by SQL aggregation. A new section plugs in by adding
its module to ``SECTION_BUILDERS``: the HTML,
PDF and XLSX renderers and the comparison iterate over whatever is there.
"""

import hashlib
import json

from . import budget, clubs, coverage, gifts, method, networks, partnerships, protocol, travel, visitors

SECTION_BUILDERS = [
    travel.build,
    visitors.build,
    partnerships.build,
    clubs.build,
    networks.build,
    gifts.build,
    budget.build,
    # Last, so the sections before keep their numbers, anchors and sheet names.
    protocol.build,
]


def canonical_json(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum_of(data) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def build_figures(year: int, *, cut_off: str) -> tuple[dict, str]:
    """All sections for ``year`` and the checksum of their data.

    The checksum covers the data sections only, not the method section (which
    carries the cut-off time), so unchanged data gives the same checksum.
    ``previous_year_recorded`` says whether the year before has any data at
    all (``coverage``); the renderers print "no data" for it when not, and
    the method section says what that means."""
    sections = [build(year) for build in SECTION_BUILDERS]
    checksum = checksum_of({"year": year, "sections": sections})
    recorded = coverage.year_recorded(year - 1)
    sections.append(method.build(cut_off=cut_off, checksum=checksum, previous_year_recorded=recorded))
    return {"year": year, "sections": sections, "previous_year_recorded": recorded}, checksum
