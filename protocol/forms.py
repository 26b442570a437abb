"""TODO"""

# ----- consular posts and national days -----
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Person
from oia.forms import Form, VersionedModelForm
from oia.widgets import QuickSelect, SearchSelect, SearchSelectMultiple
from partners.forms import DateInput

from .choices import ObservanceKind
from .models import ConsularPost

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


# ----- city ambassadors -----
