"""Viewset pieces every app's API shares.

A write answers with the row read again through the viewset's own
``get_queryset()``, so the answer shows what the list shows: the values
computed in SQL (a delegation's size, a line's amounts, a partnership's
current status) and the new ``version`` a client needs for its next edit.

The classes carry comments, not docstrings: drf-spectacular takes the first
docstring it finds on a viewset's classes as the description of its
operations, and these would stand in for a viewset that has none."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from oia.audit import history_for
from oia.permissions import IsOfficeStaff
from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .serializers import HistoryEntrySerializer


# ``fresh_answer(pk)``: the row as the list shows it, for an action's answer.
class FreshAnswerMixin:
    def fresh_answer(self, pk, status_code: int = status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(row).data, status=status_code)


# Create through ``perform_create`` and answer with the row read again.
class FreshCreateModelMixin(FreshAnswerMixin, mixins.CreateModelMixin):
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.fresh_answer(serializer.instance.pk, status.HTTP_201_CREATED)


# Update through ``perform_update`` and answer with the row read again.
class FreshUpdateModelMixin(FreshAnswerMixin, mixins.UpdateModelMixin):
    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return self.fresh_answer(kwargs["pk"])


# Both: for a viewset that creates and updates.
class FreshWriteMixin(FreshCreateModelMixin, FreshUpdateModelMixin):
    pass


# Club leaders read through their own serializer (``leader_serializer_class``):
# an explicit, reviewed list of fields without the office's internal notes,
# officers, reasons or staff usernames. Office staff keep the full one; the
# schema (no signed-in user) documents the office's.
class LeaderSerializerMixin:
    leader_serializer_class = None

    def serves_club_leader(self) -> bool:
        user = getattr(getattr(self, "request", None), "user", None)
        return user is not None and has_role(user, CLUB_LEADERS) and not has_role(user, OFFICE)

    def get_serializer_class(self):
        if self.leader_serializer_class is not None and self.serves_club_leader():
            return self.leader_serializer_class
        return super().get_serializer_class()


# ``GET <resource>/<id>/history/``: the record's audit trail (``oia.audit``),
# newest first, field by field, paginated; office staff only, whoever else the
# viewset lets read the record, and only those of them the viewset lets read
# it (an administrators' resource keeps its history to administrators). The
# API router adds it to every viewset whose model the audit trail tracks.
class HistoryMixin:
    def get_permissions(self):
        # Also where the viewset picks its permissions per action itself.
        if self.action == "history":
            return [IsOfficeStaff(), *super().get_permissions()]
        return super().get_permissions()

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=api_settings.DEFAULT_PAGINATION_CLASS,  # paged even where the viewset's list is not
        serializer_class=HistoryEntrySerializer,
    )
    def history(self, request, pk=None, **parent):  # ``parent``: the ids of a nested resource's parents
        """The record's audit trail, newest first: who changed what, when and from where, field by field."""
        page = self.paginate_queryset(history_for(self.get_object()))
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)
