"""Forms of the delegations app. Single-record rules live in the models'
clean() and the services; these forms only choose the fields and widgets and
narrow the choices to what makes sense for one delegation."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oia.forms import Form, ModelForm, VersionedDeleteForm, VersionedModelForm
from oia.widgets import SearchSelect
from partners.filters import office_users
from partners.forms import DateInput
from partners.models import City, Partnership

from . import services
from .budget_line import line_choices
from .choices import CostCategory, DelegationStatus
from .models import Cost, Delegation, Gift, Outcome, Participant, Person, ProgrammeItem

S = DelegationStatus


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DelegationForm(VersionedModelForm):
    """Create or edit a delegation. The direction is chosen once; the head of
    delegation is picked, on edit, among the named participants. The budget
    line is offered among the lines the budget allows (``budget_line``);
    whether it fits the trip's year and partnership is the model's clean()."""

    class Meta:
        model = Delegation
        fields = [
            "direction",
            "title",
            "purpose",
            "city",
            "country",
            "partnership",
            "start_on",
            "end_on",
            "budget_line",
            "department",
            "lead",
            "official_guest",
            "travel_class",
            "head_count",
            "head_count_note",
            "public_summary",
            "internal_notes",
            "trip_report",
        ]
        widgets = {
            "city": SearchSelect("cities"),
            "partnership": SearchSelect("partnerships"),
            "start_on": DateInput(),
            "end_on": DateInput(),
            "public_summary": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
            "trip_report": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "lead": {"invalid_choice": _("The head of delegation must be one of its participants.")},
        }
        help_texts = {
            "budget_line": _(
                "A line of the budget of the trip's year; a line reserved for a partner city only for that "
                "partnership's trips. Approving the trip commits its estimated cost to this line. "
                "Leave empty if the trip is paid from another budget."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.order_by("name", "country")
        self.fields["partnership"].queryset = Partnership.objects.select_related("partner_city").order_by(
            "partner_city__name"
        )
        # static/js/delegation-form.js asks this for the chosen city's active partnerships.
        self.fields["partnership"].widget.attrs["data-city-partnerships"] = reverse("delegations:city-partnerships")
        line = self.fields["budget_line"]
        line.queryset = line_choices(self.instance, default=line.queryset)
        if self.instance.pk:
            del self.fields["direction"]
            self.fields["lead"].queryset = Person.objects.filter(participations__delegation=self.instance).order_by(
                "name"
            )
            self.initial["version"] = self.instance.version
        else:
            del self.fields["lead"]
            del self.fields["version"]

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ParticipantForm(ModelForm):
    """Adds someone already recorded (the picker) or a new person, recorded
    with the person form's checks (``NewPersonForm``) in the same step. The
    picker offers "New person: <typed name>", which fills in the new person's
    name; without JavaScript the new person's fields are simply there. A new
    official of our city joining a trip is preset to the trip's department."""

    class Meta:
        model = Participant
        fields = ["person", "role", "sector"]
        widgets = {
            "person": SearchSelect("people", create_field="new_person-name", create_label=_("New person: %(name)s"))
        }

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.order_by("name")
        self.fields["person"].required = False
        initial = {}
        if delegation is not None and delegation.is_outbound:
            initial["department"] = delegation.department_id
        # Checked only when it is the choice: no person picked and a new one named.
        naming = bool((self.data.get("new_person-name") or "").strip()) and not self.data.get("person")
        self.new_person = NewPersonForm(self.data if naming else None, prefix="new_person", initial=initial)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") or "person" in self.errors:
            return cleaned
        if not (self.data.get("new_person-name") or "").strip():
            self.add_error("person", _("Choose a person, or give the name of a new person."))
        elif not self.new_person.is_valid():
            self.add_error(None, _("The new person could not be recorded: see their fields below."))
        return cleaned

    def person_fields(self) -> dict | None:
        """The new person's fields for the services, or None when someone recorded was chosen."""
        if self.cleaned_data.get("person"):
            return None
        return dict(self.new_person.cleaned_data)


class NewPersonForm(ModelForm):
    """A person recorded while adding them to a delegation: the fields that
    say who they are, checked as ``PersonForm`` checks them."""

    class Meta:
        model = Person
        fields = ["name", "department", "organisation"]
        labels = {
            "name": _("New person's name"),
            "department": _("New person's department"),
            "organisation": _("New person's organisation"),
        }

    def clean(self):
        cleaned = super().clean()
        if "department" not in self.errors:
            check_department_or_organisation(cleaned)
        return cleaned


class DelegationChildForm(VersionedModelForm):
    """A record under one delegation: the delegation is set before validation,
    so the model's clean() can check against it (e.g. the programme dates).
    An edit sends back the version it was loaded with."""

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if delegation is not None:
            self.instance.delegation = delegation
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            del self.fields["version"]

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class RecordDeleteForm(VersionedDeleteForm):
    """Removing a record of a delegation names the version the user saw."""


