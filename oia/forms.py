"""Form helpers shared by the apps."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .bounds import YEAR_MAX, YEAR_MIN


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
