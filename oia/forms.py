"""Form pieces shared by the apps: the base classes every form of the apps
derives from, and showing a service's refusal on a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

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


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names
    when the form has that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, messages)
