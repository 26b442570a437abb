"""API representations of the programme budget. Writes go through
budget.services, so the API refuses exactly what the forms refuse; the
amounts of a line (changes, current, committed, spent, available) are
computed in SQL by ``BudgetLine.objects.with_amounts()``."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from delegations.models import Delegation
from networks.models import Membership
from oia.api.serializers import ModelSerializer, Serializer
from partners.models import Partnership

from ..models import (
    CURRENCY_CODE,
    MONEY,
    Budget,
    BudgetChange,
    BudgetLine,
    BudgetMode,
    BudgetStatus,
    ChangeKind,
    Commitment,
    CommitmentStatus,
    Expense,
    RequestStatus,
    SupplementaryRequest,
)

DECISIONS = (RequestStatus.SUBMITTED, RequestStatus.GRANTED, RequestStatus.REFUSED)


def money_field(**kwargs):
    return serializers.DecimalField(**MONEY, **kwargs)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose schema enum has a fixed component name.
    drf-spectacular names enums after the field, and several ``status``
    fields with different choices (here and in partners) would clash and
    fail ``--fail-on-warn``."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": list(field.choices),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in field.choices.items()),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class BudgetSerializer(ModelSerializer):
    mode = NamedChoiceField(enum_name="BudgetModeEnum", choices=BudgetMode.choices, default=BudgetMode.LINE_ITEM)
    status = NamedChoiceField(enum_name="BudgetStatusEnum", choices=BudgetStatus.choices, read_only=True)
    adopted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    planned_total = money_field(read_only=True, help_text="The sum of the lines' planned amounts.")

    class Meta:
        model = Budget
        fields = ["id", "year", "mode", "status", "currency", "adopted_on", "adopted_by", "planned_total"]
        read_only_fields = ["status", "adopted_on", "adopted_by"]


class BudgetAdoptSerializer(Serializer):
    adopted_on = serializers.DateField(required=False, help_text="Defaults to today.")


class BudgetLineSerializer(ModelSerializer):
    """A line with its amounts: current = planned + changes; available =
    current − open commitments − spent."""

    budget = serializers.PrimaryKeyRelatedField(
        queryset=Budget.objects.all(), help_text="Set on creation; a line cannot move to another budget."
    )
    year = serializers.IntegerField(source="budget.year", read_only=True)
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.all(), required=False, allow_null=True
    )
    partner_city = serializers.CharField(
        source="partnership.partner_city.name", read_only=True, default=None, allow_null=True
    )
    changes = money_field(read_only=True)
    current = money_field(read_only=True)
    committed = money_field(read_only=True)
    spent = money_field(read_only=True)
    available = money_field(read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "budget",
            "year",
            "name",
            "category",
            "partnership",
            "partner_city",
            "planned",
            "changes",
            "current",
            "committed",
            "spent",
            "available",
        ]
        # The unique name per budget is checked by line_save (full_clean), with the model's message.
        validators = []


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An invoice booked on a line",
            request_only=True,
            value={
                "line": 1,
                "date": "2026-03-02",
                "amount": "1250.00",
                "payee": "Hotel de la Cité",
                "description": "Two nights for the delegation",
            },
        )
    ]
)
class ExpenseSerializer(ModelSerializer):
    """An expense. In a foreign currency, send ``original_amount``,
    ``original_currency`` and ``exchange_rate`` (office currency per unit)
    instead of ``amount``: the booked amount is converted and rounded once."""

    amount = money_field(
        required=False,
        allow_null=True,
        help_text="In the office currency; computed from the original amount for a foreign currency.",
    )
    original_currency = serializers.CharField(
        required=False, allow_blank=True, max_length=3, validators=[CURRENCY_CODE], default=""
    )
    line_name = serializers.CharField(source="line.name", read_only=True)
    year = serializers.IntegerField(source="line.budget.year", read_only=True)
    delegation = serializers.PrimaryKeyRelatedField(queryset=Delegation.objects.all(), required=False, allow_null=True)
    membership = serializers.PrimaryKeyRelatedField(queryset=Membership.objects.all(), required=False, allow_null=True)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Administrators only: why a line-item line may be overdrawn. Kept only when it is.",
    )
    booked_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Expense
        fields = [
            "id",
            "line",
            "line_name",
            "year",
            "date",
            "amount",
            "original_amount",
            "original_currency",
            "exchange_rate",
            "payee",
            "description",
            "delegation",
            "membership",
            "event",
            "override_reason",
            "booked_by",
            "booked_at",
        ]
        read_only_fields = ["booked_at"]


class ExpenseBookedSerializer(ExpenseSerializer):
    warning = serializers.CharField(
        read_only=True, help_text="Set when the booking overdraws a line of a discretionary budget."
    )

    class Meta(ExpenseSerializer.Meta):
        fields = [*ExpenseSerializer.Meta.fields, "warning"]


class CommitmentSerializer(ModelSerializer):
    line_name = serializers.CharField(source="line.name", read_only=True)
    year = serializers.IntegerField(source="line.budget.year", read_only=True)
    delegation_title = serializers.CharField(source="delegation.title", read_only=True, default=None, allow_null=True)
    status = NamedChoiceField(enum_name="CommitmentStatusEnum", choices=CommitmentStatus.choices, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "line",
            "line_name",
            "year",
            "amount",
            "description",
            "delegation",
            "delegation_title",
            "status",
            "override_reason",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class BudgetChangeSerializer(ModelSerializer):
    line_name = serializers.CharField(source="line.name", read_only=True)
    year = serializers.IntegerField(source="line.budget.year", read_only=True)
    counterpart_name = serializers.CharField(source="counterpart.name", read_only=True, default=None, allow_null=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = BudgetChange
        fields = [
            "id",
            "line",
            "line_name",
            "year",
            "kind",
            "amount",
            "counterpart",
            "counterpart_name",
            "council_reference",
            "decided_on",
            "reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class BudgetChangeCreateSerializer(Serializer):
    """An amendment (line-item budget: ``line``, a signed ``amount``,
    ``council_reference``, ``decided_on``, ``reason``) or a transfer
    (discretionary budget: ``source``, ``target``, a positive ``amount``,
    ``reason``)."""

    kind = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in (ChangeKind.AMENDMENT, ChangeKind.TRANSFER)]
    )
    amount = money_field(help_text="Amendment: negative to reduce the line. Transfer: the positive amount moved.")
    line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.select_related("budget"), required=False, help_text="Amendment only."
    )
    source = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.select_related("budget"), required=False, help_text="Transfer only."
    )
    target = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.select_related("budget"), required=False, help_text="Transfer only."
    )
    council_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    decided_on = serializers.DateField(required=False, help_text="Required for an amendment.")
    reason = serializers.CharField()

    def validate(self, attrs):
        errors = {}
        required = ["line", "decided_on"] if attrs["kind"] == ChangeKind.AMENDMENT else ["source", "target"]
        for name in required:
            if attrs.get(name) is None:
                errors[name] = "This field is required for this kind of change."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SupplementaryRequestSerializer(ModelSerializer):
    line_name = serializers.CharField(source="line.name", read_only=True)
    year = serializers.IntegerField(source="line.budget.year", read_only=True)
    status = NamedChoiceField(
        enum_name="RequestStatusEnum",
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        help_text="On creation: draft or submitted. The council's answer is recorded with decide.",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SupplementaryRequest
        fields = [
            "id",
            "line",
            "line_name",
            "year",
            "amount_requested",
            "justification",
            "status",
            "granted_amount",
            "council_reference",
            "decided_on",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["granted_amount", "council_reference", "decided_on", "created_at"]

    def validate_status(self, value):
        if value not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED):
            raise serializers.ValidationError(_("A new request is a draft or submitted; the council decides later."))
        return value


class SupplementaryDecideSerializer(Serializer):
    status = NamedChoiceField(
        enum_name="RequestDecisionEnum", choices=[(status.value, status.label) for status in DECISIONS]
    )
    granted_amount = money_field(
        required=False, allow_null=True, help_text="For a grant; defaults to the amount requested."
    )
    council_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    decided_on = serializers.DateField(required=False, help_text="Defaults to today.")
