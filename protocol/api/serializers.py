"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----
# Events, their costs and their guests. Writes go through protocol.services,
# so the API refuses what the pages refuse (the budget's rules on costs, a
# stale version, a guest twice on a list).

from rest_framework import serializers  # noqa: E402

from budget.api.serializers import NamedChoiceField  # noqa: E402
from budget.models import BudgetLine, JubileePlan  # noqa: E402
from delegations.models import Department, Person  # noqa: E402
from oia.api.serializers import ModelSerializer, Serializer, VersionedModelSerializer  # noqa: E402
from partners.models import Partnership  # noqa: E402

from ..choices import Answer, EventKind, EventRole, EventStatus  # noqa: E402
from ..models import ConsularPost, Event, EventCost, Guest  # noqa: E402
from ..models.events import MONEY  # noqa: E402


class EventSerializer(VersionedModelSerializer):
    """An event as the office keeps it. ``status`` changes through ``cancel``
    (and the page's "mark as held")."""

    kind = NamedChoiceField(enum_name="EventKindEnum", choices=EventKind.choices)
    role = NamedChoiceField(enum_name="EventRoleEnum", choices=EventRole.choices, required=False)
    status = NamedChoiceField(enum_name="EventStatusEnum", choices=EventStatus.choices, read_only=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    partnerships = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.all(), many=True, required=False)
    consular_posts = serializers.PrimaryKeyRelatedField(queryset=ConsularPost.objects.all(), many=True, required=False)
    jubilee_plan = serializers.PrimaryKeyRelatedField(
        queryset=JubileePlan.objects.all(), allow_null=True, required=False
    )
    budget_line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(),
        allow_null=True,
        required=False,
        help_text="A line of the draft or adopted budget of the event's year.",
    )
    guest_count = serializers.IntegerField(read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "role",
            "status",
            "starts_at",
            "ends_at",
            "place",
            "is_public",
            "summary",
            "programme",
            "internal_notes",
            "department",
            "partnerships",
            "consular_posts",
            "jubilee_plan",
            "budget_line",
            "rsvp_by",
            "capacity",
            "cancellation_reason",
            "guest_count",
            "accepted_count",
            "version",
        ]
        read_only_fields = ["cancellation_reason"]


class PublicEventSerializer(ModelSerializer):
    """What a club leader reads of a public event: what its public page shows."""

    kind = NamedChoiceField(enum_name="EventKindEnum", choices=EventKind.choices, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "title", "kind", "starts_at", "ends_at", "place", "summary", "programme"]
        read_only_fields = fields


class EventCancelSerializer(Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the event is cancelled.")
    version = serializers.IntegerField(help_text="The version you read.")


class EventCostSerializer(VersionedModelSerializer):
    """A cost with its state in the budget: its estimate is committed on the
    event's line (``commitment``); once booked, the ``expense`` replaces it."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all(), help_text="Set on creation.")
    estimated = serializers.DecimalField(**MONEY, min_value=0, allow_null=True, required=False)
    actual = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    commitment_status = serializers.CharField(source="commitment.status", read_only=True, allow_null=True)
    override_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        help_text="Administrators only: why a line-item line may be overdrawn.",
    )
    warning = serializers.CharField(read_only=True, default="", help_text="Set when a discretionary line is overdrawn.")

    class Meta:
        model = EventCost
        fields = [
            "id",
            "event",
            "description",
            "estimated",
            "actual",
            "commitment",
            "commitment_status",
            "expense",
            "override_reason",
            "version",
            "warning",
        ]
        read_only_fields = ["commitment", "expense"]


class EventCostBookingSerializer(Serializer):
    actual = serializers.DecimalField(**MONEY, min_value=0)
    date = serializers.DateField()
    payee = serializers.CharField(max_length=200)
    override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(help_text="The version you read.")


class GuestSerializer(VersionedModelSerializer):
    """A guest and their answer. ``person`` and ``event`` are set on creation."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    answer = NamedChoiceField(enum_name="GuestAnswerEnum", choices=Answer.choices, required=False)
    companions = serializers.IntegerField(min_value=0, max_value=20, required=False)

    class Meta:
        model = Guest
        fields = [
            "id",
            "event",
            "person",
            "person_name",
            "consular_post",
            "ambassador",
            "answer",
            "represented_by",
            "companions",
            "seat",
            "note",
            "invited_at",
            "answered_at",
            "version",
        ]
        read_only_fields = ["consular_post", "ambassador", "invited_at", "answered_at"]
        validators = []  # once per event: the service says so, with the model's message


# ----- city ambassadors -----
