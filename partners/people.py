"""A club leader's clubs on the administrators' People pages (``oia.people``):
partners ties the club leader role to its clubs, so the core never imports them."""

from django.utils.translation import gettext_lazy as _

from oia import people
from oia.roles import Role

from .models import Club


def register_affiliations() -> None:
    people.register_affiliation(
        people.Affiliation(
            role=Role.CLUB_LEADER,
            label=_("Club"),
            label_plural=_("Clubs"),
            related_name="clubs_led",
            choices=lambda: Club.objects.order_by("name"),
            api_field="clubs",
        )
    )
