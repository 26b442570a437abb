"""Pagination of every API list.

Page numbers (``?page=`` and ``?page_size=`` up to a hard maximum, so no
client can ask for the whole table at once) are the default. A page or page
size that is not a whole number from 1 up answers 400 with the reason; quietly
showing the first page of 50 instead would hide a client's bug. A page size
above the maximum gives pages of the maximum size.

``count`` is exact up to ``EXACT_COUNT_LIMIT`` rows and estimated beyond
(``oia.pagination``, shared with the HTML lists); the answer says which with
``count_is_estimate``. Such a list still pages to its real end: a page past
the estimate is served while it has rows.

The lists that grow with history also offer cursor pages
(``PageOrCursorPagination``, ``?pagination=cursor``; see ``oia.api.keyset``):
each page costs the same, the first as the last.
"""

import re

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..pagination import EXACT_COUNT_LIMIT, CountingPaginator
from .keyset import keyset_page, keyset_schema_parameters, ordering_keys

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


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
