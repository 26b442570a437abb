"""Retention rule of the partners app (registered in ``PartnersConfig.ready``):
the contacts of a partnership that ended long ago go, in one ``DELETE``."""

import datetime

from django.conf import settings
from django.utils import timezone

from oia.retention import register, years_before

from .choices import Status
from .models import Contact, Partnership, status_on


def partnerships_ended_before(day: datetime.date):
    """Partnerships that were already ended the day before ``day`` and still are."""
    return Partnership.objects.annotate(status_then=status_on(day - datetime.timedelta(days=1))).filter(
        current_status=Status.ENDED, status_then=Status.ENDED
    )


def delete_contacts_of_ended_partnerships(now: datetime.datetime) -> int:
    """Contacts of partnerships that ended more than
    ``OIA_RETAIN_CONTACTS_AFTER_END_YEARS`` years ago: nobody needs to reach
    them any more. A partnership revived since then keeps its contacts."""
    day = years_before(timezone.localdate(now), settings.OIA_RETAIN_CONTACTS_AFTER_END_YEARS)
    ended = partnerships_ended_before(day).values("pk")
    _total, per_model = Contact.objects.filter(partnership__in=ended).delete()
    return per_model.get(Contact._meta.label, 0)


def register_rules() -> None:
    register("partnership_contacts", delete_contacts_of_ended_partnerships)
