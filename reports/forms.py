"""Forms of the reports app."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GenerateForm(forms.Form):
    """ "Generate report for YEAR". The hidden key makes a double click one request."""

    year = forms.IntegerField(label=_("Year"), min_value=1950)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", timezone.localdate().year - 1)
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
