"""API viewsets of the partners app, on the same FilterSets as the HTML lists."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from oia.api.mixins import FreshWriteMixin, LeaderSerializerMixin
from oia.api.rights import RightsActionsMixin
from oia.permissions import IsOfficeAdmin, IsOfficeOrClubLeader
from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .. import services
from ..filters import CityFilter, ExchangeFilter, PartnershipFilter
from ..models import City, Club, Contact, Exchange, Partnership, StatusChange, SubPartnership
from ..selectors import visible_to
from .serializers import (
    CitySerializer,
    ClubLeaderSerializer,
    ClubSerializer,
    ContactSerializer,
    ExchangeReviewSerializer,
    ExchangeSerializer,
    LeaderClubSerializer,
    LeaderExchangeSerializer,
    LeaderPartnershipSerializer,
    LeaderStatusChangeSerializer,
    PartnershipSerializer,
    StatusChangeCreateSerializer,
    StatusChangeSerializer,
    SubPartnershipSerializer,
)


class OfficeWritesClubLeadersRead(permissions.BasePermission):
    """Office staff read and write; club leaders only read (their own clubs')."""

    def has_permission(self, request, view):
        if has_role(request.user, OFFICE):
            return True
        return request.method in permissions.SAFE_METHODS and has_role(request.user, CLUB_LEADERS)


def scoped_to_club_leader(request, queryset, leaders_lookup: str):
    """Club leaders see only rows of the clubs they lead; office staff see all
    (``visible_to``, made distinct where one row may hang under two clubs)."""
    club_lookup = leaders_lookup.removesuffix("leaders").removesuffix("__")
    scoped = visible_to(request.user, queryset, club_lookup)
    return scoped if has_role(request.user, OFFICE) else scoped.distinct()


class CityViewSet(viewsets.ModelViewSet):
    queryset = City.objects.order_by("name", "country")
    serializer_class = CitySerializer
    filterset_class = CityFilter


class PartnershipViewSet(LeaderSerializerMixin, FreshWriteMixin, viewsets.ModelViewSet):
    queryset = Partnership.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = PartnershipSerializer
    leader_serializer_class = LeaderPartnershipSerializer
    # The status history's GET answers leaders without the office's reasons (documented per role).
    list_serializers_by_role = {"status_changes": (StatusChangeSerializer, LeaderStatusChangeSerializer)}
    filterset_class = PartnershipFilter
    permission_classes = [OfficeWritesClubLeadersRead]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Partnership.objects.for_list().prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("recorded_by"))
        )
        return scoped_to_club_leader(self.request, queryset, "clubs__leaders")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.partnership_create(
            recorded_by=self.request.user, areas=data.pop("areas", []), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.partnership_update(
            partnership=serializer.instance, version=data.pop("version"), areas=data.pop("areas", None), **data
        )

    @extend_schema(methods=["POST"], request=StatusChangeCreateSerializer, responses={201: StatusChangeSerializer})
    @action(
        detail=True, methods=["get", "post"], url_path="status-changes", filterset_class=None, pagination_class=None
    )
    def status_changes(self, request, pk=None):
        """The status history, newest first; POST records a change."""
        partnership = self.get_object()
        if request.method == "POST":
            payload = StatusChangeCreateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            change = services.partnership_change_status(
                partnership=partnership, recorded_by=request.user, **payload.validated_data
            )
            return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)
        office, leader = self.list_serializers_by_role["status_changes"]
        serializer_class = leader if self.serves_club_leader() else office
        return Response(serializer_class(partnership.status_history(), many=True).data)


class SubPartnershipViewSet(viewsets.ModelViewSet):
    queryset = SubPartnership.objects.order_by("partnership_id", "kind", "local_institution")
    serializer_class = SubPartnershipSerializer
    filterset_fields = ["partnership", "kind", "active"]


class ContactViewSet(RightsActionsMixin, viewsets.ModelViewSet):
    """Personal data of counterparts: office staff only. Administrators
    export a contact's data and anonymise them."""

    queryset = Contact.objects.order_by("name")
    serializer_class = ContactSerializer
    filterset_fields = ["partnership"]
    rights_kind = "contact"

    def anonymise_subject(self, subject, *, by, reason):
        return services.anonymise_contact(subject, by=by, reason=reason)


class ClubLeaderViewSet(RightsActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Club leaders' accounts (former ones too), for administrators: the list,
    and each account's data export and its deactivation and anonymisation."""

    queryset = get_user_model().objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClubLeaderSerializer
    permission_classes = [IsOfficeAdmin]
    filter_backends = []
    rights_kind = "user"

    def get_queryset(self):
        if self.action in self.rights_actions:
            return services.club_leaders()
        return (
            services.club_leaders()
            .select_related("anonymisation")
            .prefetch_related("clubs_led")
            .order_by("username", "pk")
        )

    def anonymise_subject(self, subject, *, by, reason):
        return services.anonymise_club_leader(subject, by=by, reason=reason)


class ClubViewSet(
    LeaderSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Club.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClubSerializer
    leader_serializer_class = LeaderClubSerializer
    permission_classes = [OfficeWritesClubLeadersRead]
    filterset_fields = ["partnerships", "in_umbrella_alliance"]

    def get_queryset(self):
        queryset = Club.objects.prefetch_related("partnerships", "leaders").order_by("name")
        return scoped_to_club_leader(self.request, queryset, "leaders")


class ExchangeViewSet(
    LeaderSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Clubs' exchanges. Leaders see, create and edit only their own clubs'
    (another club's answers 404) and submit them; only the office reviews."""

    queryset = Exchange.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ExchangeSerializer
    leader_serializer_class = LeaderExchangeSerializer
    filterset_class = ExchangeFilter
    permission_classes = [IsOfficeOrClubLeader]

    def get_queryset(self):
        return visible_to(self.request.user, Exchange.objects.for_list().order_by("-starts_on", "-pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.exchange_create(club=data.pop("club"), created_by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("club", None)
        serializer.instance = services.exchange_update(
            exchange=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )

    # The answer is the role's serializer (a leader's has fewer fields): no fixed ``responses``.
    @extend_schema(request=None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        """Send a draft or returned exchange to the office for review."""
        exchange = services.exchange_submit(exchange=self.get_object(), by=request.user)
        return Response(self.get_serializer(exchange).data)

    @extend_schema(request=ExchangeReviewSerializer, responses=ExchangeSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request, pk=None):
        """The office's review: ``accepted``, or ``returned`` with a comment."""
        if not has_role(request.user, OFFICE):
            raise PermissionDenied(_("Only the office reviews exchanges."))
        payload = ExchangeReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        exchange = services.exchange_review(exchange=self.get_object(), by=request.user, **payload.validated_data)
        return Response(ExchangeSerializer(exchange, context={"request": request}).data)
