"""FilterSets shared by the delegation pages, the calendar and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from oia.filters import IdFilter, StrictBooleanFilter, YearFilter
from oia.widgets import QuickSelect, SearchSelect
from partners.choices import COUNTRY_REGION, Region
from partners.models import City

from .choices import CaseState, DelegationStatus, Direction, GiftDirection, Purpose
from .models import CoordinationCase, Delegation, Department, Gift, Participant, Person, above_threshold_q


class DelegationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=DelegationStatus.choices)
    year = YearFilter(label=_("Year"), method="filter_year")
    purpose = django_filters.MultipleChoiceFilter(label=_("Purpose"), choices=Purpose.choices)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    city = django_filters.ModelChoiceFilter(
        label=_("City"), queryset=City.objects.order_by("name"), widget=SearchSelect("cities")
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=lambda: list(countries), widget=QuickSelect)
    region = django_filters.ChoiceFilter(label=_("World region"), choices=Region.choices, method="filter_region")
    official_guest = StrictBooleanFilter(label=_("Official guests of the city"))
    partnership = IdFilter(label=_("Partnership"), field_name="partnership_id")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("start_on", "start"), ("title", "title"), ("status", "status")),
        field_labels={"start_on": _("Start"), "title": _("Title"), "status": _("Status")},
    )

    class Meta:
        model = Delegation
        fields = []

    def filter_year(self, queryset, name, value):
        """The year a delegation counts in, as the report counts it."""
        return queryset.in_years(value)

    def filter_region(self, queryset, name, value):
        """By the city's region, or by the country's when only a country is known."""
        codes = [code for code, region in COUNTRY_REGION.items() if region == value]
        return queryset.filter(Q(city__region=value) | Q(city__isnull=True, country__in=codes))


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    year = YearFilter(
        label=_("Travelled in the year"),
        method="filter_year",
        help_text=_("People named on a delegation (trip or visit, not cancelled or rejected) that starts in the year."),
    )

    class Meta:
        model = Person
        fields = []

    def filter_year(self, queryset, name, value):
        delegations = Delegation.objects.taking_place().in_years(value)
        travelled = Participant.objects.filter(person=OuterRef("pk"), delegation__in=delegations)
        return queryset.filter(Exists(travelled))


class CoordinationCaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=CaseState.choices)
    year = YearFilter(
        label=_("Year of the trip"),
        method="filter_year",
        help_text=_("Cases whose trip starts in the year."),
    )

    class Meta:
        model = CoordinationCase
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(trip__start_on__year=value)


class GiftFilter(django_filters.FilterSet):
    """The gift register: shared by its page, its CSV/XLSX export and /api/gifts/."""

    q = django_filters.CharFilter(label=_("Gift or to / from whom"), method="filter_text")
    year = YearFilter(
        label=_("Year"),
        method="filter_year",
        help_text=_("The year the delegation starts in, as the council report counts it."),
    )
    direction = django_filters.ChoiceFilter(label=_("Given or received"), choices=GiftDirection.choices)
    delegation = IdFilter(label=_("Delegation (number)"), field_name="delegation_id")
    above_threshold = StrictBooleanFilter(
        label=_("Above the declaration threshold"),
        method="filter_above_threshold",
        help_text=_("True: gifts worth more than the threshold; false: the others, and gifts without a value."),
    )

    class Meta:
        model = Gift
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(counterpart__icontains=value))

    def filter_year(self, queryset, name, value):
        return queryset.in_years(value)

    def filter_above_threshold(self, queryset, name, value):
        return queryset.filter(above_threshold_q()) if value else queryset.exclude(above_threshold_q())
