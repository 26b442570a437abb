"""Protocol: the Consular Corps, the city's international events and its
ambassadors abroad. Above the budget (events cost money on a line), below the
reports (which count all of it)."""

from .ambassadors import Ambassador, AmbassadorActivity, AmbassadorQuerySet
from .consular import ConsularPost, ConsularPostQuerySet, NationalDayObservance
from .events import Event, EventCost, EventQuerySet, Guest

__all__ = [
    "Ambassador",
    "AmbassadorActivity",
    "AmbassadorQuerySet",
    "ConsularPost",
    "ConsularPostQuerySet",
    "Event",
    "EventCost",
    "EventQuerySet",
    "Guest",
    "NationalDayObservance",
]
