"""The jubilee plan's form (kept beside ``budget.forms``, which the trip money
work changes at the same time). Like the other budget forms it collects input
only: the rules (a jubilee year, a line of that year's budget, overdrafts)
are budget.services.jubilees'."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from oia.bounds import YEAR_MAX, YEAR_MIN
from oia.forms import VersionedModelForm
from partners.anniversaries import anniversary_in_year
from partners.forms import DateInput
from partners.models import Partnership

from .models import BudgetLine, BudgetStatus, JubileePlan, JubileePlanStatus


class JubileeLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, line):
        return f"{line.name} ({line.get_category_display()}, {line.budget.year})"


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partnership):
        return f"{partnership.partner_city.name} ({partnership.formalised_on.year})"


def lines_for(year: int | None):
    """The lines a jubilee of ``year`` may be planned on: those of that year's
    budget, unless it is closed (every open budget's while the year is unknown)."""
    lines = (
        BudgetLine.objects.exclude(budget__status=BudgetStatus.CLOSED)
        .select_related("budget")
        .order_by("-budget__year", "category", "name", "pk")
    )
    return lines.filter(budget__year=year) if year else lines


def _year(value) -> int | None:
    """A year from a query string or a form, or None when it is not one."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


class JubileePlanForm(VersionedModelForm):
    """A new plan (partnership and year, prefilled from the jubilees page) or
    an edit (the partnership and year stay; the status may move to held).
    Only administrators see the field to overdraw a line-item line."""

    line = JubileeLineChoiceField(
        label=_("Budget line"),
        queryset=BudgetLine.objects.none(),
        help_text=_("A line of the jubilee year's budget, e.g. the jubilee budget set aside for the year."),
    )

    class Meta:
        model = JubileePlan
        fields = ["partnership", "year", "title", "starts_on", "ends_on", "estimate", "line", "status"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "estimate": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        }
        field_classes = {"partnership": PartnershipChoiceField}
        help_texts = {"ends_on": _("For events over several days; leave empty for one day.")}

    override_reason = forms.CharField(
        label=_("Reason for overdrawing the line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Administrators only: needed to commit more than a line-item line has available."),
    )

    def __init__(self, *args, can_override=False, prefill=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            del self.fields["partnership"], self.fields["year"]
            self.fields["status"].choices = [
                (value, label) for value, label in JubileePlanStatus.choices if value != JubileePlanStatus.CANCELLED
            ]
            year = self.instance.year
        else:
            del self.fields["status"]
            self.fields["partnership"].queryset = (
                Partnership.objects.not_ended().select_related("partner_city").order_by("partner_city__name", "pk")
            )
            self.fields["year"].widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX, "inputmode": "numeric"})
            year = _year(self.data.get(self.add_prefix("year"))) if self.is_bound else None
            if not self.is_bound:
                year = self._prefill(prefill or {})
        self.fields["line"].queryset = lines_for(year)

    def _prefill(self, query) -> int | None:
        """Proposals from ``?partnership=&year=``: a title, the anniversary and
        the flat estimate; values that are not a partnership or a year are ignored."""
        year = _year(query.get("year"))
        partnership = None
        if str(query.get("partnership", "")).isdigit():
            partnership = self.fields["partnership"].queryset.filter(pk=int(query["partnership"])).first()
        self.initial.setdefault("estimate", settings.OIA_JUBILEE_BUDGET)
        if year:
            self.initial["year"] = year
        if partnership:
            self.initial["partnership"] = partnership.pk
        anniversary = anniversary_in_year(partnership, year) if partnership and year else None
        if anniversary:
            self.initial["title"] = _("%(years)s years of partnership with %(city)s") % {
                "years": anniversary.years,
                "city": partnership.partner_city.name,
            }
            self.initial["starts_on"] = anniversary.date
        return year

    def _post_clean(self):
        # The service checks the plan as a whole (jubilee year, line, overdraft).
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)

    def plan_fields(self) -> dict:
        """The cleaned values for budget.services.jubilees."""
        names = [name for name in self.Meta.fields if name in self.fields]
        data = {name: self.cleaned_data[name] for name in names}
        data["override_reason"] = self.cleaned_data.get("override_reason", "")
        return data
