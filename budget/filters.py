"""The budget's FilterSets, each shared by the page and the API that list the
same records: the lines (the overview's table, its export and the API) by
category, name or partner city, or to the lines that need attention; the
grant applications; and the API's lists of the other budget records
(jubilee plans among them)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oia.filters import IdFilter, YearFilter
from oia.widgets import SearchSelect
from partners.models import Club

from .models import (
    Budget,
    BudgetChange,
    BudgetLine,
    Commitment,
    Expense,
    GrantApplication,
    GrantStatus,
    JubileePlan,
    JubileePlanStatus,
    LineCategory,
    SupplementaryRequest,
)
from .selectors import attention_filter, budget_lines


class BudgetLineFilter(django_filters.FilterSet):
    """The lines of the budget overview (page and export) and of /api/budget-lines/,
    over ``selectors.budget_lines()``: the amounts are annotations.

    The page shows one budget: given ``budget``, the FilterSet narrows the
    queryset to it and keeps only ``PAGE_FIELDS``, so the page's form neither
    offers a year that is fixed by its URL nor lists every partnership."""

    PAGE_FIELDS = ("q", "category", "attention")

    q = django_filters.CharFilter(label=_("Line or partner city"), method="filter_text")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=LineCategory.choices)
    attention = django_filters.BooleanFilter(
        label=_("Only lines overdrawn or nearly used up"),
        method="filter_attention",
        widget=forms.CheckboxInput,
    )
    year = YearFilter(field_name="budget__year", label="Fiscal year")

    class Meta:
        model = BudgetLine
        fields = ["q", "category", "attention", "year", "budget", "partnership"]

    def __init__(self, data=None, queryset=None, *, budget=None, **kwargs):
        if budget is not None:
            queryset = budget_lines(budget) if queryset is None else queryset.filter(budget=budget)
        super().__init__(data, queryset, **kwargs)
        if budget is not None:
            for name in set(self.filters) - set(self.PAGE_FIELDS):
                del self.filters[name]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(partnership__partner_city__name__icontains=value))

    def filter_attention(self, queryset, name, value):
        if value:
            return queryset.filter(attention_filter())
        return queryset


class GrantApplicationFilter(django_filters.FilterSet):
    """Shared by the office's list of applications and /api/grant-applications/."""

    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=GrantStatus.choices)
    club = django_filters.ModelChoiceFilter(
        label=_("Club or group"), queryset=Club.objects.order_by("name"), widget=SearchSelect("clubs")
    )
    year = YearFilter(label=_("Year of the trip"), field_name="starts_on__year")

    class Meta:
        model = GrantApplication
        fields = ["status", "club", "year"]


# The API's lists of the budget records. Their labels are the API's parameter descriptions.


class BudgetFilter(django_filters.FilterSet):
    year = YearFilter(label="Fiscal year")

    class Meta:
        model = Budget
        fields = ["year", "mode", "status"]


class ExpenseFilter(django_filters.FilterSet):
    year = YearFilter(field_name="line__budget__year", label="Fiscal year")
    category = django_filters.CharFilter(field_name="line__category", label="Category of the line")
    partnership = IdFilter(field_name="line__partnership", label="Partnership of the line")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Expense
        fields = ["year", "line", "category", "partnership", "delegation", "membership", "date_from", "date_to"]


class CommitmentFilter(django_filters.FilterSet):
    year = YearFilter(field_name="line__budget__year", label="Fiscal year")

    class Meta:
        model = Commitment
        fields = ["year", "line", "status", "delegation"]


class BudgetChangeFilter(django_filters.FilterSet):
    year = YearFilter(field_name="line__budget__year", label="Fiscal year")

    class Meta:
        model = BudgetChange
        fields = ["year", "line", "kind"]


class SupplementaryRequestFilter(django_filters.FilterSet):
    year = YearFilter(field_name="line__budget__year", label="Fiscal year")

    class Meta:
        model = SupplementaryRequest
        fields = ["year", "line", "status"]


class JubileePlanFilter(django_filters.FilterSet):
    """/api/jubilee-plans/: by jubilee year, partnership, line or status."""

    year = YearFilter(label="Jubilee year")
    partnership = IdFilter(label="Partnership")
    line = IdFilter(label="Budget line")
    status = django_filters.MultipleChoiceFilter(label="Status", choices=JubileePlanStatus.choices)

    class Meta:
        model = JubileePlan
        fields = ["year", "partnership", "line", "status"]
