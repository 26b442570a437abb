"""TODO"""

# ----- consular posts and national days -----
import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from oia.filters import IdFilter, YearFilter
from oia.widgets import QuickSelect

from .choices import HeadCategory, HeadClass, ObservanceKind, PostKind
from .models import ConsularPost, NationalDayObservance

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


# ----- city ambassadors -----
