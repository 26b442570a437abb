"""Forms of the networks app. The membership form comes with a formset of
(department, amount) rows for the fee split; whether the rows add up to the
fee is the service's rule (networks.services.membership_save). A review has
its own form: the membership form no longer sets the verdict."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Department, Person
from oia.forms import Form, ModelForm, VersionedModelForm
from oia.money import currency_symbol

from .choices import Verdict
from .models import Membership, Network, NetworkActivity, NetworkRole
from .selectors import trips_for_activities

# The next review, unless the reviewer says otherwise: a year after this one.
REVIEW_EVERY = datetime.timedelta(days=365)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NetworkForm(ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Network
        fields = ["name", "acronym", "scope", "themes", "website"]


class MembershipForm(VersionedModelForm):
    class Meta:
        model = Membership
        fields = [
            "since",
            "until",
            "status",
            "lead_department",
            "tier",
            "yearly_fee",
            "fee_due_on",
            "review_on",
        ]
        widgets = {
            "since": DateInput(),
            "until": DateInput(),
            "fee_due_on": DateInput(),
            "review_on": DateInput(),
        }
        labels = {"review_on": _("First review")}
        help_texts = {"review_on": _("When to review the membership first; after that, each review sets the next.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = Department.objects.order_by("name")
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            if self.instance.reviews.exists():
                del self.fields["review_on"]  # set by the reviews now

    def _post_clean(self):
        # The service validates the membership together with its split; the
        # form only turns the input into the instance.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)


class MembershipReviewForm(Form):
    """A review of a membership. The field names are the service's
    (``networks.services.membership_review``), so its refusals land on them."""

    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    verdict_note = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the membership yields: expertise, project partners, funding leads."),
    )
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty only when the verdict is to leave."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("reviewed_on", today)
        self.initial.setdefault("review_on", today + REVIEW_EVERY)


class FeeShareForm(Form):
    """One row of the fee split. Both cells empty: the row is ignored."""

    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, max_digits=12, decimal_places=2, min_value=Decimal("0")
    )

    def __init__(self, *args, department_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Amount (%(symbol)s)") % {"symbol": currency_symbol()}
        self.fields["department"].choices = [("", "---------"), *department_choices]

    def clean(self):
        data = super().clean()
        department, amount = data.get("department"), data.get("amount")
        if department is None and amount is not None:
            self.add_error("department", _("Choose the department that pays this share."))
        if department is not None and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount this department pays."))
        return data


BaseFeeShareFormSet = forms.formset_factory(FeeShareForm, extra=3)


class FeeShareFormSet(BaseFeeShareFormSet):
    """The fee split. The departments are read once for all rows."""

    def __init__(self, *args, **kwargs):
        self.departments = {department.pk: department for department in Department.objects.order_by("name")}
        choices = [(pk, department.name) for pk, department in self.departments.items()]
        super().__init__(*args, form_kwargs={"department_choices": choices}, **kwargs)

    def shares(self) -> list[tuple[Department, Decimal]]:
        """The filled-in rows as (department, amount), for the service."""
        rows = []
        for form in self.forms:
            department, amount = form.cleaned_data.get("department"), form.cleaned_data.get("amount")
            if department is not None and amount is not None:
                rows.append((self.departments[department], amount))
        return rows

    @staticmethod
    def initial_for(membership: Membership) -> list[dict]:
        return [{"department": share.department_id, "amount": share.amount} for share in membership.fee_shares.all()]


class NetworkRoleForm(ModelForm):
    class Meta:
        model = NetworkRole
        fields = ["person", "body", "title", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {"ends_on": _("Leave empty while the role is held.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Roles are held by officials of our city.
        self.fields["person"].queryset = Person.objects.filter(department__isnull=False).order_by("name", "pk")


class NetworkActivityForm(ModelForm):
    class Meta:
        model = NetworkActivity
        fields = ["kind", "date", "title", "note", "delegation"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"delegation": _("For a meeting attended: the trip that went there.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = trips_for_activities()
