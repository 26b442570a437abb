"""Shared reads of the partners app, used by pages, the dashboard and feeds."""

import calendar
import datetime

from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .anniversaries import Anniversary, jubilees_between
from .models import Partnership


def celebrated_partnerships():
    """Ended partnerships have no jubilees to celebrate."""
    return Partnership.objects.not_ended().select_related("partner_city")


def upcoming_jubilees(today: datetime.date, count: int = 5, *, years_ahead: int = 1) -> list[Anniversary]:
    """The next ``count`` jubilees from ``today``, this year and the
    ``years_ahead`` after it (the dashboard looks one year ahead)."""
    found = jubilees_between(celebrated_partnerships(), today.year, today.year + years_ahead)
    return [a for a in found if a.year_only or a.date >= today][:count]


def visible_to(user, queryset, club_lookup: str = "club"):
    """Object-level isolation for club leaders, used by every page and API
    endpoint that shows club things: office staff see every row, a club leader
    only rows of the clubs they lead (``<club_lookup>__leaders = user``),
    anyone else nothing. Pass ``club_lookup=""`` for a queryset of clubs."""
    if has_role(user, OFFICE):
        return queryset
    if has_role(user, CLUB_LEADERS):
        return queryset.filter(**{f"{club_lookup}__leaders" if club_lookup else "leaders": user})
    return queryset.none()


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day if shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month0 + 1, day=min(day.day, calendar.monthrange(year, month0 + 1)[1]))
