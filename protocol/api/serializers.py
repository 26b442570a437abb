"""The protocol API's serializers: they validate the input; the services write."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from budget.api.serializers import NamedChoiceField
from budget.models import BudgetLine, JubileePlan
from delegations.models import Delegation, Department, Person
from oia.api.serializers import ModelSerializer, Serializer, VersionedModelSerializer
from oia.bounds import INTEGER_MAX, YEAR_MAX, YEAR_MIN
from partners.models import City, Partnership

from ..choices import AmbassadorArea, Answer, EventKind, EventRole, EventStatus
from ..models import Ambassador, AmbassadorActivity, ConsularPost, Event, EventCost, Guest, NationalDayObservance
from ..models.events import MONEY

# ----- consular posts and national days -----


class ConsularPostSerializer(VersionedModelSerializer):
    """A consular post. ``closed_on`` is read-only: the ``close`` and
    ``reopen`` actions record it, with the reason in the notes."""

    head = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)
    head_name = serializers.CharField(source="head.name", read_only=True, allow_null=True, default=None)
    deputy = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)
    contacts = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50, allow_blank=False), max_length=20, required=False
    )

    class Meta:
        model = ConsularPost
        fields = [
            "id",
            "country",
            "kind",
            "name",
            "address",
            "phone",
            "email",
            "website",
            "jurisdiction",
            "languages",
            "head",
            "head_name",
            "head_title",
            "head_class",
            "head_category",
            "head_is_acting",
            "exequatur_on",
            "provisional_admission_on",
            "commission_presented_on",
            "deputy",
            "contacts",
            "national_day_month",
            "national_day_day",
            "national_day_name",
            "opened_on",
            "closed_on",
            "notes",
            "version",
        ]
        read_only_fields = ["closed_on"]


class PrecedenceEntrySerializer(ConsularPostSerializer):
    """A post in the order of precedence: its rank (null: no head of post) and
    the date its head's precedence counts from."""

    rank = serializers.IntegerField(read_only=True, allow_null=True)
    admitted_on = serializers.DateField(source="precedence_admitted", read_only=True, allow_null=True)

    class Meta(ConsularPostSerializer.Meta):
        fields = ["rank", "admitted_on", *ConsularPostSerializer.Meta.fields]


class PrecedenceQuerySerializer(Serializer):
    """``?date=``: the day (today if left out)."""

    date = serializers.DateField(required=False, help_text="The day the order is asked for; today if left out.")

    def validate_date(self, value):
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            raise serializers.ValidationError(
                _("Enter a day from %(first)s to %(last)s.") % {"first": YEAR_MIN, "last": YEAR_MAX}
            )
        return value


class PostCloseSerializer(Serializer):
    closed_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX, help_text="The version you read.")


class PostReopenSerializer(Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX, help_text="The version you read.")


class NationalDayObservanceSerializer(VersionedModelSerializer):
    """What the office did on a post's national day: once a year per post."""

    post = serializers.PrimaryKeyRelatedField(queryset=ConsularPost.objects.all())
    post_name = serializers.CharField(source="post.name", read_only=True)
    represented_by = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)

    class Meta:
        model = NationalDayObservance
        fields = ["id", "post", "post_name", "date", "kind", "represented_by", "note", "recorded_by", "version"]
        read_only_fields = ["recorded_by"]
        validators = []  # the service refuses a second record of the year, with its message


# ----- events and guests -----
# Events, their costs and their guests. Writes go through protocol.services,
# so the API refuses what the pages refuse (the budget's rules on costs, a
# stale version, a guest twice on a list).


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
# Written through protocol.services, so the API refuses what the forms refuse.


class AmbassadorSerializer(VersionedModelSerializer):
    """A city ambassador: the person, the city abroad they live in, their tie,
    the term (``until`` null: open-ended) and the areas they work in."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    city = serializers.PrimaryKeyRelatedField(queryset=City.objects.all())
    city_name = serializers.CharField(source="city.name", read_only=True)
    country = serializers.CharField(source="city.country.code", read_only=True)
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=AmbassadorArea.choices), required=False, max_length=len(AmbassadorArea)
    )
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Ambassador
        fields = [
            "id",
            "person",
            "person_name",
            "city",
            "city_name",
            "country",
            "tie",
            "appointed_on",
            "until",
            "areas",
            "notes",
            "activity_count",
            "version",
        ]

    def validate_areas(self, value):
        return list(dict.fromkeys(value))  # each area once, in the order given

    def validate(self, attrs):
        attrs = super().validate(attrs)
        appointed_on = attrs.get("appointed_on", getattr(self.instance, "appointed_on", None))
        until = attrs.get("until", getattr(self.instance, "until", None))
        if appointed_on and until and until < appointed_on:
            raise serializers.ValidationError({"until": _("The appointment cannot end before it starts.")})
        return attrs


class AmbassadorActivitySerializer(VersionedModelSerializer):
    """One thing an ambassador did. ``delegation`` only with the kind
    ``delegation`` (and then required): an inbound delegation becomes an
    official guest of the city."""

    ambassador_name = serializers.CharField(source="ambassador.person.name", read_only=True)
    delegation = serializers.PrimaryKeyRelatedField(queryset=Delegation.objects.all(), allow_null=True, required=False)
    delegation_title = serializers.CharField(source="delegation.title", read_only=True, allow_null=True)

    class Meta:
        model = AmbassadorActivity
        fields = [
            "id",
            "ambassador",
            "ambassador_name",
            "date",
            "kind",
            "description",
            "delegation",
            "delegation_title",
            "version",
        ]
