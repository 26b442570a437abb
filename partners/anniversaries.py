"""The jubilee rule: which anniversaries of a partnership the office celebrates.

Jubilee years are ``OIA_JUBILEE_YEARS`` (5, 10, 15, 20, 25, 30, 75, 125) plus
every 10th year from ``OIA_JUBILEE_EVERY_TEN_FROM`` (30) on. The anniversary
falls on the formalisation date; an agreement signed on 29 February is
celebrated on 28 February in common years; when only the year is known, the
anniversary is that year (dated 1 January for sorting, shown as the year).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format


def is_jubilee(years: int) -> bool:
    if years <= 0:
        return False
    every_ten_from = settings.OIA_JUBILEE_EVERY_TEN_FROM
    return years in settings.OIA_JUBILEE_YEARS or (years >= every_ten_from and years % 10 == 0)


def anniversary_date(formalised_on: datetime.date, year: int) -> datetime.date:
    try:
        return formalised_on.replace(year=year)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, 2, 28)


@dataclass(frozen=True)
class Anniversary:
    partnership: object
    years: int
    date: datetime.date
    year_only: bool

    @property
    def display_date(self) -> str:
        """The day in the reader's language ("15 June 2026"), or the year alone when only that is known."""
        return str(self.date.year) if self.year_only else date_format(self.date, "DATE_FORMAT")


def anniversary_in_year(partnership, year: int) -> Anniversary | None:
    """The partnership's jubilee in ``year``, if that year is one."""
    years = year - partnership.formalised_on.year
    if not is_jubilee(years):
        return None
    return Anniversary(
        partnership=partnership,
        years=years,
        date=anniversary_date(partnership.formalised_on, year),
        year_only=partnership.formalised_year_only,
    )


def jubilees_between(partnerships, first_year: int, last_year: int) -> list[Anniversary]:
    """All jubilees of ``partnerships`` from ``first_year`` to ``last_year``, by date."""
    found = [
        anniversary
        for partnership in partnerships
        for year in range(first_year, last_year + 1)
        if (anniversary := anniversary_in_year(partnership, year))
    ]
    return sorted(found, key=lambda a: (a.date, str(a.partnership)))


def next_anniversary(partnership, *, today: datetime.date | None = None) -> Anniversary | None:
    """The next jubilee on or after ``today`` (a year-only one counts all year)."""
    today = today or timezone.localdate()
    for year in range(today.year, today.year + 200):
        anniversary = anniversary_in_year(partnership, year)
        if anniversary and (anniversary.year_only or anniversary.date >= today):
            return anniversary
    return None
