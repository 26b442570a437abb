"""Forms for people and for resolving coordination cases."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oia.forms import Form, ModelForm
from partners.models import City

from .models import Person


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.order_by("name", "country")

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        organisation = (cleaned.get("organisation") or "").strip()
        if "department" in self.errors:
            return cleaned
        if department and organisation:
            raise forms.ValidationError(
                _(
                    "Give either a department (for an official of our city) or an organisation "
                    "(for a visitor), not both."
                ),
                code="both",
            )
        if not department and not organisation:
            raise forms.ValidationError(
                _("Give the department (for an official of our city) or the organisation (for a visitor)."),
                code="neither",
            )
        city = cleaned.get("city")
        country = cleaned.get("country")
        if city and not country:
            cleaned["country"] = city.country.code
        elif city and country and city.country.code != country:
            self.add_error("country", _("%(city)s is not in this country.") % {"city": city.name})
        return cleaned


class CoordinationResolveForm(Form):
    """The comment is the record of how the two trips were coordinated."""

    comment = forms.CharField(
        label=_("How were the trips coordinated?"),
        help_text=_("For example: joint programme agreed, one trip postponed, contacts shared."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
