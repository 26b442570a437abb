"""The protocol API: consular posts (with the order of precedence), national-day
observances, events with their costs and guests, city ambassadors and their
activities. Office staff read and write; club leaders read public events only."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oia.api.mixins import FreshWriteMixin, LeaderSerializerMixin
from oia.api.serializers import VersionQuerySerializer
from oia.permissions import IsOfficeStaff
from oia.roles import OFFICE, has_role
from partners.api.views import OfficeWritesClubLeadersRead

from .. import services
from ..filters import (
    AmbassadorActivityFilter,
    AmbassadorFilter,
    ConsularPostFilter,
    EventCostFilter,
    EventFilter,
    GuestFilter,
    NationalDayObservanceFilter,
)
from ..models import Ambassador, AmbassadorActivity, ConsularPost, Event, EventCost, Guest, NationalDayObservance
from .serializers import (
    AmbassadorActivitySerializer,
    AmbassadorSerializer,
    ConsularPostSerializer,
    EventCancelSerializer,
    EventCostBookingSerializer,
    EventCostSerializer,
    EventSerializer,
    GuestSerializer,
    NationalDayObservanceSerializer,
    PostCloseSerializer,
    PostReopenSerializer,
    PrecedenceEntrySerializer,
    PrecedenceQuerySerializer,
    PublicEventSerializer,
)

# ----- consular posts and national days -----


POSTS_READ_AND_WRITE = ["get", "post", "put", "patch", "head", "options"]


class ConsularPostViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """The consular posts in our city, with the filters of the HTML list.
    A post is not deleted but closed (``close``), so it stays on record;
    ``precedence/`` ranks the heads of the posts open on a day."""

    queryset = ConsularPost.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ConsularPostSerializer
    filterset_class = ConsularPostFilter
    http_method_names = POSTS_READ_AND_WRITE
    ordering_fields = ["name", "country", "kind", "opened_on", "exequatur_on"]

    def get_queryset(self):
        return ConsularPost.objects.for_list().prefetch_related("contacts").order_by("country", "name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.post_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.post_update(
            post=serializer.instance, version=data.pop("version"), contacts=data.pop("contacts", None), **data
        )

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="The day (YYYY-MM-DD); today if left out.")],
        responses=PrecedenceEntrySerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def precedence(self, request):
        """The heads of the posts open on ``date`` in the order of precedence
        (Vienna Convention on Consular Relations, Art. 16): by class, career
        before honorary, then by the date of admission and of the commission;
        acting heads after every head; posts without a head last, unranked."""
        query = PrecedenceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        posts = ConsularPost.objects.open_on(day).for_list().prefetch_related("contacts").in_precedence_order()
        rank = 0
        for post in posts:
            if post.head_id is None:
                post.rank = None
            else:
                rank += 1
                post.rank = rank
        return Response(PrecedenceEntrySerializer(posts, many=True).data)

    @extend_schema(request=PostCloseSerializer, responses=ConsularPostSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Record that the post closed, with the day and the reason; refused
        when it is closed already or the day is before its opening."""
        post = self.get_object()
        payload = PostCloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.post_close(post=post, **payload.validated_data)
        return self.fresh_answer(post.pk)

    @extend_schema(request=PostReopenSerializer, responses=ConsularPostSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Undo a closing recorded by mistake, with the reason."""
        post = self.get_object()
        payload = PostReopenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.post_reopen(post=post, **payload.validated_data)
        return self.fresh_answer(post.pk)


class NationalDayObservanceViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """What the office did on the posts' national days, newest first: once a year per post."""

    queryset = NationalDayObservance.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NationalDayObservanceSerializer
    filterset_class = NationalDayObservanceFilter
    ordering_fields = ["date"]

    def get_queryset(self):
        return NationalDayObservance.objects.select_related("post").order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.observance_record(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.observance_update(
            observance=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )


# ----- events and guests -----


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
# Office staff only (the default permission); the same FilterSets as the pages.


AMBASSADOR_DELETED = OpenApiResponse(description="Removed.")


class AmbassadorViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """City ambassadors with the number of their activities. ``?serving=now``,
    ``?serving=former`` or ``?serving_on=YYYY-MM-DD``; an ambassadorship is
    ended by setting ``until``. It is not deleted: its history stays."""

    queryset = Ambassador.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AmbassadorSerializer
    filterset_class = AmbassadorFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["appointed_on", "until", "activity_count"]

    def get_queryset(self):
        return Ambassador.objects.for_list().order_by("person__name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.ambassador_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.ambassador_update(
            ambassador=serializer.instance, version=data.pop("version"), **data
        )


class AmbassadorActivityViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """The ambassadors' activities, newest first. A "delegation organised"
    names its delegation, which then counts as official (an inbound one is
    hosted as the city's official guest)."""

    queryset = AmbassadorActivity.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AmbassadorActivitySerializer
    filterset_class = AmbassadorActivityFilter
    ordering_fields = ["date"]

    def get_queryset(self):
        return AmbassadorActivity.objects.select_related("ambassador__person", "delegation").order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.activity_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if "ambassador" in data and data["ambassador"] != serializer.instance.ambassador:
            raise ValidationError({"ambassador": _("An activity stays with its ambassador.")})
        data.pop("ambassador", None)
        serializer.instance = services.activity_update(activity=serializer.instance, version=version, **data)

    @extend_schema(parameters=[VersionQuerySerializer], responses={204: AMBASSADOR_DELETED})
    def destroy(self, request, *args, **kwargs):
        activity = self.get_object()
        query = VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.activity_delete(activity=activity, version=query.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)