class ProgrammeItemForm(DelegationChildForm):
    class Meta:
        model = ProgrammeItem
        fields = ["date", "starts_at", "ends_at", "kind", "title", "place", "hosts", "counterparts"]
        widgets = {"date": DateInput(), "starts_at": TimeInput(), "ends_at": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.instance.delegation_id:
            self.fields["date"].initial = self.instance.delegation.start_on


class CostForm(DelegationChildForm):
    """``used_categories``: the categories the delegation has costs in; a new
    cost is offered the first category it has none in yet (travel first)."""

    class Meta:
        model = Cost
        fields = ["category", "description", "estimated", "actual", "payer"]

    def __init__(self, *args, used_categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            unused = [value for value, _label in CostCategory.choices if value not in set(used_categories)]
            self.fields["category"].initial = unused[0] if unused else None


class GiftForm(DelegationChildForm):
    class Meta:
        model = Gift
        fields = ["direction", "description", "counterpart", "value"]


class OutcomeForm(DelegationChildForm):
    """The owner is picked by search, so the delegation's page, which carries
    this form empty, reads no list of users."""

    class Meta:
        model = Outcome
        fields = ["kind", "description", "owner", "due_on", "done"]
        widgets = {"due_on": DateInput(), "owner": SearchSelect("officers")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = office_users()


# What the button for each workflow step says. Submitting an approved trip
# again is the re-approval step.
ACTION_LABELS = {
    S.SUBMITTED: _("Submit for approval"),
    S.APPROVED: _("Approve"),
    S.REJECTED: _("Reject"),
    S.DRAFT: _("Back to draft"),
    S.COMPLETED: _("Complete"),
    S.CANCELLED: pgettext_lazy("delegation workflow", "Cancel the delegation"),
    S.CONFIRMED: _("Confirm visit"),
}


# Forward steps first, the way back and cancelling last.
STEP_ORDER = [S.SUBMITTED, S.APPROVED, S.CONFIRMED, S.COMPLETED, S.REJECTED, S.DRAFT, S.CANCELLED]


def action_label(delegation: Delegation, to_status: str) -> str:
    if delegation.status == S.APPROVED and to_status == S.SUBMITTED:
        return _("Submit for re-approval")
    return ACTION_LABELS.get(to_status, S(to_status).label)


def workflow_steps(delegation: Delegation, user=None) -> list[tuple[str, str]]:
    """(status, button label) for each step the workflow allows from here;
    given a ``user``, only those their role may take (``services.steps_for``)."""
    allowed = services.allowed_transitions(delegation) if user is None else services.steps_for(delegation, user)
    ordered = sorted(allowed, key=lambda status: STEP_ORDER.index(status) if status in STEP_ORDER else len(STEP_ORDER))
    return [(status, action_label(delegation, status)) for status in ordered]


class TransitionForm(Form):
    """One workflow step; only the steps the workflow allows from the current
    status are choices. The services check the rest (role, programme, report)."""

    to_status = forms.ChoiceField(
        label=_("Step"),
        error_messages={
            "invalid_choice": _(
                "This step is not possible from the delegation's current status. "
                "Reload the page to see what has changed."
            )
        },
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label=_("Reason for overdrawing the budget line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Administrators only, when approving would overdraw a line of a line-item budget."),
    )

    def __init__(self, *args, delegation: Delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = workflow_steps(delegation)


class PersonForm(ModelForm):
    """An official of our city has a department, a visitor an organisation:
    exactly one of the two, so lists and briefings can say who someone is."""

    class Meta:
        model = Person
        fields = [
            "name",
            "title",
            "department",
            "organisation",
            "city",
            "country",
            "email",
            "dietary_needs",
            "accessibility_needs",
        ]
        widgets = {"city": SearchSelect("cities")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.order_by("name", "country")

    def clean(self):
        cleaned = super().clean()
        if "department" in self.errors:
            return cleaned
        check_department_or_organisation(cleaned)
        city = cleaned.get("city")
        country = cleaned.get("country")
        if city and not country:
            cleaned["country"] = city.country.code
        elif city and country and city.country.code != country:
            self.add_error("country", _("%(city)s is not in this country.") % {"city": city.name})
        return cleaned


def check_department_or_organisation(cleaned: dict) -> None:
    """An official of our city has a department, a visitor an organisation:
    exactly one of the two (``PersonForm`` and ``NewPersonForm``)."""
    department = cleaned.get("department")
    organisation = (cleaned.get("organisation") or "").strip()
    if department and organisation:
        raise forms.ValidationError(
            _("Give either a department (for an official of our city) or an organisation (for a visitor), not both."),
            code="both",
        )
    if not department and not organisation:
        raise forms.ValidationError(
            _("Give the department (for an official of our city) or the organisation (for a visitor)."),
            code="neither",
        )


class CoordinationResolveForm(Form):
    """The comment is the record of how the two trips were coordinated."""

    comment = forms.CharField(
        label=_("How were the trips coordinated?"),
        help_text=_("For example: joint programme agreed, one trip postponed, contacts shared."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
