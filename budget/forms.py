"""Forms of the budget app. They collect input only: every rule about money
(draft-only edits, overdrafts, who may amend or transfer) is checked by
budget.services, whose ValidationErrors the views put back on these forms."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from delegations.models import INACTIVE_STATUSES, Delegation
from networks.models import Membership
from oia.bounds import INTEGER_MAX
from oia.forms import Form, ModelForm, SearchableModelChoiceField, VersionedModelForm
from partners.choices import ExchangeDirection, ExchangeKind
from partners.forms import DateInput
from partners.models import Partnership

from .models import (
    CURRENCY_CODE,
    MONEY,
    Budget,
    BudgetLine,
    BudgetStatus,
    GrantApplication,
    GrantRules,
    LineCategory,
    RequestStatus,
    SupplementaryRequest,
    fiscal_year_of,
)


def money_field(label, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, line):
        return f"{line.name} ({line.get_category_display()})"


def describe_delegation(delegation) -> str:
    direction = _("outbound") if delegation.is_outbound else _("inbound")
    return f"{delegation.title} ({direction}, {date_format(delegation.start_on, 'SHORT_DATE_FORMAT')})"


class BudgetForm(ModelForm):
    class Meta:
        model = Budget
        fields = ["year", "mode", "currency"]
        help_texts = {"currency": _("ISO code, e.g. EUR or GBP.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("currency", settings.OIA_CURRENCY)
            self.initial.setdefault("year", fiscal_year_of(timezone.localdate()) + 1)

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        CURRENCY_CODE(currency)
        return currency


class BudgetLineForm(ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["name", "category", "partnership", "planned"]
        widgets = {"planned": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.select_related("partner_city").order_by(
            "partner_city__name"
        )
        self.fields["partnership"].help_text = _("Only for a line reserved for one partner city.")


class SplitEvenlyForm(Form):
    category = forms.ChoiceField(label=_("Category"), choices=LineCategory.choices, initial=LineCategory.PARTNER_CITIES)
    total = money_field(
        _("Total to share"),
        help_text=_("One line per active partnership; the cents left over go to the first lines."),
    )


class ExpenseForm(Form):
    """An expense, in the office currency or in a foreign one with its rate.
    Only administrators see the field to override a line-item line's limit."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    payee = forms.CharField(label=_("Payee"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = money_field(
        _("Amount"), required=False, help_text=_("In the office currency. Leave empty for a foreign-currency expense.")
    )
    original_amount = money_field(_("Original amount"), required=False)
    original_currency = forms.CharField(
        label=_("Original currency"),
        max_length=3,
        required=False,
        help_text=_("Three-letter code, e.g. PLN, only for an expense in a foreign currency."),
    )
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate"),
        required=False,
        max_digits=14,
        decimal_places=6,
        min_value=0,
        help_text=_("Office currency per unit of the original currency."),
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )
    delegation = SearchableModelChoiceField(
        label=_("Delegation"),
        queryset=Delegation.objects.none(),
        describe=describe_delegation,
        required=False,
        help_text=_(
            "Type part of the title or the date and choose a suggestion. Only the trips and visits that fit "
            "this line are offered: those starting in its budget year and, for a line reserved for a partner "
            "city, of that partnership."
        ),
        error_messages={
            "invalid_choice": _(
                "Choose one of the delegations suggested: only those that fit this line can be booked on it."
            )
        },
    )
    membership = forms.ModelChoiceField(label=_("Membership fee"), queryset=Membership.objects.none(), required=False)
    event = forms.CharField(label=_("Event"), max_length=200, required=False)
    override_reason = forms.CharField(
        label=_("Reason for overdrawing the line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Administrators only: needed to book more than a line-item line has available."),
    )

    def __init__(self, *args, line, can_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["delegation"].queryset = (
            line.fitting_trips().exclude(status__in=INACTIVE_STATUSES).order_by("-start_on", "title", "pk")
        )
        self.fields["membership"].queryset = Membership.objects.select_related("network").order_by(
            "network__name", "-since"
        )
        if not can_override:
            del self.fields["override_reason"]
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean_original_currency(self):
        currency = self.cleaned_data["original_currency"].strip().upper()
        if currency:
            CURRENCY_CODE(currency)
        return currency

    def clean(self):
        data = super().clean()
        foreign = data.get("original_currency") and data["original_currency"] != self.line.budget.currency
        if data.get("amount") is None and not foreign and not self.errors:
            self.add_error(
                "amount", _("Give the amount, or the original amount with its currency and the exchange rate.")
            )
        return data

    def booking_kwargs(self) -> dict:
        """The cleaned values as keyword arguments for services.expense_book."""
        data = dict(self.cleaned_data)
        data.setdefault("override_reason", "")
        return data


class AmendmentForm(Form):
    amount = money_field(_("Change"), help_text=_("Negative to reduce the line."))
    council_reference = forms.CharField(label=_("Council decision"), max_length=100)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(Form):
    source = LineChoiceField(label=_("From line"), queryset=BudgetLine.objects.none())
    target = LineChoiceField(label=_("To line"), queryset=BudgetLine.objects.none())
    amount = money_field(_("Amount"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        lines = BudgetLine.objects.filter(budget=budget).order_by("category", "name")
        self.fields["source"].queryset = lines
        self.fields["target"].queryset = lines
        if not self.is_bound:
            self.initial.setdefault("decided_on", timezone.localdate())


class SupplementaryRequestForm(ModelForm):
    class Meta:
        model = SupplementaryRequest
        fields = ["amount_requested", "justification"]
        widgets = {
            "amount_requested": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "justification": forms.Textarea(attrs={"rows": 4}),
        }


class SupplementaryDecideForm(Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RequestStatus.SUBMITTED, _("Submitted to the council")),
            (RequestStatus.GRANTED, _("Granted")),
            (RequestStatus.REFUSED, _("Refused")),
        ],
    )
    granted_amount = money_field(
        _("Granted amount"), required=False, help_text=_("Leave empty to grant the amount requested.")
    )
    council_reference = forms.CharField(label=_("Council decision"), max_length=100, required=False)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decided_on", timezone.localdate())


class GrantApplicationForm(VersionedModelForm):
    """A club's application for a group trip grant."""

    class Meta:
        model = GrantApplication
        fields = [
            "partnership",
            "destination",
            "starts_on",
            "ends_on",
            "travellers",
            "students",
            "total_costs",
            "own_contribution",
            "requested_amount",
            "partner_contact",
            "programme_summary",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "programme_summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.club = club
        self.fields["partnership"].queryset = club.partnerships.select_related("partner_city").order_by(
            "partner_city__name"
        )
        self.fields["partnership"].empty_label = None
        for name in ("travellers", "students"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        for name in ("total_costs", "own_contribution", "requested_amount"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "min": 0})
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GrantApproveForm(Form):
    approved_amount = forms.DecimalField(label=_("Approved amount"), **MONEY, min_value=0)
    budget_line = LineChoiceField(
        label=_("Budget line"),
        queryset=BudgetLine.objects.none(),
        help_text=_("A line of the category “club and community grants” of an adopted budget."),
    )
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = (
            BudgetLine.objects.filter(category=LineCategory.GRANTS, budget__status=BudgetStatus.ADOPTED)
            .select_related("budget")
            .order_by("-budget__year", "name")
        )


class GrantRejectForm(Form):
    rejection_reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GrantPayForm(Form):
    """Booking a grant's payment. The reason is asked only of an administrator
    who approved the grant (four-eyes rule, ``OIA_GRANT_FOUR_EYES``)."""

    four_eyes_override_reason = forms.CharField(
        label=_("Reason for booking the payment of a grant you approved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GrantRulesForm(VersionedModelForm):
    class Meta:
        model = GrantRules
        fields = ["base_rate", "student_rate", "max_per_application", "yearly_cap_per_club"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version


class GrantReportForm(Form):
    actual_travellers = forms.IntegerField(label=_("How many people travelled?"), min_value=1, max_value=INTEGER_MAX)
    kind = forms.ChoiceField(label=_("Kind of exchange"), choices=ExchangeKind.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(label=_("Direction"), choices=ExchangeDirection.choices, widget=forms.RadioSelect)
    reciprocity = forms.BooleanField(label=_("A public event took place in both cities"), required=False)
    report = forms.CharField(label=_("Short report"), widget=forms.Textarea(attrs={"rows": 5}))
