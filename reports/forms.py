"""Forms of the reports app."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oia.forms import Form

from .services import validate_year


class GenerateForm(Form):
    """ "Generate report for YEAR". The hidden key makes a double click one request."""

    year = forms.IntegerField(label=_("Year"), min_value=1950)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", timezone.localdate().year - 1)
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        try:
            validate_year(year)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["year"]) from exc
        return year
