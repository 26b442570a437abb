"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----

# ----- city ambassadors -----
import django_filters  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402
from django_countries import countries  # noqa: E402

from oia.filters import YearFilter  # noqa: E402
from oia.widgets import QuickSelect  # noqa: E402
from partners.forms import DateInput  # noqa: E402

from .choices import ActivityKind, AmbassadorArea  # noqa: E402
from .models import Ambassador, AmbassadorActivity  # noqa: E402

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


class AmbassadorActivityFilter(django_filters.FilterSet):
    """``/api/ambassador-activities/``: by ambassador, kind and year (an ambassador's page shows their own)."""

    ambassador = django_filters.ModelChoiceFilter(label=_("City ambassador"), queryset=Ambassador.objects.all())
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=ActivityKind.choices)
    year = YearFilter(label=_("Year"), field_name="date__year")

    class Meta:
        model = AmbassadorActivity
        fields = ["ambassador", "kind", "year"]
