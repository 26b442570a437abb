"""Celery tasks of protocol: invitation emails, sent after the commit with
the retry approach of ``oia.tasks.send_notification_email``."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from oia.tasks import EMAIL_RETRIES
from oia.text import one_line


@shared_task(bind=True, **EMAIL_RETRIES)
def send_event_invitation(self, guest_id: int, base_url: str) -> bool:
    """Email a guest their personal answer link. The token is made here, just
    before sending, so it never travels through the queue; a retry makes a new
    one (the earlier one was never delivered)."""
    from .models import Guest

    guest = Guest.objects.select_related("event", "person").filter(pk=guest_id).first()
    if guest is None or not guest.person.email:
        return False
    token = guest.issue_token()
    link = base_url.rstrip("/") + reverse("protocol:rsvp", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        subject = one_line(_("Invitation: %(title)s") % {"title": guest.event.title})[:200]
        body = render_to_string("protocol/email/invitation.txt", {"guest": guest, "event": guest.event, "link": link})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [guest.person.email])
    return True
