"""Pagination of every API list.

Page numbers (``?page=`` and ``?page_size=`` up to a hard maximum, so no
client can ask for the whole table at once) are the default. A page or page
size that is not a whole number from 1 up answers 400 with the reason; quietly
showing the first page of 50 instead would hide a client's bug. A page size
above the maximum gives pages of the maximum size.

``count`` is exact up to ``EXACT_COUNT_LIMIT`` rows. Beyond that, counting
would read every row of a list that grows with the office's history, on every
page; the answer gives PostgreSQL's planner estimate instead (never less than
the limit) and says so with ``count_is_estimate``. Such a list still pages to
its real end: a page past the estimate is served while it has rows.

The lists that grow with history also offer cursor pages
(``PageOrCursorPagination``, ``?pagination=cursor``; see ``oia.api.keyset``):
each page costs the same, the first as the last.
"""

import json
import re

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .keyset import keyset_page, keyset_schema_parameters, ordering_keys

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
EXACT_COUNT_LIMIT = 1_000


def planner_estimate(queryset: QuerySet) -> int:
    """How many rows PostgreSQL's planner expects the query to give (from its
    table statistics, without reading the rows)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class CountingPaginator(Paginator):
    """Django's paginator with a count that costs at most ``EXACT_COUNT_LIMIT`` rows."""

    count_is_estimate = False

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        exact = self.object_list.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
        if exact <= EXACT_COUNT_LIMIT:
            return exact
        self.count_is_estimate = True
        return max(EXACT_COUNT_LIMIT + 1, planner_estimate(self.object_list))

    def validate_number(self, number):
        if self.count_is_estimate:  # the estimate may be short: the page itself says whether it exists
            return int(number)  # a whole number from 1 up (PageNumberPagination checked)
        return super().validate_number(number)

    def page(self, number):
        if not (self.count and self.count_is_estimate):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return EstimatedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


class EstimatedPage(Page):
    """A page of a list whose count is estimated: whether a next page exists
    was read with the page (one row more), not worked out from the count."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = CountingPaginator
    page_size_query_param = "page_size"
    max_page_size = 200

    def _whole_number(self, request, name: str) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise ValidationError({name: [_("Enter a whole number from 1 up.")]})
        return int(raw)

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param)
        return min(size, self.max_page_size) if size else self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self._whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"How many rows the list has: exact up to {EXACT_COUNT_LIMIT:,}, "
            "PostgreSQL's estimate beyond (see count_is_estimate)."
        )
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_is_estimate": {
                "type": "boolean",
                "description": f"True when the list has more than {EXACT_COUNT_LIMIT:,} rows and count is "
                "the planner's estimate rather than counted; the pages still run to the real end.",
            },
            **{name: value for name, value in response["properties"].items() if name != "count"},
        }
        response["required"] = ["count", "count_is_estimate", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = 10**9 - 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Rows per page, at most {self.max_page_size} (more gives that many)."
        return parameters


class PageOrCursorPagination(PageNumberPagination):
    """Page numbers, or cursor pages for a client that asks with
    ``?pagination=cursor`` (and then follows ``next``). For the lists that
    grow with the office's history; the viewset names its keyset orderings
    in ``cursor_orderings`` (see ``oia.api.keyset``)."""

    mode_query_param = "pagination"
    cursor_query_param = "cursor"

    def wants_cursor(self, request) -> bool:
        mode = request.query_params.get(self.mode_query_param)
        if mode not in (None, "page", "cursor"):
            raise ValidationError({self.mode_query_param: [_("Choose page or cursor.")]})
        wants = mode == "cursor" or (mode is None and self.cursor_query_param in request.query_params)
        if wants and self.page_query_param in request.query_params:
            raise ValidationError({self.page_query_param: [_("Cursor pages have no numbers: follow next instead.")]})
        if not wants and mode == "page" and self.cursor_query_param in request.query_params:
            raise ValidationError({self.cursor_query_param: [_("A cursor belongs to cursor pages.")]})
        return wants

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if not self.wants_cursor(request):
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        keys = ordering_keys(request, view.cursor_orderings)
        self.keyset = keyset_page(queryset, request, keys=keys, size=self.get_page_size(request))
        return self.keyset.rows

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response({"next": self.keyset.next, "previous": self.keyset.previous, "results": data})

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["results"]
        response["description"] = (
            "A page of the list. Page-number pages (the default) carry count and count_is_estimate; "
            "cursor pages (pagination=cursor) carry only next, previous and results."
        )
        return response

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), *keyset_schema_parameters(view.cursor_orderings)]
