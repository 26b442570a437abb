"""API viewsets of the networks app: office staff only (the default
permission). Networks use the same FilterSet as the HTML list; memberships
are written through networks.services, which checks the fee split."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oia.api.mixins import FreshWriteMixin
from oia.api.pagination import PageOrCursorPagination

from .. import services
from ..filters import MembershipFilter, NetworkActivityFilter, NetworkFilter, NetworkRoleFilter
from ..models import FeeShare, Membership, Network, NetworkActivity, NetworkRole
from ..selectors import networks_for_list
from .serializers import (
    MembershipReviewRecordSerializer,
    MembershipReviewSerializer,
    MembershipSerializer,
    NetworkActivitySerializer,
    NetworkRoleSerializer,
    NetworkSerializer,
)

READ_AND_WRITE = ["get", "post", "put", "patch", "head", "options"]


class NetworkViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """Networks with their current membership's status, fee and lead department."""

    queryset = Network.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter
    http_method_names = READ_AND_WRITE
    ordering_fields = ["name", "acronym", "scope", "yearly_fee", "current_role_count"]

    def get_queryset(self):
        return networks_for_list(timezone.localdate())


class MembershipViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """Memberships with their fee split (``fee_shares``): the shares must add
    up exactly to the yearly fee, or the answer is 400 with the reason."""

    queryset = Membership.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    http_method_names = READ_AND_WRITE
    ordering_fields = ["since", "yearly_fee", "review_on", "fee_due_on"]

    def get_queryset(self):
        return (
            Membership.objects.select_related("network", "lead_department")
            .prefetch_related(Prefetch("fee_shares", queryset=FeeShare.objects.select_related("department")))
            .order_by("network__name", "-since", "pk")
        )

    @staticmethod
    def _shares(rows):
        return [(row["department"], row["amount"]) for row in rows]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        shares = self._shares(data.pop("fee_shares", []))
        serializer.instance = services.membership_save(membership=Membership(**data), shares=shares, version=None)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        membership = serializer.instance
        if "fee_shares" in data:
            shares = self._shares(data.pop("fee_shares"))
        else:
            shares = [(share.department, share.amount) for share in membership.fee_shares.all()]
        version = data.pop("version")
        for name, value in data.items():
            setattr(membership, name, value)
        serializer.instance = services.membership_save(membership=membership, shares=shares, version=version)

    @extend_schema(request=MembershipReviewSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record a review: the verdict, what the membership yields, the day
        (today if left out) and the next review date. The review is kept in
        the membership's history (``reviews/``); the membership answered
        shows the latest review."""
        membership = self.get_object()
        payload = MembershipReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.membership_review(
            membership=membership,
            verdict=data["verdict"],
            note=data["note"],
            next_review_on=data["next_review_on"],
            reviewed_on=data.get("reviewed_on"),
            by=request.user,
        )
        return self.fresh_answer(membership.pk)

    @extend_schema(request=None, responses=MembershipReviewRecordSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def reviews(self, request, pk=None):
        """Every review of the membership, newest first."""
        membership = self.get_object()
        reviews = membership.reviews.order_by("-reviewed_on", "-pk")
        return Response(MembershipReviewRecordSerializer(reviews, many=True).data)


class NetworkRoleViewSet(viewsets.ModelViewSet):
    """Roles our officials hold in network bodies; ``?current=true`` for those held today."""

    queryset = NetworkRole.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NetworkRoleSerializer
    filterset_class = NetworkRoleFilter
    ordering_fields = ["starts_on", "ends_on", "title"]

    def get_queryset(self):
        return NetworkRole.objects.select_related("person").order_by("network_id", "-starts_on", "pk")


class NetworkActivityViewSet(viewsets.ModelViewSet):
    """Meetings attended and outcomes of the memberships ("simply being a
    member is not enough"), newest first: recorded, edited and deleted as on
    the network's page."""

    queryset = NetworkActivity.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NetworkActivitySerializer
    filterset_class = NetworkActivityFilter
    ordering_fields = ["date", "title"]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {None: ("-date", "-pk"), "-date": ("-date", "-pk"), "date": ("date", "pk")}

    def get_queryset(self):
        return NetworkActivity.objects.select_related("delegation").order_by("-date", "-pk")
