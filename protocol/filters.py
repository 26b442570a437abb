"""The protocol lists' filters, one FilterSet per list, shared by the page
and the API: consular posts and observances, events, costs and guests, city
ambassadors and their activities. Every field is bounded, so no input fails."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from oia.filters import BoundedDateFilter, IdFilter, StrictBooleanFilter, YearFilter
from oia.widgets import QuickSelect
from partners.forms import DateInput

from .choices import (
    ActivityKind,
    AmbassadorArea,
    Answer,
    EventKind,
    EventRole,
    EventStatus,
    HeadCategory,
    HeadClass,
    ObservanceKind,
    PostKind,
)
from .models import Ambassador, AmbassadorActivity, ConsularPost, Event, EventCost, Guest, NationalDayObservance

# ----- consular posts and national days -----


POST_OPEN, POST_CLOSED = "open", "closed"
POST_STATUS_CHOICES = [(POST_OPEN, _("open")), (POST_CLOSED, _("closed"))]


class ConsularPostFilter(django_filters.FilterSet):
    """The consular posts: the HTML list, its API (``/api/consular-posts/``)
    and the precedence list read the same filters."""

    q = django_filters.CharFilter(
        label=_("Name, head or address"),
        method="filter_text",
        max_length=100,
        help_text=_("Part of the name, the head's name, the address or the consular district."),
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=lambda: list(countries), widget=QuickSelect)
    kind = django_filters.ChoiceFilter(label=_("Kind of post"), choices=PostKind.choices)
    head_class = django_filters.TypedChoiceFilter(label=_("Class of the head"), choices=HeadClass.choices, coerce=int)
    head_category = django_filters.ChoiceFilter(label=_("Career or honorary"), choices=HeadCategory.choices)
    status = django_filters.ChoiceFilter(
        label=_("Open or closed"), choices=POST_STATUS_CHOICES, method="filter_status", help_text=_("As of today.")
    )
    year = YearFilter(
        label=_("Open in the year"),
        method="filter_year",
        help_text=_("Posts open for at least one day of the year."),
    )

    class Meta:
        model = ConsularPost
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(head__name__icontains=value)
            | Q(address__icontains=value)
            | Q(jurisdiction__icontains=value)
        )

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=datetime.date(value, 12, 31))).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=datetime.date(value, 1, 1))
        )

    def filter_status(self, queryset, name, value):
        open_today = queryset.open_on(timezone.localdate())
        if value == POST_OPEN:
            return open_today
        if value == POST_CLOSED:
            return queryset.exclude(pk__in=open_today.values("pk"))
        return queryset


class NationalDayObservanceFilter(django_filters.FilterSet):
    """``/api/national-day-observances/``: by post, year and what the office did."""

    post = IdFilter(label=_("Consular post"), field_name="post_id")
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("What the office did"), choices=ObservanceKind.choices)

    class Meta:
        model = NationalDayObservance
        fields = []


# ----- events and guests -----


class EventFilter(django_filters.FilterSet):
    """The events of the list page and of /api/events/."""

    q = django_filters.CharFilter(label=_("Title or place"), method="filter_text", max_length=200)
    year = YearFilter(label=_("Year"), field_name="starts_at__year")
    starts_from = BoundedDateFilter(label=_("From"), field_name="starts_at__date", lookup_expr="gte")
    starts_until = BoundedDateFilter(label=_("Until"), field_name="starts_at__date", lookup_expr="lte")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=EventStatus.choices)
    role = django_filters.ChoiceFilter(label=_("The office's part"), choices=EventRole.choices)
    is_public = StrictBooleanFilter(label=_("Public"), help_text=_("True: public events; false: by invitation only."))

    class Meta:
        model = Event
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value)) if value else queryset


class EventCostFilter(django_filters.FilterSet):
    """/api/event-costs/: the costs of one event."""

    event = IdFilter(label=_("Event"), field_name="event_id")

    class Meta:
        model = EventCost
        fields = ["event"]


class GuestFilter(django_filters.FilterSet):
    """/api/guests/: the guest list of one event, by answer."""

    event = IdFilter(label=_("Event"), field_name="event_id")
    answer = django_filters.MultipleChoiceFilter(label=_("Answer"), choices=Answer.choices)

    class Meta:
        model = Guest
        fields = ["event", "answer"]


# ----- city ambassadors -----


SERVING_NOW = "now"
SERVING_FORMER = "former"
SERVING_CHOICES = [(SERVING_NOW, _("Serving now")), (SERVING_FORMER, _("Former ambassadors"))]


class AmbassadorFilter(django_filters.FilterSet):
    """The city ambassadors' list and ``/api/ambassadors/``: by area, country
    of residence, serving today, on a date or no longer, and by name or city."""

    q = django_filters.CharFilter(label=_("Name or city"), method="filter_text", max_length=100)
    area = django_filters.ChoiceFilter(label=_("Area"), choices=AmbassadorArea.choices, method="filter_area")
    country = django_filters.ChoiceFilter(
        label=_("Country of residence"), field_name="city__country", choices=lambda: list(countries), widget=QuickSelect
    )
    serving = django_filters.ChoiceFilter(
        label=_("Serving"),
        choices=SERVING_CHOICES,
        method="filter_serving",
        help_text=_("Serving today, or whose appointment has ended."),
    )
    serving_on = django_filters.DateFilter(
        label=_("Serving on"),
        method="filter_serving_on",
        widget=DateInput(),
        help_text=_("Ambassadors appointed on this day."),
    )
    year = YearFilter(
        label=_("Serving in the year"),
        method="filter_year",
        help_text=_("Ambassadors appointed for at least one day of the year."),
    )

    class Meta:
        model = Ambassador
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__name__icontains=value) | Q(city__name__icontains=value) | Q(city__local_name__icontains=value)
        )

    def filter_area(self, queryset, name, value):
        return queryset.filter(areas__contains=[value])

    def filter_serving(self, queryset, name, value):
        today = timezone.localdate()
        if value == SERVING_NOW:
            return queryset.serving_on(today)
        return queryset.filter(until__lt=today)

    def filter_serving_on(self, queryset, name, value):
        return queryset.serving_on(value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(appointed_on__lte=datetime.date(value, 12, 31)).filter(
            Q(until__isnull=True) | Q(until__gte=datetime.date(value, 1, 1))
        )


class AmbassadorActivityFilter(django_filters.FilterSet):
    """``/api/ambassador-activities/``: by ambassador, kind and year (an ambassador's page shows their own)."""

    ambassador = django_filters.ModelChoiceFilter(label=_("City ambassador"), queryset=Ambassador.objects.all())
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=ActivityKind.choices)
    year = YearFilter(label=_("Year"), field_name="date__year")

    class Meta:
        model = AmbassadorActivity
        fields = ["ambassador", "kind", "year"]
