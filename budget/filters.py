"""Narrowing the overview's table of lines (and its export) by category,
name or partner city, or to the lines that need attention."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Club

from .models import BudgetLine, GrantApplication, GrantStatus, LineCategory
from .selectors import attention_filter


class LineFilter(django_filters.FilterSet):
    """Works on ``selectors.budget_lines(budget)``: the amounts are annotations."""

    q = django_filters.CharFilter(label=_("Line or partner city"), method="filter_text")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=LineCategory.choices)
    attention = django_filters.BooleanFilter(
        label=_("Only lines overdrawn or nearly used up"),
        method="filter_attention",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = BudgetLine
        fields = ["q", "category", "attention"]

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
    club = django_filters.ModelChoiceFilter(label=_("Club or group"), queryset=Club.objects.order_by("name"))
    year = django_filters.NumberFilter(label=_("Year of the trip"), field_name="starts_on__year")

    class Meta:
        model = GrantApplication
        fields = ["status", "club", "year"]
