"""The personal data delegations holds (``oia.personal_data``): the people who
travel or visit, their needs (Art. 9 GDPR), the people met and the staff who
recorded things."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention, register

DELEGATIONS = _("Delegations, visits and their people")
AS_RECORD = Retention(After.RECORD_KEPT)


def register_fields() -> None:
    person = {
        "purpose": _("Organising trips and visits and knowing who took part"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(
            After.LAST_PARTICIPATION,
            "OIA_RETAIN_EXTERNAL_PEOPLE_YEARS",
            unit="years",
            note=_("external people; officials of our city while in office"),
        ),
        "activity": DELEGATIONS,
    }
    register("delegations.Person", "name", category=Category.IDENTITY, **person)
    register("delegations.Person", "title", category=Category.IDENTITY, **person)
    register("delegations.Person", "organisation", category=Category.IDENTITY, **person)
    register("delegations.Person", "city", category=Category.IDENTITY, **person)
    register("delegations.Person", "country", category=Category.IDENTITY, **person)
    register("delegations.Person", "email", category=Category.CONTACT, **person)
    needs = {
        "category": Category.SPECIAL,
        "purpose": _("Catering and access on a trip or visit; they may reveal health or religion"),
        "legal_basis": LegalBasis.EXPLICIT_CONSENT,
        "retention": Retention(After.TRIP_ENDED, "OIA_RETAIN_NEEDS_DAYS"),
        "activity": DELEGATIONS,
    }
    register("delegations.Person", "dietary_needs", **needs)
    register("delegations.Person", "accessibility_needs", **needs)
    trip = {"legal_basis": LegalBasis.PUBLIC_TASK, "retention": AS_RECORD, "activity": DELEGATIONS}
    register(
        "delegations.Participant",
        "person",
        category=Category.IDENTITY,
        purpose=_("Who took part in a trip or visit"),
        **trip,
    )
    register(
        "delegations.Participant",
        "role",
        category=Category.IDENTITY,
        purpose=_("A participant's role on the trip"),
        **trip,
    )
    register(
        "delegations.Delegation",
        "lead",
        category=Category.IDENTITY,
        purpose=_("Who leads a trip or visit"),
        **trip,
    )
    register(
        "delegations.Delegation",
        "internal_notes",
        category=Category.FREE_TEXT,
        purpose=_("The office's internal notes on a trip, which may be about people"),
        **trip,
    )
    met = {
        "category": Category.IDENTITY,
        "purpose": _("Whom the delegation meets or exchanges gifts with (protocol)"),
        **trip,
    }
    register("delegations.ProgrammeItem", "hosts", **met)
    register("delegations.ProgrammeItem", "counterparts", **met)
    register("delegations.Gift", "counterpart", **met)
    recorded = {
        "category": Category.ACCOUNT,
        "purpose": _("Who recorded or decided what"),
        "legal_basis": LegalBasis.ACCOUNTABILITY,
        "retention": AS_RECORD,
        "activity": DELEGATIONS,
    }
    register("delegations.Delegation", "created_by", **recorded)
    register("delegations.Transition", "by", **recorded)
    register("delegations.CoordinationCase", "resolved_by", **recorded)
    register("delegations.Person", "anonymised_by", **recorded)  # who carried out an erasure request
    register("delegations.Outcome", "owner", **{**recorded, "purpose": _("Who follows up an outcome of a trip")})
