"""One FilterSet per model, shared by the HTML lists, the exports and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from oia.filters import StrictBooleanFilter, YearFilter
from oia.roles import OFFICE
from oia.text import fold
from oia.widgets import QuickSelect, SearchSelect, SearchSelectMultiple

from .choices import DocumentKind, ExchangeDirection, ExchangeKind, PartnershipKind, Region, ReviewStatus, Status
from .models import AreaOfCooperation, City, Club, ClubAssociation, Document, Exchange, Partnership, TrilateralLink


def office_users(request=None):
    return get_user_model().objects.filter(groups__name__in=OFFICE).distinct().order_by("last_name", "username")


class PartnershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("City name"), method="filter_name")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), field_name="current_status", choices=Status.choices)
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=PartnershipKind.choices)
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="partner_city__country", choices=lambda: list(countries), widget=QuickSelect
    )
    region = django_filters.ChoiceFilter(
        label=_("World region"), field_name="partner_city__region", choices=Region.choices
    )
    responsible_officer = django_filters.ModelChoiceFilter(
        label=_("Responsible officer"), queryset=office_users, widget=SearchSelect("officers")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area of cooperation"), field_name="areas", queryset=AreaOfCooperation.objects.all()
    )
    formalised_from = YearFilter(label=_("Formalised from (year)"), field_name="formalised_on__year", lookup_expr="gte")
    formalised_to = YearFilter(label=_("Formalised until (year)"), field_name="formalised_on__year", lookup_expr="lte")
    has_club = StrictBooleanFilter(label=_("Has a club"), method="filter_has_club")
    year = YearFilter(
        label=_("In force in the year"),
        method="filter_year",
        help_text=_(
            "Partnerships in force for at least one day of the year: formalised by 31 December, "
            "and neither past their end date nor recorded as ended before 1 January."
        ),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("partner_city__name", "city"),
            ("partner_city__country", "country"),
            ("kind", "kind"),
            ("formalised_on", "formalised"),
            ("current_status", "status"),
        ),
        field_labels={
            "partner_city__name": _("City"),
            "partner_city__country": _("Country"),
            "kind": _("Kind"),
            "formalised_on": _("Formalised"),
            "current_status": _("Status"),
        },
    )

    class Meta:
        model = Partnership
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(partner_city__search_key__contains=fold(" ".join(value.split())))

    def filter_year(self, queryset, name, value):
        return queryset.in_force_during(value)

    def filter_has_club(self, queryset, name, value):
        clubs = Club.partnerships.through.objects.filter(partnership_id=OuterRef("pk"))
        return queryset.filter(Exists(clubs)) if value else queryset.exclude(Exists(clubs))

    @property
    def qs(self):
        queryset = super().qs
        # Filtering on areas can repeat rows; distinct keeps one per partnership.
        return queryset.distinct() if getattr(self.form, "cleaned_data", {}).get("area") else queryset


class CityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    country = django_filters.ChoiceFilter(label=_("Country"), choices=lambda: list(countries), widget=QuickSelect)
    region = django_filters.ChoiceFilter(label=_("World region"), choices=Region.choices)
    year = YearFilter(
        label=_("Partner city in the year"),
        method="filter_year",
        help_text=_("Cities with a partnership in force for at least one day of the year."),
    )

    class Meta:
        model = City
        fields = []

    def filter_year(self, queryset, name, value):
        in_force = Partnership.objects.in_force_during(value).filter(partner_city=OuterRef("pk"))
        return queryset.filter(Exists(in_force))

    def filter_name(self, queryset, name, value):
        return queryset.filter(search_key__contains=fold(" ".join(value.split())))


class ExchangeFilter(django_filters.FilterSet):
    """Shared by the office's review list and /api/exchanges/."""

    review_status = django_filters.MultipleChoiceFilter(label=_("Review"), choices=ReviewStatus.choices)
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=ExchangeKind.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=ExchangeDirection.choices)
    club = django_filters.ModelChoiceFilter(
        label=_("Club"), queryset=Club.objects.order_by("name"), widget=SearchSelect("clubs")
    )
    association = django_filters.ModelChoiceFilter(
        label=_("Umbrella association"),
        field_name="club__association",
        queryset=ClubAssociation.objects.order_by("name"),
    )
    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership"),
        queryset=Partnership.objects.select_related("partner_city"),
        widget=SearchSelect("partnerships"),
    )
    year = YearFilter(label=_("Year"), field_name="starts_on__year")
    reciprocity = StrictBooleanFilter(label=_("Public event in both cities"))

    class Meta:
        model = Exchange
        fields = ["review_status", "kind", "direction", "club", "association", "partnership", "year", "reciprocity"]


class ClubFilter(django_filters.FilterSet):
    """Shared by the office's club list and /api/clubs/."""

    partnerships = django_filters.ModelMultipleChoiceFilter(
        label=_("Partnerships"),
        queryset=Partnership.objects.select_related("partner_city"),
        widget=SearchSelectMultiple("partnerships"),
    )
    association = django_filters.ModelChoiceFilter(
        label=_("Umbrella association"), queryset=ClubAssociation.objects.order_by("name")
    )
    in_umbrella_alliance = StrictBooleanFilter(
        label=_("Member of an umbrella association"), field_name="association", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Club
        fields = ["partnerships", "association", "in_umbrella_alliance"]


class ClubAssociationFilter(django_filters.FilterSet):
    """Shared by the office's list of umbrella associations and /api/club-associations/."""

    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = ClubAssociation
        fields = ["q"]


class TrilateralLinkFilter(django_filters.FilterSet):
    """Shared by /api/trilateral-links/ and the partnership page's rule:
    ``partnership`` finds the links on either side (``TrilateralLink.objects.touching``)."""

    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership"),
        queryset=Partnership.objects.all(),
        method="filter_partnership",
        help_text=_("The links of this partnership, whichever side it is on."),
    )

    class Meta:
        model = TrilateralLink
        fields = ["partnership"]

    def filter_partnership(self, queryset, name, value):
        return queryset.touching(value) if value else queryset


class DocumentFilter(django_filters.FilterSet):
    """The documents of /api/documents/ (the partnership page lists its own)."""

    partnership = django_filters.ModelChoiceFilter(label=_("Partnership"), queryset=Partnership.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)

    class Meta:
        model = Document
        fields = ["partnership", "kind"]
