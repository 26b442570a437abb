"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----

from django.utils.translation import gettext as _  # noqa: E402
from drf_spectacular.utils import OpenApiResponse, extend_schema  # noqa: E402
from rest_framework import mixins, serializers, status, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from oia.api.mixins import LeaderSerializerMixin  # noqa: E402
from oia.permissions import IsOfficeStaff  # noqa: E402
from oia.roles import OFFICE, has_role  # noqa: E402
from partners.api.views import OfficeWritesClubLeadersRead  # noqa: E402

from .. import services  # noqa: E402
from ..filters import EventCostFilter, EventFilter, GuestFilter  # noqa: E402
from ..models import Event, EventCost, Guest  # noqa: E402
from .serializers import (  # noqa: E402
    EventCancelSerializer,
    EventCostBookingSerializer,
    EventCostSerializer,
    EventSerializer,
    GuestSerializer,
    PublicEventSerializer,
)

EVENT_REFUSED = OpenApiResponse(description="Refused by the rules; the body names the field and says why.")
READ_AND_WRITE = ["get", "post", "put", "patch", "head", "options"]


class EventViewSet(LeaderSerializerMixin, viewsets.ModelViewSet):
    """Events the office organises or attends, with the list page's filters.
    Office staff read and write; club leaders read the public events only
    (what their public page shows); council members are refused."""

    queryset = Event.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = EventSerializer
    leader_serializer_class = PublicEventSerializer
    filterset_class = EventFilter
    permission_classes = [OfficeWritesClubLeadersRead]
    http_method_names = READ_AND_WRITE
    ordering_fields = ["starts_at", "title"]

    def get_queryset(self):
        if not has_role(self.request.user, OFFICE):
            return Event.objects.public().order_by("-starts_at", "-pk")
        return Event.objects.for_list().prefetch_related("partnerships", "consular_posts")

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

    @staticmethod
    def _fields(data):
        data = dict(data)
        data.pop("version", None)
        return data

    @extend_schema(responses={201: EventSerializer, 400: EVENT_REFUSED})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = self._fields(payload.validated_data)
        event = services.event_create(
            by=request.user,
            partnerships=data.pop("partnerships", []),
            consular_posts=data.pop("consular_posts", []),
            **data,
        )
        return self._answer(event.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: EventSerializer, 400: EVENT_REFUSED})
    def update(self, request, *args, **kwargs):
        event = self.get_object()
        payload = self.get_serializer(event, data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        version = payload.validated_data.get("version")
        data = self._fields(payload.validated_data)
        services.event_update(
            event=event,
            version=version,
            partnerships=data.pop("partnerships", None),
            consular_posts=data.pop("consular_posts", None),
            **data,
        )
        return self._answer(event.pk)

    @extend_schema(request=EventCancelSerializer, responses={200: EventSerializer, 400: EVENT_REFUSED})
    @action(detail=True, methods=["post"], permission_classes=[IsOfficeStaff])
    def cancel(self, request, pk=None):
        """Call the event off with a reason: the open commitments of its costs are released."""
        event = self.get_object()
        payload = EventCancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.event_cancel(event=event, **payload.validated_data)
        return self._answer(event.pk)


class EventCostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Costs of events. A cost's estimate is committed on the event's budget
    line under the budget's rules (an adopted budget only; an overdraft of a
    line-item line only with an administrator's ``override_reason``);
    ``book`` replaces the commitment with an expense."""

    queryset = EventCost.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = EventCostSerializer
    filterset_class = EventCostFilter
    http_method_names = READ_AND_WRITE

    def get_queryset(self):
        return EventCost.objects.select_related("commitment").order_by("event", "pk")

    def _answer(self, saving, code=status.HTTP_200_OK):
        row = self.get_queryset().get(pk=saving.cost.pk)
        row.warning = saving.warning
        return Response(EventCostSerializer(row).data, status=code)

    @extend_schema(responses={201: EventCostSerializer, 400: EVENT_REFUSED})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        saving = services.event_cost_add(
            event=data["event"],
            description=data["description"],
            estimated=data.get("estimated"),
            by=request.user,
            override_reason=data.get("override_reason", ""),
        )
        return self._answer(saving, status.HTTP_201_CREATED)

    @extend_schema(responses={200: EventCostSerializer, 400: EVENT_REFUSED})
    def update(self, request, *args, **kwargs):
        cost = self.get_object()
        payload = self.get_serializer(cost, data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "event" in data and data["event"].pk != cost.event_id:
            raise serializers.ValidationError({"event": _("A cost stays with its event.")})
        saving = services.event_cost_update(
            cost=cost,
            version=data.get("version"),
            description=data.get("description", cost.description),
            estimated=data.get("estimated", cost.estimated),
            by=request.user,
            override_reason=data.get("override_reason", ""),
        )
        return self._answer(saving)

    @extend_schema(request=EventCostBookingSerializer, responses={200: EventCostSerializer, 400: EVENT_REFUSED})
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        """Book the actual cost as an expense on the event's line; it replaces the commitment."""
        cost = self.get_object()
        payload = EventCostBookingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        saving = services.event_cost_book(cost=cost, by=request.user, **payload.validated_data)
        return self._answer(saving)


class GuestViewSet(viewsets.ModelViewSet):
    """Guests of events and their answers. Adding one puts a person on an
    event's list (once); an edit records the answer, companions, seat or note."""

    queryset = Guest.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = GuestSerializer
    filterset_class = GuestFilter

    def get_queryset(self):
        return Guest.objects.select_related("person").order_by("event", "person__name", "pk")

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(responses={201: GuestSerializer, 400: EVENT_REFUSED})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        guest = services.guest_add(event=data["event"], person=data["person"], note=data.get("note", ""))
        return self._answer(guest.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={200: GuestSerializer, 400: EVENT_REFUSED})
    def update(self, request, *args, **kwargs):
        guest = self.get_object()
        payload = self.get_serializer(guest, data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version", None)
        for name in ("event", "person"):
            if name in data and data.pop(name).pk != getattr(guest, f"{name}_id"):
                raise serializers.ValidationError({name: _("Add the person to the other event instead.")})
        services.guest_update(guest=guest, version=version, **data)
        return self._answer(guest.pk)

    def perform_destroy(self, instance):
        services.guest_remove(guest=instance)


# ----- city ambassadors -----
