"""What the searchable pickers find among partners' records (``oia.search``):
cities by any of their names, folded as the city list searches them ("koeln"
finds Köln); partnerships by their partner city's names; clubs by name; the
office's staff by name or user name. Names that start with the text come first.

Cities and clubs also take part in the header's site-wide search, each
linked to its page (a club to its form: it has no page of its own)."""

from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oia import search
from oia.text import fold

from .filters import office_users
from .models import City, Club, Partnership


def starting_first(queryset, starts: Q, *order):
    """``queryset`` with the records matching ``starts`` first, then in ``order``."""
    return queryset.annotate(starts=Case(When(starts, then=Value(0)), default=Value(1))).order_by("starts", *order)


def city_matches(text: str):
    key = fold(text)
    cities = City.objects.filter(search_key__contains=key)
    # The key holds each name on its own line: a name starts at the start or after a line break.
    return starting_first(cities, Q(search_key__startswith=key) | Q(search_key__contains=f"\n{key}"), "name", "country")


def partnership_matches(text: str):
    key = fold(text)
    partnerships = Partnership.objects.select_related("partner_city").filter(partner_city__search_key__contains=key)
    return starting_first(partnerships, Q(partner_city__search_key__startswith=key), "partner_city__name", "pk")


def club_matches(text: str):
    clubs = Club.objects.select_related("association").filter(name__icontains=text)
    return starting_first(clubs, Q(name__istartswith=text), "name")


def describe_city(city: City) -> str:
    """The country, and the local name where it differs: tells the two Frankfurts apart."""
    parts = [str(city.country.name)]
    if city.local_name and city.local_name != city.name:
        parts.append(city.local_name)
    return " · ".join(parts)


def describe_club(club: Club) -> str:
    if club.is_community_group:
        return _("Community group")
    if club.association_id:
        return _("Member of %(association)s") % {"association": club.association.name}
    return ""


def officer_matches(text: str):
    named = Q(username__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
    return office_users().filter(named)


def register_searches() -> None:
    search.register(
        search.Search(
            "cities",
            city_matches,
            heading=gettext_lazy("Cities"),
            position=10,
            link=lambda city: reverse("partners:city-detail", args=[city.pk]),
            describe=describe_city,
        )
    )
    search.register(search.Search("partnerships", partnership_matches))
    search.register(
        search.Search(
            "clubs",
            club_matches,
            heading=gettext_lazy("Clubs"),
            position=40,
            link=lambda club: reverse("partners:club-edit", args=[club.pk]),
            describe=describe_club,
        )
    )
    search.register(search.Search("officers", officer_matches))
