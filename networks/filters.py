"""The FilterSet of networks, shared by the HTML list and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oia.filters import FilterSet, StrictBooleanFilter, YearFilter

from .choices import ActivityKind, MembershipStatus, Scope
from .models import Membership, Network, NetworkActivity, NetworkRole
from .selectors import current_role_q, held_during, latest_membership

NOT_A_MEMBER = "none"
STATUS_CHOICES = [*MembershipStatus.choices, (NOT_A_MEMBER, _("Not a member"))]


class NetworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or acronym"), method="filter_name")
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=Scope.choices)
    status = django_filters.MultipleChoiceFilter(
        label=_("Membership status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        help_text=_("The status of the current (latest) membership."),
    )
    year = YearFilter(
        label=_("Member in the year"),
        method="filter_year",
        help_text=_("Networks the city was a member of for at least one day of the year."),
    )

    class Meta:
        model = Network
        fields = []

    def filter_year(self, queryset, name, value):
        held = Membership.objects.filter(held_during(value, "since", "until"), network=OuterRef("pk"))
        return queryset.filter(Exists(held))

    def filter_name(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value)) if value else queryset

    def filter_status(self, queryset, name, values):
        if not values:
            return queryset
        condition = Q(current_status__in=[value for value in values if value != NOT_A_MEMBER])
        if NOT_A_MEMBER in values:
            condition |= Q(current_status__isnull=True)
        return queryset.alias(current_status=latest_membership("status")).filter(condition)


class NetworkRoleFilter(django_filters.FilterSet):
    current = StrictBooleanFilter(
        label=_("Held today"), method="filter_current", help_text=_("True: roles held today; false: past roles.")
    )

    year = YearFilter(
        label=_("Held in the year"),
        method="filter_year",
        help_text=_("Roles held for at least one day of the year."),
    )

    class Meta:
        model = NetworkRole
        fields = ["network", "person"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(held_during(value, "starts_on", "ends_on"))

    def filter_current(self, queryset, name, value):
        held_today = current_role_q(timezone.localdate())
        return queryset.filter(held_today) if value else queryset.exclude(held_today)


class MembershipFilter(FilterSet):
    """/api/memberships/: by network, status and lead department, and by year."""

    year = YearFilter(
        label=_("Held in the year"),
        method="filter_year",
        help_text=_("Memberships that overlap the year by at least one day."),
    )

    class Meta:
        model = Membership
        fields = ["network", "status", "lead_department", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(held_during(value, "since", "until"))


class NetworkActivityFilter(django_filters.FilterSet):
    """The meetings and outcomes of /api/network-activities/ (a network's page shows its own)."""

    network = django_filters.ModelChoiceFilter(label=_("Network"), queryset=Network.objects.all())
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=ActivityKind.choices)
    year = YearFilter(label=_("Year"), field_name="date__year")

    class Meta:
        model = NetworkActivity
        fields = ["network", "kind", "year"]
