"""Pages of a list whose count does not read the whole list.

Counting every row of a list that grows with the office's history would cost
more, on every page, than the page itself. ``CountingPaginator`` counts exactly
up to ``EXACT_COUNT_LIMIT`` rows and beyond that takes PostgreSQL's planner
estimate (never less than the limit), saying so with ``count_is_estimate``;
the HTML lists (``oia.filters.FilterView``) show it as "about", the API as
``count_is_estimate``. A list with an estimated count still pages to its real
end: a page past the estimate is served while it has rows.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

EXACT_COUNT_LIMIT = 1_000
MOST_PAGES = 1_000_000_000


def capped_count(queryset: QuerySet) -> tuple[int, bool]:
    """The number of rows, exact up to ``EXACT_COUNT_LIMIT``; beyond it the
    planner's estimate from its table statistics (never less than the limit),
    read without the rows. One statement either way, so a list runs as many
    queries with a hundred rows as with a million (the estimate comes from
    the ``oia_count_estimate`` function, migration oia 0011)."""
    rows = queryset.order_by().values("pk")
    try:
        capped_sql, capped_params = rows[: EXACT_COUNT_LIMIT + 1].query.sql_with_params()
        whole_sql, whole_params = rows.query.sql_with_params()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return 0, False
    with connections[queryset.db].cursor() as cursor:
        whole = cursor.mogrify(whole_sql, whole_params)
        cursor.execute(
            "SELECT CASE WHEN capped.n <= %s THEN capped.n"
            " ELSE GREATEST(%s, oia_count_estimate(%s)) END, capped.n > %s"
            f" FROM (SELECT COUNT(*) AS n FROM ({capped_sql}) AS capped_rows) AS capped",
            [EXACT_COUNT_LIMIT, EXACT_COUNT_LIMIT + 1, whole.decode(), EXACT_COUNT_LIMIT, *capped_params],
        )
        count, estimated = cursor.fetchone()
    return int(count), estimated


class CountingPaginator(Paginator):
    """Django's paginator with a count that costs at most ``EXACT_COUNT_LIMIT`` rows."""

    count_is_estimate = False

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        count, self.count_is_estimate = capped_count(self.object_list)
        return count

    def validate_number(self, number):
        if not self.count_is_estimate:
            return super().validate_number(number)
        # The estimate may be short: the page itself says whether it exists.
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        if number > MOST_PAGES:  # past any list's end, and an offset PostgreSQL could not take
            raise EmptyPage(_("That page contains no results"))
        return number

    def get_page(self, number):
        """As Django's, also when an estimated list ends before its estimate."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(1)

    def page(self, number):
        if not (self.count and self.count_is_estimate):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        if bottom + len(rows) > self.count:  # the estimate was short: at least the rows seen
            self.__dict__["count"] = bottom + len(rows)
            self.__dict__.pop("num_pages", None)
        return EstimatedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


class EstimatedPage(Page):
    """A page of a list whose count is estimated: whether a next page exists
    was read with the page (one row more), not worked out from the count."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next
