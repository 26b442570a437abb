"""Shared reads of the partners app, used by pages, the dashboard and feeds."""

import calendar
import datetime

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import DenseRank, ExtractDay, ExtractMonth, ExtractYear, Mod

from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .anniversaries import Anniversary, jubilees_between
from .choices import ReviewStatus
from .models import Club, Partnership


def celebrated_partnerships(first_year: int | None = None, last_year: int | None = None):
    """Ended partnerships have no jubilees to celebrate. With years, only the
    partnerships that have a jubilee from ``first_year`` to ``last_year``, found
    in SQL, so a page of a few years does not read every partnership."""
    partnerships = Partnership.objects.not_ended().select_related("partner_city")
    if first_year is None:
        return partnerships
    return partnerships.alias(
        formalised_year=ExtractYear("formalised_on"), formalised_year_mod_10=Mod(ExtractYear("formalised_on"), 10)
    ).filter(jubilee_between_q(first_year, last_year if last_year is not None else first_year))


def jubilee_between_q(first_year: int, last_year: int) -> Q:
    """The rule of ``anniversaries.is_jubilee`` as a condition on
    ``formalised_year`` (and ``formalised_year_mod_10``): formalised a jubilee's
    number of years before one of the years, or a multiple of ten years (from
    ``OIA_JUBILEE_EVERY_TEN_FROM``). It may let through more, never fewer:
    ``jubilees_between`` applies the rule itself."""
    every_ten_from = settings.OIA_JUBILEE_EVERY_TEN_FROM
    if last_year - first_year >= 9:  # every remainder of ten occurs: one condition covers the decade rule
        condition = Q(formalised_year__lte=last_year - every_ten_from)
    else:
        condition = Q()
        for year in range(first_year, last_year + 1):
            condition |= Q(formalised_year__lte=year - every_ten_from, formalised_year_mod_10=year % 10)
    formalised_in = {
        year - years for year in range(first_year, last_year + 1) for years in settings.OIA_JUBILEE_YEARS if years > 0
    }
    return condition | Q(formalised_year__in=sorted(formalised_in))


def upcoming_jubilees(today: datetime.date, count: int = 5, *, years_ahead: int = 1) -> list[Anniversary]:
    """The next ``count`` jubilees from ``today``, this year and the
    ``years_ahead`` after it (the dashboard looks one year ahead).

    One query that reads about ``count`` partnerships, however many there are:
    SQL ranks each partnership by the date of its first jubilee still to come
    and keeps those among the ``count`` earliest such dates. Any other
    partnership has ``count`` jubilees before even its first, so the next
    ``count`` are all among the kept ones' (which may have more than one in
    the years looked at; Python lists them all and sorts as before)."""
    last_year = today.year + years_ahead
    first_jubilee = Case(
        *(
            When(_jubilee_to_come_q(year, today), then=year * 10_000 + _day_of_year_key(year))
            for year in range(today.year, last_year + 1)
        ),
        default=None,
        output_field=IntegerField(),
    )
    ranked = (
        celebrated_partnerships(today.year, last_year)
        .alias(formalised_month=ExtractMonth("formalised_on"), formalised_day=ExtractDay("formalised_on"))
        .alias(first_jubilee=first_jubilee)
        .filter(first_jubilee__isnull=False)
        .annotate(first_jubilee_rank=Window(DenseRank(), order_by=F("first_jubilee").asc()))
        .filter(first_jubilee_rank__lte=count)
    )
    found = jubilees_between(ranked, today.year, last_year)
    return [a for a in found if a.year_only or a.date >= today][:count]


def _day_of_year_key(year: int):
    """Month × 100 + day of the anniversary in ``year``, in SQL: 29 February
    is kept on the 28th in a common year (``anniversaries.anniversary_date``)."""
    key = F("formalised_month") * 100 + F("formalised_day")
    if calendar.isleap(year):
        return key
    return Case(When(formalised_month=2, formalised_day=29, then=Value(228)), default=key)


def _jubilee_to_come_q(year: int, today: datetime.date) -> Q:
    """A jubilee in ``year`` that has not passed by ``today`` (a year-only one lasts all year)."""
    condition = jubilee_between_q(year, year)
    if year == today.year:
        month, day = today.month, today.day
        condition &= (
            Q(formalised_year_only=True)
            | Q(formalised_month__gt=month)
            | Q(formalised_month=month, formalised_day__gte=day)  # 29 February too: no 29th in a common year
        )
    return condition


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
