"""What the partners app holds about a contact and about a club leader's
account (for the data export, see ``oia.rights``)."""

from django.utils.translation import gettext_lazy as _

from oia.rights import Collector, record, register

from .models import Exchange, ExchangeEvent, ExchangePhoto

CONTACT_FIELDS = ["partnership", "name", "role", "organisation", "email", "phone", "language"]
EXCHANGE_FIELDS = ["club", "partnership", "kind", "direction", "starts_on", "ends_on", "title", "review_status"]


def contact_record(contact) -> list[dict]:
    extra = {}
    if contact.is_anonymised:
        extra = {"anonymised_at": contact.anonymised_at, "anonymisation_reason": contact.anonymisation_reason}
    return [record(contact, CONTACT_FIELDS, **extra)]


def clubs_led(user) -> list[dict]:
    return [record(club, ["name", "contact_email", "contact_phone"]) for club in user.clubs_led.order_by("name")]


def associations_led(user) -> list[dict]:
    fields = ["name", "contact_email", "contact_phone", "postal_address"]
    return [record(association, fields) for association in user.associations_led.order_by("name")]


def exchanges(user) -> list[dict]:
    rows = Exchange.objects.filter(created_by=user).select_related("club", "partnership__partner_city")
    return [record(e, EXCHANGE_FIELDS, created_at=e.created_at) for e in rows.order_by("starts_on", "pk")]


def exchange_events(user) -> list[dict]:
    rows = ExchangeEvent.objects.filter(by=user).select_related("exchange").order_by("at", "pk")
    return [record(e, ["exchange", "action", "at", "comment"]) for e in rows]


def photos(user) -> list[dict]:
    """Photos they uploaded, by file name (the export carries no images)."""
    rows = ExchangePhoto.objects.filter(uploaded_by=user).select_related("exchange").order_by("uploaded_at", "pk")
    return [record(p, ["exchange", "image", "caption", "uploaded_at"]) for p in rows]


def register_collectors() -> None:
    register("contact", Collector("contact", lambda: _("Contact"), contact_record))
    register("user", Collector("clubs", lambda: _("Clubs led"), clubs_led))
    register("user", Collector("associations", lambda: _("Umbrella associations led"), associations_led))
    register("user", Collector("exchanges", lambda: _("Exchanges logged"), exchanges))
    register("user", Collector("exchange_events", lambda: _("Steps in exchanges' histories"), exchange_events))
    register("user", Collector("photos", lambda: _("Photos uploaded"), photos))
