"""Form pieces shared by the apps: the base classes every form of the apps
derives from, and showing a service's refusal on a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
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


class Form(RefusesControlCharacters, forms.Form):
    """The base of every plain form of the apps."""


class ModelForm(RefusesControlCharacters, forms.ModelForm):
    """The base of every model form of the apps."""


class VersionedModelForm(ModelForm):
    """A model form whose record carries a version: the page sends back the
    version it was loaded with, so the service refuses a save over a newer one."""

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
