"""API representations of delegations. Writes go through delegations.services,
so the API refuses exactly what the forms refuse."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from oia.api.schema import choices_component
from oia.api.serializers import ModelSerializer, Serializer, VersionedModelSerializer
from partners.api.serializers import CitySerializer
from partners.filters import office_users
from partners.models import City, Partnership

from ..choices import DelegationStatus, ParticipantRole, Sector
from ..models import (
    CoordinationCase,
    Cost,
    Delegation,
    Department,
    Gift,
    Outcome,
    Participant,
    Person,
    ProgrammeItem,
    Transition,
)
from ..services import allowed_transitions

MONEY = {"max_digits": 14, "decimal_places": 2}


class DelegationStatusField(serializers.ChoiceField):
    """A workflow status (``status``, ``from_status``, ``to_status``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=DelegationStatus.choices, **kwargs)


class DelegationStatusFieldExtension(OpenApiSerializerFieldExtension):
    """One schema component for the workflow statuses. drf-spectacular would
    name the choice set once per field name (``from_status``, ``to_status`` …)
    and clash with partners' ``status``, which fails ``--fail-on-warn``."""

    target_class = DelegationStatusField

    def map_serializer_field(self, auto_schema, direction):
        component = choices_component("DelegationStatusEnum", DelegationStatus)
        auto_schema.registry.register_on_missing(component)
        if self.target.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref


class DepartmentSerializer(ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name"]


class PersonSerializer(ModelSerializer):
    """Dietary and accessibility needs are included: the API is for office staff only."""

    country = CountryField(required=False, allow_blank=True)
    is_official = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "title",
            "department",
            "organisation",
            "city",
            "country",
            "email",
            "dietary_needs",
            "accessibility_needs",
            "is_official",
        ]


class ParticipantSerializer(ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "person", "name", "role", "sector"]
        read_only_fields = ["person"]


class ParticipantCreateSerializer(Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    role = serializers.ChoiceField(choices=ParticipantRole.choices, default=ParticipantRole.MEMBER)
    sector = serializers.ChoiceField(choices=Sector.choices, default=Sector.GOVERNMENT)


class ProgrammeItemSerializer(VersionedModelSerializer):
    """A point of the working programme, on a day within the delegation's dates."""

    class Meta:
        model = ProgrammeItem
        fields = ["id", "date", "starts_at", "ends_at", "kind", "title", "place", "hosts", "counterparts", "version"]


class CostSerializer(VersionedModelSerializer):
    """An estimated cost and, once booked, the actual amount (null until then); neither is negative."""

    class Meta:
        model = Cost
        fields = ["id", "category", "description", "estimated", "actual", "payer", "version"]


class GiftSerializer(VersionedModelSerializer):
    """A gift given or received, for the gift register."""

    class Meta:
        model = Gift
        fields = ["id", "direction", "description", "counterpart", "value", "version"]


class OutcomeSerializer(VersionedModelSerializer):
    """What the delegation produced, and who follows it up (an office user, by username)."""

    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=office_users(), required=False, allow_null=True
    )

    class Meta:
        model = Outcome
        fields = ["id", "kind", "description", "owner", "due_on", "done", "version"]


class TransitionSerializer(ModelSerializer):
    from_status = DelegationStatusField(read_only=True, allow_blank=True)
    to_status = DelegationStatusField(read_only=True)
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Transition
        fields = ["id", "from_status", "to_status", "by", "at", "comment"]


class TransitionCreateSerializer(Serializer):
    to_status = DelegationStatusField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Administrators only: why approving may overdraw the trip's line of a line-item budget.",
    )


class TransitionTakenSerializer(TransitionSerializer):
    """The step just taken, with what the person should know about it."""

    warning = serializers.CharField(
        read_only=True,
        help_text="Set when approving overdraws the trip's line of a discretionary budget; empty otherwise.",
    )

    class Meta(TransitionSerializer.Meta):
        fields = [*TransitionSerializer.Meta.fields, "warning"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A trip to a partner city",
            request_only=True,
            value={
                "direction": "outbound",
                "title": "The mayor visits the partner city",
                "purpose": "partner_city_visit",
                "city_id": 1,
                "partnership": 1,
                "start_on": "2026-06-10",
                "end_on": "2026-06-12",
                "department": 1,
                "travel_class": "rail_second",
                "head_count": 0,
            },
        )
    ]
)
class DelegationSerializer(VersionedModelSerializer):
    """One delegation with its participants, programme and costs (all
    prefetched by the viewset: the list runs a fixed number of queries)."""

    city = CitySerializer(read_only=True, allow_null=True)
    status = DelegationStatusField(read_only=True)
    city_id = serializers.PrimaryKeyRelatedField(
        source="city", queryset=City.objects.all(), write_only=True, required=False, allow_null=True
    )
    country = CountryField(required=False, allow_blank=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.all(), required=False, allow_null=True
    )
    lead = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    lead_name = serializers.CharField(source="lead.name", read_only=True, default=None, allow_null=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    named_count = serializers.IntegerField(read_only=True)
    total_size = serializers.IntegerField(read_only=True)
    programme = ProgrammeItemSerializer(many=True, read_only=True)
    costs = CostSerializer(many=True, read_only=True)
    estimated_total = serializers.SerializerMethodField()
    actual_total = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = [
            "id",
            "direction",
            "title",
            "purpose",
            "city",
            "city_id",
            "country",
            "partnership",
            "start_on",
            "end_on",
            "budget_line",
            "department",
            "department_name",
            "lead",
            "lead_name",
            "official_guest",
            "travel_class",
            "head_count",
            "head_count_note",
            "named_count",
            "total_size",
            "public_summary",
            "internal_notes",
            "trip_report",
            "status",
            "allowed_transitions",
            "participants",
            "programme",
            "costs",
            "estimated_total",
            "actual_total",
            "approved_estimate",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "approved_estimate", "created_at", "updated_at"]

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_estimated_total(self, delegation) -> str:
        total = sum((cost.estimated for cost in delegation.costs.all()), Decimal("0"))  # prefetched
        return serializers.DecimalField(**MONEY).to_representation(total)

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_actual_total(self, delegation) -> str:
        total = sum((cost.actual or Decimal("0") for cost in delegation.costs.all()), Decimal("0"))
        return serializers.DecimalField(**MONEY).to_representation(total)

    def get_allowed_transitions(self, delegation) -> list[str]:
        return allowed_transitions(delegation)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and attrs.get("lead"):
            raise serializers.ValidationError(
                {"lead": _("Add the head of delegation as a participant with the role “lead” after creating it.")}
            )
        return attrs


class DelegationBriefSerializer(ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True, default=None, allow_null=True)
    country = CountryField(read_only=True)
    status = DelegationStatusField(read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Delegation
        fields = [
            "id",
            "direction",
            "title",
            "status",
            "start_on",
            "end_on",
            "city",
            "city_name",
            "country",
            "department",
            "department_name",
        ]


class CoordinationCaseSerializer(ModelSerializer):
    trip = DelegationBriefSerializer(read_only=True)
    other = DelegationBriefSerializer(read_only=True)
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CoordinationCase
        fields = ["id", "trip", "other", "match", "state", "comment", "found_at", "resolved_by", "resolved_at"]
        read_only_fields = fields


class CoordinationResolveSerializer(Serializer):
    comment = serializers.CharField(allow_blank=True)
