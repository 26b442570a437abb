"""Shared reads of the partners app, used by pages, the dashboard and feeds."""

import datetime

from .anniversaries import Anniversary, jubilees_between
from .models import Partnership


def celebrated_partnerships():
    """Ended partnerships have no jubilees to celebrate."""
    return Partnership.objects.not_ended().select_related("partner_city")


def upcoming_jubilees(today: datetime.date, count: int = 5) -> list[Anniversary]:
    """The next ``count`` jubilees from ``today``, this year and next."""
    found = jubilees_between(celebrated_partnerships(), today.year, today.year + 1)
    return [a for a in found if a.year_only or a.date >= today][:count]
