"""API viewsets of the delegations app: office staff only (the default
permission), on the same FilterSets as the HTML lists, writes through the
services."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oia.api.filters import DjangoFilterBackend
from oia.api.mixins import FreshAnswerMixin, FreshCreateModelMixin, FreshUpdateModelMixin
from oia.api.pagination import PageOrCursorPagination
from oia.api.rights import RightsActionsMixin

from .. import services
from ..filters import CoordinationCaseFilter, DelegationFilter, PersonFilter
from ..models import CoordinationCase, Delegation, Department, Participant, Person, Transition
from .serializers import (
    CoordinationCaseSerializer,
    CoordinationResolveSerializer,
    DelegationSerializer,
    DepartmentSerializer,
    ParticipantCreateSerializer,
    ParticipantSerializer,
    PersonSerializer,
    TransitionCreateSerializer,
    TransitionSerializer,
    TransitionTakenSerializer,
)

CONFLICT = OpenApiResponse(description="The workflow refuses this step; `detail` says why.")


class DepartmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The managed list of the city's departments."""

    queryset = Department.objects.order_by("name")
    serializer_class = DepartmentSerializer


class PersonViewSet(RightsActionsMixin, viewsets.ModelViewSet):
    """Officials and visitors, with their dietary and accessibility needs.
    Administrators export a person's data and anonymise them."""

    queryset = Person.objects.order_by("name", "pk")
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    pagination_class = PageOrCursorPagination
    cursor_orderings = {None: ("name", "pk"), "name": ("name", "pk"), "-name": ("-name", "-pk")}
    rights_kind = "person"

    def anonymise_subject(self, subject, *, by, reason):
        return services.anonymise_person(subject, by=by, reason=reason)


class DelegationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    FreshCreateModelMixin,
    FreshUpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Delegation.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilter
    # DelegationFilter brings its own ``ordering``; DRF's OrderingFilter would read the same parameter.
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {None: ("-start_on", "-pk"), "-start": ("-start_on", "-pk"), "start": ("start_on", "pk")}

    def get_queryset(self):
        # Order explicitly, with pk last, so pages stay stable.
        return (
            Delegation.objects.for_list()
            .prefetch_related(
                Prefetch("participants", queryset=Participant.objects.select_related("person")),
                "programme",
                "costs",
            )
            .order_by("-start_on", "title", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.delegation_create(created_by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.delegation_update(
            delegation=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )

    @extend_schema(
        request=TransitionCreateSerializer,
        responses={200: TransitionSerializer(many=True), 201: TransitionTakenSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def transitions(self, request, pk=None):
        """The workflow history, oldest first; POST takes one step. Approving
        commits the trip's estimate to its budget line: a line-item line that
        would be overdrawn refuses it (409) unless an administrator sends
        ``override_reason``; a discretionary one takes it with a ``warning``."""
        delegation = self.get_object()
        if request.method == "POST":
            payload = TransitionCreateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            try:
                step = services.delegation_transition(delegation=delegation, by=request.user, **payload.validated_data)
            except services.TransitionNotAllowed as refusal:
                return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
            return Response(TransitionTakenSerializer(step).data, status=status.HTTP_201_CREATED)
        history = Transition.objects.filter(delegation=delegation).select_related("by")
        return Response(TransitionSerializer(history, many=True).data)

    @extend_schema(
        request=ParticipantCreateSerializer,
        responses={200: ParticipantSerializer(many=True), 201: ParticipantSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def participants(self, request, pk=None):
        """The named participants; POST adds one (a person travels on one delegation at a time)."""
        delegation = self.get_object()
        if request.method == "POST":
            payload = ParticipantCreateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            participant = services.participant_add(delegation=delegation, **payload.validated_data)
            return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)
        return Response(ParticipantSerializer(delegation.participants.all(), many=True).data)


class CoordinationCaseViewSet(FreshAnswerMixin, viewsets.ReadOnlyModelViewSet):
    """Trips that may be heading to the same place at about the same time."""

    queryset = CoordinationCase.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = CoordinationCaseSerializer
    filterset_class = CoordinationCaseFilter

    def get_queryset(self):
        return CoordinationCase.objects.select_related(
            "trip__city", "trip__department", "other__city", "other__department", "resolved_by"
        ).order_by("state", "-found_at", "pk")

    @extend_schema(request=CoordinationResolveSerializer, responses=CoordinationCaseSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def resolve(self, request, pk=None):
        """Mark the case as coordinated, saying how."""
        case = self.get_object()
        payload = CoordinationResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = services.coordination_resolve(case=case, by=request.user, **payload.validated_data)
        return self.fresh_answer(case.pk)
