"""The personal data the city ambassadors hold (``oia.personal_data``) and
what they hold about a person, for the data export (``oia.rights``): their
ambassadorship, its activities and the invitations they had as ambassador."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention
from oia.personal_data import register as register_field
from oia.rights import Collector, record
from oia.rights import register as register_collector

from .models import Ambassador, AmbassadorActivity

AMBASSADORS = _("City ambassadors")


def register_fields() -> None:
    ambassador = {
        "purpose": _("Who promotes the city abroad as its ambassador, where they live and why"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.RECORD_KEPT),
        "activity": AMBASSADORS,
    }
    register_field("protocol.Ambassador", "person", category=Category.IDENTITY, **ambassador)
    register_field("protocol.Ambassador", "city", category=Category.CONTACT, **ambassador)
    register_field("protocol.Ambassador", "tie", category=Category.FREE_TEXT, **ambassador)
    register_field("protocol.Ambassador", "notes", category=Category.FREE_TEXT, **ambassador)
    register_field("protocol.AmbassadorActivity", "description", category=Category.FREE_TEXT, **ambassador)


def ambassadorship(person) -> list[dict]:
    rows = Ambassador.objects.filter(person=person).select_related("city")
    return [
        record(row, ["tie", "appointed_on", "until", "notes"], city=row.city.name, areas=list(row.areas))
        for row in rows
    ]


def ambassador_activities(person) -> list[dict]:
    rows = AmbassadorActivity.objects.filter(ambassador__person=person).select_related("delegation")
    return [
        record(row, ["date", "kind", "description"], delegation=row.delegation.title if row.delegation else None)
        for row in rows.order_by("date", "pk")
    ]


def register_collectors() -> None:
    register_collector("person", Collector("ambassadorship", lambda: _("City ambassador"), ambassadorship))
    register_collector(
        "person", Collector("ambassador_activities", lambda: _("Activities as city ambassador"), ambassador_activities)
    )
