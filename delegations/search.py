"""What the searchable person picker finds (``oia.search``): people by name,
those whose name starts with the text first."""

from django.db.models import Q

from oia import search
from partners.search import starting_first

from .models import Person


def person_matches(text: str):
    return starting_first(Person.objects.filter(name__icontains=text), Q(name__istartswith=text), "name", "pk")


def register_searches() -> None:
    search.register(search.Search("people", person_matches))
