"""The protocol pages' forms. They read the input; the rules live in the
models and ``protocol.services``, so the pages and the API refuse the same things."""

import datetime

from django import forms
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from budget.choices import JubileePlanStatus
from budget.models import JubileePlan
from delegations.models import Delegation, Department, Person
from oia.forms import Form, SearchableModelChoiceField, VersionedDeleteForm, VersionedModelForm
from oia.widgets import QuickSelect, SearchSelect, SearchSelectMultiple
from partners.forms import DateInput
from partners.models import City, Partnership

from .choices import AmbassadorArea, Answer, ObservanceKind
from .models import Ambassador, AmbassadorActivity, ConsularPost, Event, Guest
from .services import event_lines

# ----- consular posts and national days -----


LANGUAGES_MAX = 20


class LanguagesField(forms.CharField):
    """The post's languages as one line, separated by commas."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        languages = [part.strip() for part in text.split(",") if part.strip()]
        if len(languages) > LANGUAGES_MAX:
            raise ValidationError(_("Give at most %(max)s languages.") % {"max": LANGUAGES_MAX})
        if any(len(language) > 50 for language in languages):
            raise ValidationError(_("A language's name has at most 50 characters."))
        return languages


class ConsularPostForm(VersionedModelForm):
    """A post with its head, deputy and contacts (picked by searching the
    people), its national day and opening date. The closing date is set by
    "Record the closing", so it is on record with its reason."""

    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        max_length=1100,
        help_text=_("Separate them with commas, e.g. “French, English”."),
    )

    class Meta:
        model = ConsularPost
        fields = [
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
            "notes",
        ]
        widgets = {
            "country": QuickSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "head": SearchSelect("people"),
            "deputy": SearchSelect("people"),
            "contacts": SearchSelectMultiple("people"),
            "exequatur_on": DateInput(),
            "provisional_admission_on": DateInput(),
            "commission_presented_on": DateInput(),
            "opened_on": DateInput(),
        }
        help_texts = {
            "head": _("Leave empty while the post has no head."),
            "national_day_month": _("1 to 12."),
            "national_day_day": _("A national day on 29 February is marked on 28 February in other years."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.order_by("name", "pk")
        for name in ("head", "deputy", "contacts"):
            self.fields[name].queryset = people
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            del self.fields["version"]

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class PostCloseForm(Form):
    """Record the closing of a post: the day and why."""

    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("Kept in the post's notes, with the date."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closed_on", timezone.localdate())


class PostReopenForm(Form):
    """Undo a closing recorded by mistake."""

    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("Kept in the post's notes, with the date."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ObservanceForm(Form):
    """The calendar's small form: what the office did on one post's national
    day. Sent again with the version of the record, it changes it."""

    post = forms.ModelChoiceField(queryset=ConsularPost.objects.all(), widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("What the office did"), choices=ObservanceKind.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def clean(self):
        data = super().clean()
        post, date = data.get("post"), data.get("date")
        if post is not None and date is not None and post.national_day_in(date.year) != date:
            raise ValidationError(_("This is not the national day of %(post)s.") % {"post": post.name})
        return data


# ----- events and guests -----


MAX_COMPANIONS = 20
OVERRIDE_HELP = _("Only when the cost would overdraw a line-item budget's line: an administrator's reason.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(VersionedModelForm):
    """An event's facts. The budget line must belong to the draft or adopted
    budget of the event's year (``protocol.services.event_lines``, checked by the service)."""

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "role",
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
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "rsvp_by": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "programme": forms.Textarea(attrs={"rows": 5}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
            "partnerships": SearchSelectMultiple("partnerships"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")
        self.fields["partnerships"].queryset = Partnership.objects.all()
        self.fields["consular_posts"].queryset = ConsularPost.objects.filter(closed_on__isnull=True).order_by("name")
        self.fields["jubilee_plan"].queryset = JubileePlan.objects.filter(status=JubileePlanStatus.PLANNED).order_by(
            "year", "title"
        )
        self.fields["budget_line"].queryset = event_lines(None).order_by("budget__year", "name")
        self.fields["budget_line"].label_from_instance = lambda line: f"{line.budget.year} · {line.name}"
        self.fields["budget_line"].help_text = _("A line of the draft or adopted budget of the event's year.")
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # The service checks the event; the form only reads the input.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)

    def event_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class EventCancelForm(Form):
    reason = forms.CharField(
        label=_("Why is the event cancelled?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EventHeldForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EventCostForm(Form):
    description = forms.CharField(label=_("Description"), max_length=200)
    estimated = forms.DecimalField(
        label=_("Estimated cost"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    override_reason = forms.CharField(
        label=_("Reason to overdraw"), max_length=300, required=False, help_text=OVERRIDE_HELP
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EventCostBookForm(Form):
    actual = forms.DecimalField(label=_("Actual cost"), max_digits=14, decimal_places=2, min_value=0)
    date = forms.DateField(label=_("Date of the invoice"), widget=DateInput())
    payee = forms.CharField(label=_("Payee"), max_length=200)
    override_reason = forms.CharField(
        label=_("Reason to overdraw"), max_length=300, required=False, help_text=OVERRIDE_HELP
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GuestAddForm(Form):
    person = forms.ModelChoiceField(
        label=_("Guest"), queryset=Person.objects.order_by("name"), widget=SearchSelect("people")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class GuestForm(VersionedModelForm):
    """An answer given to the office (by phone, by letter), the seat and a note."""

    companions = forms.IntegerField(label=_("Accompanying persons"), min_value=0, max_value=MAX_COMPANIONS, initial=0)

    class Meta:
        model = Guest
        fields = ["answer", "represented_by", "companions", "seat", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version

    def _post_clean(self):
        pass  # the service checks the guest


class InvitationForm(Form):
    """Which guests get their invitation link by email (those with an address)."""

    guests = forms.ModelMultipleChoiceField(
        label=_("Send to"), queryset=Guest.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["guests"]
        field.queryset = event.guests.select_related("person").exclude(person__email="").order_by("person__name", "pk")
        field.label_from_instance = lambda guest: (
            f"{guest.person.name} <{guest.person.email}>" + (f" · {_('invited')}" if guest.invited_at else "")
        )


class RsvpForm(Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (Answer.ACCEPTED, _("I will attend")),
            (Answer.DECLINED, _("I cannot attend")),
            (Answer.REPRESENTED, _("I will be represented by")),
        ],
    )
    represented_by = forms.CharField(label=_("Name of the person representing you"), max_length=200, required=False)
    companions = forms.IntegerField(
        label=_("Accompanying persons"), min_value=0, max_value=MAX_COMPANIONS, initial=0, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == Answer.REPRESENTED and not (data.get("represented_by") or "").strip():
            self.add_error("represented_by", _("Say who will represent you."))
        return data


# ----- city ambassadors -----


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
    return f"{delegation.title} ({date_format(delegation.start_on, 'SHORT_DATE_FORMAT')})"


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
