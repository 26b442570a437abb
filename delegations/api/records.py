"""API viewsets of a delegation's own records, nested under it:
``/api/delegations/<id>/programme/``, ``costs/``, ``gifts/`` and ``outcomes/``
(list, create, read, update, delete), and ``participants/<id>/`` (remove).

Office staff only (the default permission), like the delegation itself. The
writes go through ``services.records`` and ``services.participant_remove``,
the same as the pages, so the API refuses what the forms refuse: an edit or a
removal names the ``version`` it read, a programme item lies within the
delegation's dates, no amount is negative, the last programme item of an
approved trip stays."""

from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from oia.api.mixins import FreshWriteMixin
from oia.api.serializers import VersionQuerySerializer

from .. import services
from ..models import Cost, Delegation, Gift, Outcome, Participant, ProgrammeItem
from .serializers import (
    CostSerializer,
    GiftSerializer,
    OutcomeSerializer,
    ParticipantSerializer,
    ProgrammeItemSerializer,
)

DELETED = OpenApiResponse(description="Removed.")


def operations(one: str, many: str):
    """A summary for each operation on a delegation's ``many`` (one of them: ``one``)."""
    return extend_schema_view(
        list=extend_schema(summary=f"The delegation's {many}"),
        create=extend_schema(summary=f"Add a {one} to the delegation"),
        retrieve=extend_schema(summary=f"One {one} of the delegation"),
        update=extend_schema(summary=f"Replace a {one} (send the version you read)"),
        partial_update=extend_schema(summary=f"Change a {one} (send the version you read)"),
        destroy=extend_schema(summary=f"Remove a {one} (send the version you read as ?version=)"),
    )


# Rows of one delegation (``delegation_pk`` in the path): an unknown delegation
# answers 404, a record of another delegation too. Comments, not docstrings:
# drf-spectacular would take a base class's docstring for its subclasses' operations.
class DelegationChildMixin:
    filter_backends = []  # a delegation's records, in their natural order

    @cached_property
    def delegation(self) -> Delegation:
        return get_object_or_404(Delegation.objects.all(), pk=self.kwargs["delegation_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, without a delegation
            return self.queryset
        return self.queryset.model.objects.filter(delegation=self.delegation)


# Programme items, costs, gifts and outcomes: read and written like the pages do.
class DelegationRecordViewSet(DelegationChildMixin, FreshWriteMixin, viewsets.ModelViewSet):
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.delegation_record_create(
            delegation=self.delegation, model=self.queryset.model, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.delegation_record_update(
            record=serializer.instance, version=data.pop("version"), **data
        )

    @extend_schema(parameters=[VersionQuerySerializer], responses={204: DELETED})
    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        query = VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.delegation_record_delete(record=record, version=query.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@operations("programme item", "working programme")
class ProgrammeItemViewSet(DelegationRecordViewSet):
    """The delegation's working programme, by day and time. Each item lies within
    the delegation's dates; an approved trip keeps at least one."""

    queryset = ProgrammeItem.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ProgrammeItemSerializer


@operations("cost", "costs")
class CostViewSet(DelegationRecordViewSet):
    """The delegation's costs: estimated before the trip, the actual amount once
    booked. The travel section of the council report counts the actual amount
    where there is one, else the estimate."""

    queryset = Cost.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = CostSerializer


@operations("gift", "gifts")
class GiftViewSet(DelegationRecordViewSet):
    """Gifts the delegation gave or received, for the office's gift register."""

    queryset = Gift.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = GiftSerializer


@operations("outcome", "outcomes")
class OutcomeViewSet(DelegationRecordViewSet):
    """What the delegation produced: agreements, projects, contacts, follow-ups with their owner."""

    queryset = Outcome.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = OutcomeSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("owner")


class ParticipantViewSet(DelegationChildMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Removing a named participant (``GET``/``POST`` on the delegation's
    ``participants/`` list and add them). Removing the head of delegation
    leaves the delegation without one until another is named."""

    queryset = Participant.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ParticipantSerializer

    @extend_schema(summary="Remove a participant from the delegation", responses={204: DELETED})
    def destroy(self, request, *args, **kwargs):
        services.participant_remove(participant=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
