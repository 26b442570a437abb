"""Form pieces shared by the apps: the base classes every form of the apps
derives from, and showing a service's refusal on a form."""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .bounds import YEAR_MAX, YEAR_MIN
from .text import control_character_validator


class RefusesControlCharacters:
    """Every text field of the form refuses control characters, so none gets
    into the database and on to a spreadsheet, an email or the report. A text
    area (or a text without a length limit) may hold line breaks and tabs; a
    one-line field may not."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(
                    control_character_validator(
                        max_length=field.max_length, text_area=isinstance(field.widget, forms.Textarea)
                    )
                )


NOT_SET = _("Not set")


class WordedEmptyChoice:
    """Radio buttons never offer Django's "---------": a required choice has no
    blank option at all (nothing is chosen until the user picks one), and an
    optional one calls its blank option "Not set", which a reader understands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect) and not field.widget.allow_multiple_selected:
                word_empty_choice(field)


def word_empty_choice(field) -> None:
    """Drop or reword the blank choice of one radio field (see ``WordedEmptyChoice``)."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = None if field.required else NOT_SET
        return
    if not hasattr(field, "choices"):
        return
    choices = []
    for value, label in field.choices:
        if value in ("", None):
            if field.required:
                continue
            label = NOT_SET
        choices.append((value, label))
    field.choices = choices


class Form(WordedEmptyChoice, RefusesControlCharacters, forms.Form):
    """The base of every plain form of the apps."""


class ModelForm(WordedEmptyChoice, RefusesControlCharacters, forms.ModelForm):
    """The base of every model form of the apps."""


class VersionedModelForm(ModelForm):
    """A model form whose record carries a version: the page sends back the
    version it was loaded with, so the service refuses a save over a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionedDeleteForm(Form):
    """The confirmation of a removal of a versioned record: it names the version
    the user saw, so the service refuses to remove a record changed since."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names
    when the form has that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, messages)


class YearField(forms.IntegerField):
    """A year from ``YEAR_MIN`` to ``YEAR_MAX``. Whatever is wrong with the
    value (not a whole number, too early, too late), the message names the range."""

    default_error_messages = {"year": _("Enter a year from %(first)s to %(last)s.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if any(item.code == "required" for item in error.error_list):
                raise
            raise ValidationError(
                self.error_messages["year"], code="year", params={"first": self.min_value, "last": self.max_value}
            ) from None


class YearForm(Form):
    """``?year=`` of a page that looks back (or ahead) at one year, such as the
    dashboard's figures: empty means the current year; anything else must be a
    year in range, or the page answers 400 with the message beside the field."""

    year = YearField(label=_("Year"), required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"] is not None:
            return self.cleaned_data["year"]
        return default


class SuggestionsInput(forms.TextInput):
    """A text field with a ``<datalist>`` of suggestions (the labels of the
    field's choices): the browser filters them as one types, so a long list
    is searchable without a script, and the field stays a labelled text input."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-suggestions"
        attrs.update({"list": list_id, "autocomplete": "off"})
        field = super().render(name, value, attrs, renderer)
        labels = ((label,) for key, label in self.choices if key not in ("", None))
        options = format_html_join("", '<option value="{}"></option>', labels)
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class SearchableModelChoiceField(forms.ModelChoiceField):
    """One record of the queryset, chosen by typing part of its label
    (``SuggestionsInput``). Each suggestion ends in the record's number
    ("… · #12"), which is what the field reads back; a bare number works too.
    Anything else, or a record outside the queryset, is an invalid choice."""

    widget = SuggestionsInput
    NUMBER = re.compile(r"(?:^|#)\s*([0-9]{1,18})\s*$")

    def __init__(self, queryset, *, describe=str, **kwargs):
        self.describe = describe
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return f"{self.describe(obj)} · #{obj.pk}"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, models.Model):
            return super().to_python(value)
        match = self.NUMBER.search(str(value).strip())
        if match is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(match.group(1))

    def prepare_value(self, value):
        """What the text field shows: the label of a chosen record, or what was typed."""
        if isinstance(value, models.Model):
            return self.label_from_instance(value)
        match = self.NUMBER.fullmatch(str(value).strip()) if isinstance(value, int | str) else None
        if match is not None:
            obj = self.queryset.filter(pk=int(match.group(1))).first()
            return self.label_from_instance(obj) if obj is not None else value
        return value


class DateInput(forms.DateInput):
    input_type = "date"


class BoundedDateField(forms.DateField):
    """A day in the years ``YEAR_MIN`` to ``YEAR_MAX`` (ISO, as a date input sends it)."""

    widget = DateInput
    default_error_messages = {
        "range": _("Enter a date in the years %(first)s to %(last)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not YEAR_MIN <= day.year <= YEAR_MAX:
            raise forms.ValidationError(
                self.error_messages["range"], code="range", params={"first": YEAR_MIN, "last": YEAR_MAX}
            )
        return day
