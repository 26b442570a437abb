"""Page-number pagination for every API list: ``?page=`` and ``?page_size=``
up to a hard maximum, so no client can ask for the whole table at once."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
