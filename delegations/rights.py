"""What the delegations app holds about a person, for the person's data
export (GDPR Art. 15; see ``oia.rights``)."""

from django.utils.translation import gettext_lazy as _

from oia.rights import Collector, record, register

from .models import Cost, Delegation, Gift, Participant

PERSON_FIELDS = ["name", "title", "department", "organisation", "city", "country", "email"]
NEEDS_FIELDS = ["dietary_needs", "accessibility_needs"]
TRIP_FIELDS = ["direction", "title", "purpose", "city", "country", "start_on", "end_on", "status"]


def _their_trips(person):
    return Delegation.objects.filter(participants__person=person) | Delegation.objects.filter(lead=person)


def person_record(person) -> list[dict]:
    extra = {}
    if person.is_anonymised:
        extra = {"anonymised_at": person.anonymised_at, "anonymisation_reason": person.anonymisation_reason}
    return [record(person, PERSON_FIELDS, **extra)]


def needs(person) -> list[dict]:
    return [record(person, NEEDS_FIELDS)] if person.dietary_needs or person.accessibility_needs else []


def participations(person) -> list[dict]:
    rows = Participant.objects.filter(person=person).select_related("delegation__city").order_by("delegation__start_on")
    return [
        {
            **record(p.delegation, TRIP_FIELDS, delegation_id=p.delegation_id),
            "id": p.pk,
            "role": str(p.get_role_display()),
            "sector": str(p.get_sector_display()),
            "head_of_delegation": p.delegation.lead_id == person.pk,
        }
        for p in rows
    ]


def costs(person) -> list[dict]:
    rows = Cost.objects.filter(delegation__in=_their_trips(person)).select_related("delegation").distinct()
    return [
        record(c, ["category", "description", "estimated", "actual", "payer"], delegation=c.delegation)
        for c in rows.order_by("delegation__start_on", "pk")
    ]


def gifts(person) -> list[dict]:
    rows = Gift.objects.filter(delegation__in=_their_trips(person)).select_related("delegation").distinct()
    return [
        record(g, ["direction", "description", "counterpart", "value"], delegation=g.delegation)
        for g in rows.order_by("delegation__start_on", "pk")
    ]


def register_collectors() -> None:
    register("person", Collector("person", lambda: _("Person"), person_record))
    register("person", Collector("needs", lambda: _("Dietary and accessibility needs"), needs))
    register("person", Collector("participations", lambda: _("Participations in delegations"), participations))
    register("person", Collector("costs", lambda: _("Costs of their delegations"), costs))
    register("person", Collector("gifts", lambda: _("Gifts of their delegations"), gifts))
