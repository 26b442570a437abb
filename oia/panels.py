"""Panels: how a higher app shows something on a lower app's page.

Imports run downwards only (partners → delegations → networks → budget →
reports), yet a partnership's page shows its money and a club's portal page
its grant applications. The lower page names a slot and iterates over what
is registered there; the higher app registers its panel in its
``AppConfig.ready()``. Like the report's ``SECTION_BUILDERS``, the page
works with whatever is there and never imports the app that fills it.

Slots in use: ``partnership-detail``, ``club-page`` and ``anniversary-list``
(partners), ``delegation-detail`` (delegations); budget fills all four. In a
list (``anniversary-list``) a panel is one column: its ``column_heading``
heads it and its template is one cell of each row.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _unchanged(queryset):
    return queryset


def _nothing(obj) -> dict:
    return {}


@dataclass(frozen=True)
class Panel:
    """One piece of a page: its template, what it adds to the page's
    queryset (annotations, so it costs no query of its own) and to the context."""

    name: str
    template: str
    actions_template: str = ""  # links it adds to the page's row of actions, if the page has one
    column_heading: Any = ""  # in a list's slot: the heading of the panel's column
    prepare: Callable[[Any], Any] = _unchanged
    context: Callable[[Any], dict] = field(default=_nothing)


_SLOTS: dict[str, dict[str, Panel]] = defaultdict(dict)


def register(slot: str, panel: Panel) -> None:
    """Add ``panel`` to ``slot``; registering the same name again replaces it."""
    _SLOTS[slot][panel.name] = panel


def panels(slot: str) -> list[Panel]:
    """The panels of ``slot`` in the order they were registered."""
    return list(_SLOTS[slot].values())


def prepare(slot: str, queryset):
    """The page's queryset with what every panel of ``slot`` needs added."""
    for panel in panels(slot):
        queryset = panel.prepare(queryset)
    return queryset


def context(slot: str, obj) -> dict:
    """The context of every panel of ``slot`` for ``obj``, plus the panels
    themselves as ``panels`` for the template to include in order."""
    merged: dict = {"panels": panels(slot)}
    for panel in merged["panels"]:
        merged.update(panel.context(obj))
    return merged
