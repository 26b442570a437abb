"""API representations of networks, memberships (with their fee split) and
the roles our officials hold. Memberships are written through
networks.services, so the API refuses exactly what the forms refuse."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from delegations.models import Department, Person
from oia.api.schema import choices_component
from oia.api.serializers import ModelSerializer, Serializer, VersionedModelSerializer

from ..choices import MembershipStatus, Verdict
from ..models import FeeShare, Membership, MembershipReview, Network, NetworkActivity, NetworkRole
from ..selectors import trips_for_activities

MONEY = {"max_digits": 12, "decimal_places": 2}


class MembershipStatusField(serializers.ChoiceField):
    """A membership status (``status``, ``membership_status``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=MembershipStatus.choices, **kwargs)


class MembershipStatusFieldExtension(OpenApiSerializerFieldExtension):
    """One schema component for the membership statuses: drf-spectacular would
    otherwise name the choice set once per field name and clash with the other
    apps' ``status``, which fails ``--fail-on-warn``."""

    target_class = MembershipStatusField

    def map_serializer_field(self, auto_schema, direction):
        component = choices_component("MembershipStatusEnum", MembershipStatus)
        auto_schema.registry.register_on_missing(component)
        if self.target.allow_null:
            return {"allOf": [component.ref], "nullable": True}
        return component.ref


class NetworkSerializer(ModelSerializer):
    """A network with the facts of its current (latest) membership, if any."""

    current_membership = serializers.IntegerField(source="membership_id", read_only=True, allow_null=True)
    membership_status = MembershipStatusField(read_only=True, allow_null=True, help_text="Null: not a member.")
    yearly_fee = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    lead_department_name = serializers.CharField(read_only=True, allow_null=True)
    current_role_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "acronym",
            "scope",
            "themes",
            "website",
            "current_membership",
            "membership_status",
            "yearly_fee",
            "lead_department_name",
            "current_role_count",
        ]


class FeeShareSerializer(ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    department_name = serializers.CharField(source="department.name", read_only=True)
    amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = FeeShare
        fields = ["department", "department_name", "amount"]


class MembershipSerializer(VersionedModelSerializer):
    """A membership with its fee split. The shares must add up to the yearly
    fee; sending ``fee_shares`` replaces the whole split. The verdict and what
    the membership yields are those of the latest review (read-only: POST a
    review to ``review/``); ``review_on`` may be set only until the first review."""

    network_name = serializers.CharField(source="network.name", read_only=True)
    status = MembershipStatusField(required=False)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True)
    fee_shares = FeeShareSerializer(
        many=True,
        required=False,
        help_text="The whole split; it replaces the current one. Left out on update: the split stays.",
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "network",
            "network_name",
            "since",
            "until",
            "status",
            "lead_department",
            "lead_department_name",
            "tier",
            "yearly_fee",
            "fee_due_on",
            "fee_shares",
            "review_on",
            "verdict",
            "verdict_note",
            "version",
        ]
        read_only_fields = ["verdict", "verdict_note"]
        extra_kwargs = {
            "review_on": {"help_text": "The next review. Set by each review; writable only until the first review."}
        }


class MembershipReviewSerializer(Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = serializers.CharField(help_text="What the membership yields: expertise, project partners, funding leads.")
    next_review_on = serializers.DateField(allow_null=True, help_text="May be null only when the verdict is leave.")
    reviewed_on = serializers.DateField(
        required=False, help_text="The day of the review; today if left out. Never in the future."
    )


class MembershipReviewRecordSerializer(ModelSerializer):
    """One review kept in a membership's history, newest first."""

    class Meta:
        model = MembershipReview
        fields = [
            "id",
            "membership",
            "verdict",
            "reasoning",
            "reviewed_on",
            "next_review_on",
            "reviewer",
            "reviewer_name",
            "carried_over",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "reviewer": {"help_text": "The reviewer's account; null once it is deleted (the name stays)."},
            "carried_over": {
                "help_text": "Taken over from the membership when reviews began to be kept: the date is estimated."
            },
        }


class NetworkRoleSerializer(ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(department__isnull=False))
    person_name = serializers.CharField(source="person.name", read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = NetworkRole
        fields = ["id", "network", "person", "person_name", "body", "title", "starts_on", "ends_on", "is_current"]

    def get_is_current(self, role) -> bool:
        return role.ends_on is None or role.ends_on >= timezone.localdate()

    def validate(self, attrs):
        starts_on = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts_on and ends_on and ends_on < starts_on:
            raise serializers.ValidationError({"ends_on": _("The role cannot end before it starts.")})
        return attrs


class NetworkActivitySerializer(ModelSerializer):
    """A meeting attended (ideally with the outbound trip that went there) or
    an outcome of the membership: project partners, a funding lead, expertise."""

    delegation = serializers.PrimaryKeyRelatedField(
        queryset=trips_for_activities(),
        allow_null=True,
        required=False,
        help_text="For a meeting attended: the outbound delegation that went there.",
    )
    delegation_title = serializers.CharField(source="delegation.title", read_only=True, allow_null=True)

    class Meta:
        model = NetworkActivity
        fields = ["id", "network", "kind", "date", "title", "note", "delegation", "delegation_title"]
