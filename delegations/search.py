"""What the searchable person picker finds (``oia.search``): people by name,
those whose name starts with the text first.

People and delegations also take part in the header's site-wide search: a
delegation by its title, newest first, as the delegation list's text filter
finds it, so a group's "more" link leads to the same records."""

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from oia import search
from partners.search import starting_first

from .filters import DelegationFilter
from .models import Delegation, Person


def person_matches(text: str):
    people = Person.objects.select_related("department").filter(name__icontains=text)
    return starting_first(people, Q(name__istartswith=text), "name", "pk")


def delegation_matches(text: str):
    """The delegation list's own text filter, so the group's "more" link shows the same records."""
    delegations = Delegation.objects.select_related("city")
    return DelegationFilter({"q": text}, queryset=delegations).qs.order_by("-start_on", "title", "pk")


def describe_person(person: Person) -> str:
    """Where the person works: the department of an official, a visitor's organisation."""
    return person.department.name if person.department_id else person.organisation


def describe_delegation(delegation: Delegation) -> str:
    """When, where to or from, and how far it got."""
    parts = [date_format(delegation.start_on)]
    if delegation.city_id:
        parts.append(delegation.city.name)
    parts.append(str(delegation.get_status_display()))
    return " · ".join(parts)


def register_searches() -> None:
    search.register(
        search.Search(
            "people",
            person_matches,
            heading=gettext_lazy("People"),
            position=30,
            link=lambda person: reverse("delegations:person-detail", args=[person.pk]),
            describe=describe_person,
            list_link=search.filtered_list("delegations:person-list"),
        )
    )
    search.register(
        search.Search(
            "delegations",
            delegation_matches,
            heading=gettext_lazy("Delegations"),
            position=20,
            link=lambda delegation: reverse("delegations:delegation-detail", args=[delegation.pk]),
            describe=describe_delegation,
            list_link=search.filtered_list("delegations:delegation-list"),
        )
    )
