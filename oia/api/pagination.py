"""Page-number pagination for every API list: ``?page=`` and ``?page_size=``
up to a hard maximum, so no client can ask for the whole table at once.

A page or page size that is not a whole number from 1 up answers 400 with the
reason; quietly showing the first page of 50 instead would hide a client's bug.
A page size above the maximum gives pages of the maximum size.
"""

import re

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


class PageNumberPagination(pagination.PageNumberPagination):
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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = 10**9 - 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Rows per page, at most {self.max_page_size} (more gives that many)."
        return parameters
