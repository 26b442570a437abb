"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----

# ----- city ambassadors -----
import datetime  # noqa: E402

from django import forms as django_forms  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from delegations.models import Delegation, Person  # noqa: E402
from oia.forms import Form, SearchableModelChoiceField, VersionedDeleteForm, VersionedModelForm  # noqa: E402
from oia.widgets import SearchSelect  # noqa: E402
from partners.forms import DateInput  # noqa: E402
from partners.models import City  # noqa: E402

from .choices import AmbassadorArea  # noqa: E402
from .models import Ambassador, AmbassadorActivity  # noqa: E402


class VersionedFormMixin:
    """An edit sends back the version it was loaded with; a new record has none."""

    def _set_version(self):
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            del self.fields["version"]

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class AmbassadorForm(VersionedFormMixin, VersionedModelForm):
    """Appoint or edit a city ambassador: the person and the city abroad are
    picked by typing (the pickers of the delegation forms)."""

    areas = django_forms.MultipleChoiceField(
        label=_("Areas"), choices=AmbassadorArea.choices, required=False, widget=django_forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Ambassador
        fields = ["person", "city", "tie", "appointed_on", "until", "areas", "notes"]
        widgets = {
            "person": SearchSelect("people"),
            "city": SearchSelect("cities"),
            "appointed_on": DateInput(),
            "until": DateInput(),
            "notes": django_forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"person": {"unique": _("This person is already a city ambassador.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.order_by("name")
        self.fields["city"].queryset = City.objects.order_by("name", "country")
        self._set_version()


class AmbassadorEndForm(Form):
    """End an appointment: the last day, never before the appointment."""

    until = django_forms.DateField(label=_("Last day of the appointment"), widget=DateInput())
    version = django_forms.IntegerField(widget=django_forms.HiddenInput, required=False)


# The form suggests the delegations of the last few years (the page stays small
# however long the office's history); the one an activity names stays choosable.
SUGGESTED_YEARS = 3


def delegations_to_link(keep=None):
    """The delegations an activity may name: those still taking place, newest first."""
    from .services import NOT_TAKING_PLACE

    since = datetime.date(timezone.localdate().year - SUGGESTED_YEARS, 1, 1)
    recent = Q(start_on__gte=since) | Q(pk=keep) if keep else Q(start_on__gte=since)
    return Delegation.objects.exclude(status__in=NOT_TAKING_PLACE).filter(recent).order_by("-start_on", "title", "pk")


def describe_delegation(delegation) -> str:
    return f"{delegation.title} ({delegation.start_on:%Y-%m-%d})"


class AmbassadorActivityForm(VersionedFormMixin, VersionedModelForm):
    """One activity of an ambassador; a delegation organised names the delegation."""

    delegation = SearchableModelChoiceField(
        Delegation.objects.none(),  # set per form: delegations_to_link()
        describe=describe_delegation,
        required=False,
        label=_("Delegation organised"),
        help_text=_(
            "Only for “delegation organised”: type part of its title. "
            "An inbound delegation becomes an official guest of the city."
        ),
        error_messages={"unique": _("This delegation is already recorded as organised by a city ambassador.")},
    )

    class Meta:
        model = AmbassadorActivity
        fields = ["date", "kind", "description", "delegation"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = delegations_to_link(keep=self.instance.delegation_id)
        self._set_version()


class AmbassadorActivityDeleteForm(VersionedDeleteForm):
    """Removing an activity names the version the user saw."""
