"""Searches behind the searchable pickers (``oia.widgets.SearchSelect``) and
the site-wide search in the header (``oia.search_views``).

A filter or form that picks one city among thousands renders only the chosen
one; the browser asks ``/search/<kind>/?q=`` for the rest as the user types.
Each app registers the kinds of record it owns in its ``AppConfig.ready()``
(cities, clubs and partnerships in partners, people in delegations), the way
retention rules and panels are registered, so the core's endpoint never
imports a higher app.

A kind registered with a ``heading`` also takes part in the site-wide search
(``/search/?q=``, office staff only): one query per kind, at most ``limit``
records each, with the number found counted in the same query (a window
count), so the page asks a fixed number of queries however many rows match.

A search only proposes: the field that receives the id keeps its own
queryset, so an id outside it is still a form error."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Window
from django.urls import reverse

# At most this many matches are sent; the user types more to narrow them.
MATCH_LIMIT = 20
# A name is shorter than this; a longer query is refused (400).
QUERY_MAX_LENGTH = 100
# The site-wide search shows this many records of each kind (the header's
# suggestions fewer), and at most ``KIND_LIMIT`` when one kind is asked for.
SITE_LIMIT = 5
SUGGESTION_LIMIT = 3
KIND_LIMIT = 50


@dataclass(frozen=True)
class Search:
    """One kind of record that can be searched by name: ``matches(text)`` is
    the ordered queryset for a typed text ("" for the first ones), ``label``
    the text shown for a record, the same as the picker shows for a chosen one.

    For the site-wide search, a kind also gives its ``heading`` (a plural:
    "Cities"), its place among the groups (``position``), the address of a
    record's page (``link``), a short line that tells records of the same name
    apart (``describe``) and, where the kind has a list page with a text
    filter, that page filtered on the text (``list_link``)."""

    kind: str
    matches: Callable[[str], QuerySet]
    label: Callable[[Any], str] = str
    heading: str = ""
    position: int = 100
    link: Callable[[Any], str] | None = None
    describe: Callable[[Any], str] = lambda record: ""
    list_link: Callable[[str], str] | None = None

    @property
    def site_wide(self) -> bool:
        return bool(self.heading) and self.link is not None


_SEARCHES: dict[str, Search] = {}


def register(search: Search) -> None:
    """Make ``search`` answer at ``/search/<kind>/``; registering a kind again replaces it."""
    _SEARCHES[search.kind] = search


def get(kind: str) -> Search | None:
    return _SEARCHES.get(kind)


def kinds() -> list[str]:
    return sorted(_SEARCHES)


def site_searches() -> list[Search]:
    """The kinds of the site-wide search, in the order their groups are shown."""
    return sorted((found for found in _SEARCHES.values() if found.site_wide), key=lambda found: found.position)


@dataclass(frozen=True)
class Hit:
    label: str
    description: str
    url: str


@dataclass(frozen=True)
class Group:
    """The records of one kind found for a text: the first few, how many there
    are in all, and where to see the rest."""

    kind: str
    heading: str
    hits: list[Hit]
    total: int
    more_url: str

    @property
    def more(self) -> bool:
        return self.total > len(self.hits)


def filtered_list(name: str) -> Callable[[str], str]:
    """A ``list_link``: the list page at URL ``name`` filtered on the text (its FilterSet's ``q``)."""
    return lambda text: f"{reverse(name)}?{urlencode({'q': text})}"


def more_link(found: Search, text: str) -> str:
    """The kind's list page filtered on ``text``, or the results page for this kind alone."""
    if found.list_link is not None:
        return found.list_link(text)
    return f"{reverse('search:site')}?{urlencode({'q': text, 'kind': found.kind})}"


def site_search(text: str, *, limit: int = SITE_LIMIT, kind: str = "") -> list[Group]:
    """The groups of records matching ``text`` (only those with matches): one
    query per kind, whatever the number of rows."""
    groups = []
    for found in site_searches():
        if kind and found.kind != kind:
            continue
        records = list(found.matches(text).annotate(site_search_total=Window(Count("pk")))[:limit])
        if not records:
            continue
        hits = [Hit(found.label(record), found.describe(record), found.link(record)) for record in records]
        # Asked for one kind without a list page, this page is already the longest list there is.
        more_url = "" if kind and found.list_link is None else more_link(found, text)
        groups.append(Group(found.kind, str(found.heading), hits, records[0].site_search_total, more_url))
    return groups
