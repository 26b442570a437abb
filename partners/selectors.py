"""Shared reads of the partners app, used by pages, the dashboard and feeds."""

import calendar
import datetime

from django.db.models import Q

from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .anniversaries import Anniversary, jubilees_between
from .choices import ReviewStatus
from .models import Club, Partnership


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


def exchanges_readable_by(user, queryset, exchange_lookup: str = ""):
    """What ``visible_to`` shows of exchanges (or of rows under one, with
    ``exchange_lookup="exchange"``), and, to the leader of an umbrella
    association, what its member clubs have sent to the office: to read only
    (changing stays ``visible_to``'s), and never a draft, which is the club's
    own business until it is sent."""
    prefix = f"{exchange_lookup}__" if exchange_lookup else ""
    if has_role(user, OFFICE) or not has_role(user, CLUB_LEADERS):
        return visible_to(user, queryset, f"{prefix}club")
    led = Club.objects.filter(leaders=user).values("pk")
    members = Club.objects.filter(association__leaders=user).values("pk")
    sent = ~Q(**{f"{prefix}review_status": ReviewStatus.DRAFT})
    return queryset.filter(Q(**{f"{prefix}club__in": led}) | (Q(**{f"{prefix}club__in": members}) & sent))


def may_change_club_things(user, club_id) -> bool:
    """Whether ``user`` may change what belongs to the club: office staff and
    the club's own leaders may; an umbrella association's leaders only read."""
    if has_role(user, OFFICE):
        return True
    return (
        has_role(user, CLUB_LEADERS) and Club.leaders.through.objects.filter(club_id=club_id, user_id=user.pk).exists()
    )


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day if shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month0 + 1, day=min(day.day, calendar.monthrange(year, month0 + 1)[1]))
