"""The national days of the posts in our city: the year's calendar with what
the office did, the days coming up for the dashboard, and the calendar feed.

A post's national day is a month and a day; it is kept only in the years the
post is open on that day. 29 February falls on 28 February in other years
(``ConsularPost.national_day_in``)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from oia.calendar_feeds import all_day_event

from .models import ConsularPost, NationalDayObservance

COMING_UP_DAYS = 14
FEED_YEARS_AHEAD = 1


@dataclass
class NationalDay:
    date: datetime.date
    post: ConsularPost
    observance: NationalDayObservance | None = None


def _is_open_on(post: ConsularPost, day: datetime.date) -> bool:
    return (post.opened_on is None or post.opened_on <= day) and (post.closed_on is None or post.closed_on > day)


def national_days_in(year: int, *, with_observances: bool = True) -> list[NationalDay]:
    """Every post's national day in ``year``, in date order, for the posts
    open on it; with the year's observance if one is recorded. Two queries."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    posts = ConsularPost.objects.filter(national_day_month__isnull=False).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=last), Q(closed_on__isnull=True) | Q(closed_on__gt=first)
    )
    if with_observances:
        posts = posts.prefetch_related(
            Prefetch(
                "observances",
                queryset=NationalDayObservance.objects.filter(date__year=year).select_related("represented_by"),
                to_attr="observances_of_year",
            )
        )
    days = []
    for post in posts:
        day = post.national_day_in(year)
        if not _is_open_on(post, day):
            continue
        observances = getattr(post, "observances_of_year", [])
        days.append(NationalDay(date=day, post=post, observance=observances[0] if observances else None))
    days.sort(key=lambda row: (row.date, row.post.name, row.post.pk))
    return days


def national_days_coming(today: datetime.date, days: int = COMING_UP_DAYS) -> list[NationalDay]:
    """The national days from today to ``days`` ahead, for the dashboard: one query."""
    dates = [today + datetime.timedelta(days=offset) for offset in range(days + 1)]
    wanted = Q()
    for day in dates:
        wanted |= Q(national_day_month=day.month, national_day_day=day.day)
        if (day.month, day.day) == (2, 28):
            wanted |= Q(national_day_month=2, national_day_day=29)  # marked on 28 February in other years
    posts = ConsularPost.objects.filter(wanted).only(
        "pk", "name", "national_day_month", "national_day_day", "national_day_name", "opened_on", "closed_on"
    )
    found = []
    for post in posts:
        for day in dates:
            if post.national_day_in(day.year) == day and _is_open_on(post, day):
                found.append(NationalDay(date=day, post=post))
    found.sort(key=lambda row: (row.date, row.post.name, row.post.pk))
    return found


def feed_events(request, first_year: int):
    """The national days of ``first_year`` and the next as all-day events."""
    for year in range(first_year, first_year + FEED_YEARS_AHEAD + 1):
        for row in national_days_in(year, with_observances=False):
            post = row.post
            summary = _("National day: %(post)s") % {"post": post.name}
            if post.national_day_name:
                summary = f"{summary} ({post.national_day_name})"
            yield all_day_event(
                uid=f"national-day-{post.pk}-{year}@oia",
                first_day=row.date,
                last_day=row.date,
                summary=summary,
                description=str(post.country.name),
                url=request.build_absolute_uri(reverse("protocol:post-detail", args=[post.pk])),
            )
