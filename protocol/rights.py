"""What the Consular Corps holds about a person: the posts they head, deputise
or are a contact at, and the national days they represented the city on
(for the data export, see ``oia.rights``)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oia.rights import Collector, record, register

from .models import ConsularPost, NationalDayObservance


def consular_posts(person) -> list[dict]:
    rows = (
        ConsularPost.objects.filter(Q(head=person) | Q(deputy=person) | Q(contacts=person))
        .distinct()
        .order_by("name", "pk")
    )
    result = []
    for post in rows:
        roles = []
        if post.head_id == person.pk:
            roles.append(str(_("head of post")))
        if post.deputy_id == person.pk:
            roles.append(str(_("deputy")))
        if not roles:
            roles.append(str(_("contact")))
        fields = ["name", "country", "kind", "opened_on", "closed_on"]
        if post.head_id == person.pk:
            fields += ["head_title", "head_class", "head_category", "exequatur_on"]
        result.append(record(post, fields, role=", ".join(roles)))
    return result


def national_days_represented(person) -> list[dict]:
    rows = NationalDayObservance.objects.filter(represented_by=person).select_related("post").order_by("date", "pk")
    return [record(row, ["date", "kind", "note"], post=row.post.name) for row in rows]


def register_collectors() -> None:
    register("person", Collector("consular_posts", lambda: _("Consular posts"), consular_posts))
    register("person", Collector("national_days", lambda: _("National days represented"), national_days_represented))
