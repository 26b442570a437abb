"""Searches behind the searchable pickers (``oia.widgets.SearchSelect``).

A filter or form that picks one city among thousands renders only the chosen
one; the browser asks ``/search/<kind>/?q=`` for the rest as the user types.
Each app registers the kinds of record it owns in its ``AppConfig.ready()``
(cities, clubs and partnerships in partners, people in delegations), the way
retention rules and panels are registered, so the core's endpoint never
imports a higher app.

A search only proposes: the field that receives the id keeps its own
queryset, so an id outside it is still a form error."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# At most this many matches are sent; the user types more to narrow them.
MATCH_LIMIT = 20
# A name is shorter than this; a longer query is refused (400).
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class Search:
    """One kind of record that can be searched by name: ``matches(text)`` is
    the ordered queryset for a typed text ("" for the first ones), ``label``
    the text shown for a record, the same as the picker shows for a chosen one."""

    kind: str
    matches: Callable[[str], QuerySet]
    label: Callable[[Any], str] = str


_SEARCHES: dict[str, Search] = {}


def register(search: Search) -> None:
    """Make ``search`` answer at ``/search/<kind>/``; registering a kind again replaces it."""
    _SEARCHES[search.kind] = search


def get(kind: str) -> Search | None:
    return _SEARCHES.get(kind)


def kinds() -> list[str]:
    return sorted(_SEARCHES)
