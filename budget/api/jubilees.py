"""API of jubilee plans: /api/jubilee-plans/, office staff only (the default
permission). A plan commits its estimate to a line of the jubilee year's
budget under the rule an expense is booked by; writes go through
budget.services.jubilees, so the API refuses what the pages refuse. A plan is
never deleted: PATCH ``{"status": "cancelled"}`` calls it off and releases
its commitment."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from oia.api.serializers import VersionedModelSerializer
from partners.models import Partnership

from ..filters import JubileePlanFilter
from ..models import MONEY, BudgetLine, JubileePlan, JubileePlanStatus
from ..services import jubilees as services
from .serializers import NamedChoiceField

REFUSED = OpenApiResponse(description="The budget rules refuse this; the body names the field and says why.")


class JubileePlanSerializer(VersionedModelSerializer):
    """A jubilee plan with what it commits now (``committed``: its open
    commitment). ``warning`` is set in the answer to a write that overdraws a
    line of a discretionary budget."""

    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.all(), help_text="Set on creation; a plan stays with its jubilee."
    )
    partner_city = serializers.CharField(source="partnership.partner_city.name", read_only=True)
    line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(), help_text="A line of the budget of the jubilee year."
    )
    line_name = serializers.CharField(source="line.name", read_only=True)
    status = NamedChoiceField(
        enum_name="JubileePlanStatusEnum",
        choices=JubileePlanStatus.choices,
        required=False,
        help_text="A new plan is planned; then held (its costs booked) or cancelled (its commitment released).",
    )
    estimate = serializers.DecimalField(**MONEY, min_value=0)
    committed = serializers.DecimalField(**MONEY, read_only=True, help_text="Its open commitment on the line.")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Administrators only: why a line-item line may be overdrawn. Kept only when it is.",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    warning = serializers.CharField(
        read_only=True, default="", help_text="Set when a write overdraws a line of a discretionary budget."
    )

    class Meta:
        model = JubileePlan
        fields = [
            "id",
            "partnership",
            "partner_city",
            "year",
            "years",
            "title",
            "starts_on",
            "ends_on",
            "estimate",
            "line",
            "line_name",
            "status",
            "committed",
            "override_reason",
            "created_by",
            "created_at",
            "version",
            "warning",
        ]
        read_only_fields = ["years", "created_at"]
        # One standing plan per jubilee is checked by the service, with the model's message.
        validators = []


class JubileePlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Jubilee plans: the events of a partnership's jubilee and their estimate,
    committed to a line of that year's budget. Editing the estimate or the line
    replaces the commitment; ``status`` held closes it (the expenses booked
    for the jubilee take its place), cancelled releases it."""

    queryset = JubileePlan.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = JubileePlanSerializer
    filterset_class = JubileePlanFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["year", "starts_on", "estimate", "created_at"]

    def get_queryset(self):
        return JubileePlan.objects.for_list()

    def _answer(self, planning, code=status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=planning.plan.pk)
        row.warning = planning.warning
        return Response(self.get_serializer(row).data, status=code)

    @extend_schema(responses={201: JubileePlanSerializer, 400: REFUSED})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("version", None)
        if data.pop("status", JubileePlanStatus.PLANNED) != JubileePlanStatus.PLANNED:
            raise serializers.ValidationError({"status": _("A new jubilee plan starts as planned.")})
        planning = services.jubilee_plan_create(by=request.user, **data)
        return self._answer(planning, status.HTTP_201_CREATED)

    @extend_schema(responses={200: JubileePlanSerializer, 400: REFUSED})
    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        payload = self.get_serializer(plan, data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version")
        for name in ("partnership", "year"):
            if name in data and data.pop(name) != getattr(plan, name):
                raise serializers.ValidationError(
                    {name: _("A plan stays with its jubilee: cancel it and plan the other jubilee.")}
                )
        if data.get("status") == JubileePlanStatus.CANCELLED:
            if set(data) - {"status", "override_reason"}:
                raise serializers.ValidationError({"status": _("Cancel a plan on its own, without other changes.")})
            cancelled = services.jubilee_plan_cancel(plan=plan, version=version, by=request.user)
            return self._answer(services.JubileePlanning(plan=cancelled))
        planning = services.jubilee_plan_update(plan=plan, version=version, by=request.user, **data)
        return self._answer(planning)

    @extend_schema(responses={200: JubileePlanSerializer, 400: REFUSED})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)
