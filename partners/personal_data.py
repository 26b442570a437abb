"""The personal data partners holds (``oia.personal_data``): contacts in the
partner cities, the clubs' and their umbrella associations' contact details
and leaders, exchange photos and the staff who recorded things."""

from django.utils.translation import gettext_lazy as _

from oia.personal_data import After, Category, LegalBasis, Retention, register
from oia.roles import CLUB_LEADERS, OFFICE

PARTNERSHIPS = _("Partnerships and their contacts")
CLUBS = _("Clubs, their leaders and exchanges")
AS_RECORD = Retention(After.RECORD_KEPT)


def register_fields() -> None:
    contact = {
        "purpose": _("Keeping in touch with the partner city's administration"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.PARTNERSHIP_ENDED, "OIA_RETAIN_CONTACTS_AFTER_END_YEARS", unit="years"),
        "activity": PARTNERSHIPS,
    }
    register("partners.Contact", "name", category=Category.IDENTITY, **contact)
    register("partners.Contact", "role", category=Category.IDENTITY, **contact)
    register("partners.Contact", "organisation", category=Category.IDENTITY, **contact)
    register("partners.Contact", "email", category=Category.CONTACT, **contact)
    register("partners.Contact", "phone", category=Category.CONTACT, **contact)
    register("partners.Contact", "language", category=Category.CONTACT, **contact)
    partnership = {
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": AS_RECORD,
        "activity": PARTNERSHIPS,
    }
    register(
        "partners.Partnership",
        "responsible_officer",
        category=Category.IDENTITY,
        purpose=_("Who in the office looks after the partnership"),
        **partnership,
    )
    register(
        "partners.Partnership",
        "notes",
        category=Category.FREE_TEXT,
        purpose=_("The office's notes on the partnership, which may name people"),
        **partnership,
    )
    register(
        "partners.Document",
        "file",
        category=Category.DOCUMENT,
        purpose=_("Signed agreements and letters, with their signatories' names and signatures"),
        **partnership,
    )
    recorded = {
        "category": Category.ACCOUNT,
        "purpose": _("Who recorded or decided what"),
        "legal_basis": LegalBasis.ACCOUNTABILITY,
        "retention": AS_RECORD,
    }
    register("partners.StatusChange", "recorded_by", activity=PARTNERSHIPS, **recorded)
    register("partners.Document", "uploaded_by", activity=PARTNERSHIPS, **recorded)
    register("partners.Contact", "anonymised_by", activity=PARTNERSHIPS, **recorded)  # who carried out an erasure
    register("partners.Exchange", "created_by", activity=CLUBS, **recorded)
    register("partners.ExchangeEvent", "by", activity=CLUBS, **recorded)
    register("partners.ExchangePhoto", "uploaded_by", activity=CLUBS, **recorded)
    club = {
        "legal_basis": LegalBasis.CONTRACT,
        "retention": AS_RECORD,
        "activity": CLUBS,
        "access": OFFICE | CLUB_LEADERS,
    }
    register(
        "partners.Club",
        "contact_email",
        category=Category.CONTACT,
        purpose=_("Reaching the club, often at its chair's own address"),
        **club,
    )
    register(
        "partners.Club",
        "contact_phone",
        category=Category.CONTACT,
        purpose=_("Reaching the club, often at its chair's own number"),
        **club,
    )
    register(
        "partners.Club",
        "leaders",
        category=Category.IDENTITY,
        purpose=_("Which user accounts lead a club and may act for it in the portal"),
        **{**club, "retention": Retention(After.ACCOUNT_CLOSED)},
    )
    register(
        "partners.ClubAssociation",
        "contact_email",
        category=Category.CONTACT,
        purpose=_("Reaching the umbrella association of the clubs, often at its chair's own address"),
        **club,
    )
    register(
        "partners.ClubAssociation",
        "contact_phone",
        category=Category.CONTACT,
        purpose=_("Reaching the umbrella association of the clubs, often at its chair's own number"),
        **club,
    )
    register(
        "partners.ClubAssociation",
        "postal_address",
        category=Category.CONTACT,
        purpose=_("Writing to the umbrella association of the clubs, often at its chair's home"),
        **club,
    )
    register(
        "partners.ClubAssociation",
        "leaders",
        category=Category.IDENTITY,
        purpose=_("Which user accounts lead an umbrella association and read its member clubs' exchanges"),
        **{**club, "retention": Retention(After.ACCOUNT_CLOSED)},
    )
    register(
        "partners.ExchangePhoto",
        "image",
        category=Category.PHOTO,
        purpose=_("Showing an exchange in reports, with the people who took part"),
        **club,
    )
    register(
        "partners.ExchangePhoto",
        "caption",
        category=Category.FREE_TEXT,
        purpose=_("The photo's caption, which may name people"),
        **club,
    )
