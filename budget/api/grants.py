"""API of trip grants: /api/grant-applications/ and /api/grant-rules/.

Club leaders see and write only their own clubs' applications (another
club's answers 404) and may submit them; deciding and paying are the
office's (403 for anyone else). Writes go through budget.services.grants."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from oia.api.mixins import LeaderSerializerMixin
from oia.api.serializers import ModelSerializer, Serializer, VersionedModelSerializer
from oia.permissions import IsOfficeOrClubLeader, IsOfficeStaff
from oia.roles import OFFICE, has_role
from partners.models import Club
from partners.selectors import visible_to

from .. import selectors
from ..filters import GrantApplicationFilter
from ..models import GRANTED_STATUSES, MONEY, ZERO, BudgetLine, GrantApplication, GrantRules
from ..services import grants


class GrantApplicationSerializer(VersionedModelSerializer):
    club = serializers.PrimaryKeyRelatedField(queryset=Club.objects.all())
    allowed_amount = serializers.SerializerMethodField(help_text="What the grant rules allow for this application.")
    four_eyes_override_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = GrantApplication
        fields = [
            "id",
            "club",
            *grants.APPLICATION_FIELDS,
            "status",
            "allowed_amount",
            "approved_amount",
            "conditions",
            "rejection_reason",
            "budget_line",
            "decided_at",
            "actual_travellers",
            "report",
            "exchange",
            "four_eyes_override_by",
            "four_eyes_override_reason",
            "version",
        ]
        read_only_fields = [
            "status",
            "approved_amount",
            "conditions",
            "rejection_reason",
            "budget_line",
            "decided_at",
            "actual_travellers",
            "report",
            "exchange",
            "four_eyes_override_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["club"].queryset = visible_to(request.user, Club.objects.all(), club_lookup="")

    def get_allowed_amount(self, application) -> str:
        rules = self.context.get("rules") or GrantRules.current()
        if "granted" not in self.context:
            return str(selectors.allowed_for(application, rules))
        already = self.context["granted"].get((application.club_id, application.starts_on.year), ZERO)
        return str(
            selectors.grant_allowed_amount(
                rules=rules,
                travellers=application.travellers,
                students=application.students,
                already_granted=already - (application.approved_amount or 0)
                if application.status in GRANTED_STATUSES
                else already,
            )
        )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "club" in attrs and attrs["club"] != self.instance.club:
            raise serializers.ValidationError({"club": _("An application cannot move to another club.")})
        return attrs


class LeaderGrantApplicationSerializer(GrantApplicationSerializer):
    """What club leaders read (reviewed in tests/partners/test_leader_fields.py):
    the decision addressed to the club, without the office's budget line or
    who overrode the four-eyes rule and why."""

    four_eyes_override_by = None

    class Meta(GrantApplicationSerializer.Meta):
        fields = [
            "id",
            "club",
            *grants.APPLICATION_FIELDS,
            "status",
            "allowed_amount",
            "approved_amount",
            "conditions",
            "rejection_reason",
            "decided_at",
            "actual_travellers",
            "report",
            "exchange",
            "version",
        ]
        read_only_fields = [
            "status",
            "approved_amount",
            "conditions",
            "rejection_reason",
            "decided_at",
            "actual_travellers",
            "report",
            "exchange",
        ]


class GrantApproveSerializer(Serializer):
    approved_amount = serializers.DecimalField(**MONEY)
    budget_line = serializers.PrimaryKeyRelatedField(queryset=BudgetLine.objects.select_related("budget"))
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class GrantRejectSerializer(Serializer):
    reason = serializers.CharField()


class GrantPaySerializer(Serializer):
    four_eyes_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Only for an administrator booking the payment of a grant they approved "
        "(four-eyes rule): why; recorded on the application.",
    )


class GrantApplicationViewSet(
    LeaderSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = GrantApplication.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = GrantApplicationSerializer
    leader_serializer_class = LeaderGrantApplicationSerializer
    filterset_class = GrantApplicationFilter
    permission_classes = [IsOfficeOrClubLeader]

    def get_queryset(self):
        return visible_to(self.request.user, GrantApplication.objects.for_list().order_by("-starts_on", "-pk"))

    def get_serializer_context(self):
        """The rules and each club's granted totals per year, read once for a whole page."""
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return context
        context["rules"] = GrantRules.current()
        if self.action == "list":
            context["granted"] = selectors.granted_totals(visible_to(self.request.user, GrantApplication.objects.all()))
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = grants.grant_apply(club=data.pop("club"), created_by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("club", None)
        serializer.instance = grants.grant_update(
            application=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )

    def _answer(self, application):
        return Response(self.get_serializer(application).data)

    def _office_only(self):
        if not has_role(self.request.user, OFFICE):
            raise PermissionDenied(_("Only the office decides on and pays grants."))

    # The answer is the role's serializer (a leader's has fewer fields): no fixed ``responses``.
    @extend_schema(request=None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        return self._answer(grants.grant_submit(application=self.get_object(), by=request.user))

    @extend_schema(request=GrantApproveSerializer, responses=GrantApplicationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """Approve up to the allowed amount; commits it on the budget line."""
        self._office_only()
        application = self.get_object()
        payload = GrantApproveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._answer(grants.grant_approve(application=application, by=request.user, **payload.validated_data))

    @extend_schema(request=GrantRejectSerializer, responses=GrantApplicationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        self._office_only()
        application = self.get_object()
        payload = GrantRejectSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._answer(grants.grant_reject(application=application, by=request.user, **payload.validated_data))

    @extend_schema(request=GrantPaySerializer, responses=GrantApplicationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def pay(self, request, pk=None):
        """Book the approved amount as an expense (replacing the commitment).
        Whoever approved the grant may not book it (four-eyes rule), unless an
        administrator gives ``four_eyes_override_reason``."""
        self._office_only()
        application = self.get_object()
        payload = GrantPaySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        grants.grant_pay(application=application, by=request.user, **payload.validated_data)
        return self._answer(self.get_queryset().get(pk=application.pk))


class GrantRulesSerializer(VersionedModelSerializer):
    class Meta:
        model = GrantRules
        fields = ["id", "base_rate", "student_rate", "max_per_application", "yearly_cap_per_club", "version"]


class LeaderGrantRulesSerializer(ModelSerializer):
    """The rates and caps, without who changed them last."""

    class Meta:
        model = GrantRules
        fields = ["id", "base_rate", "student_rate", "max_per_application", "yearly_cap_per_club"]
        read_only_fields = fields


class GrantRulesViewSet(
    LeaderSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The grant rules (one row). Leaders read them; the office changes them."""

    queryset = GrantRules.objects.none()
    serializer_class = GrantRulesSerializer
    leader_serializer_class = LeaderGrantRulesSerializer
    pagination_class = None

    def get_permissions(self):
        if self.action in ("update", "partial_update"):
            return [IsOfficeStaff()]
        return [IsOfficeOrClubLeader()]

    def get_queryset(self):
        GrantRules.current()
        return GrantRules.objects.order_by("pk")

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = grants.grant_rules_update(
            rules=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )
