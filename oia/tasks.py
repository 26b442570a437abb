"""Project-wide Celery tasks."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from .models import WorkerHeartbeat

# How every e-mail task retries: a mail server that refuses or cannot be reached
# gets the mail again later, with growing pauses, a bounded number of times.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, OSError),
    "max_retries": settings.OIA_EMAIL_MAX_RETRIES,
    "retry_backoff": settings.OIA_EMAIL_RETRY_BACKOFF,
    "retry_backoff_max": 600,
}


@shared_task(bind=True)
def record_worker_heartbeat(self) -> str:
    """Record that this worker is alive. Idempotent: an upsert per worker."""
    hostname = self.request.hostname or "unknown"
    WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
    return hostname


@shared_task(bind=True, **EMAIL_RETRIES)
def send_notification_email(self, notification_id: int) -> bool:
    """Email one notification. A mail server that refuses or cannot be reached
    gets the email again later (with growing pauses, a bounded number of
    times); the notification records each attempt and, at the end, "failed"
    with the error, for the administrators. Idempotent enough: a redelivery
    sends it again, which is better than losing a coordination warning."""
    from .models import EmailStatus, Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.email:
        return False
    sent = Notification.objects.filter(pk=notification_id)
    sent.update(email_attempts=F("email_attempts") + 1)
    body = notification.text + (f"\n\n{notification.url}" if notification.url else "")
    try:
        send_mail(notification.email_subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    except (SMTPException, OSError) as error:
        last_attempt = self.request.retries >= self.max_retries
        sent.update(
            email_status=EmailStatus.FAILED if last_attempt else EmailStatus.PENDING,
            email_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise  # autoretry_for queues the next attempt, or gives up after the last one
    sent.update(email_status=EmailStatus.SENT, email_error="")
    return True


@shared_task
def purge_expired_sessions() -> int:
    """Celery beat, nightly: delete the sessions that have expired, so signed-out
    data does not pile up in the database. Idempotent."""
    from .retention import delete_expired_sessions

    return delete_expired_sessions(timezone.now())


@shared_task
def purge_expired_tokens() -> int:
    """Celery beat, nightly: delete the API tokens that have expired (they are
    refused from the moment they expire). Idempotent."""
    from . import tokens

    return tokens.purge_expired_tokens()


@shared_task
def apply_retention() -> dict[str, int]:
    """Celery beat, nightly: apply every retention rule (``oia.retention``),
    each in one transaction; returns the count per rule. Idempotent."""
    from . import retention

    return retention.apply_all()


@shared_task(bind=True, **EMAIL_RETRIES)
def send_invitation_email(self, user_id: int, base_url: str) -> bool:
    """Email an invited person (``oia.people``) their link to set a password.
    The token is made here, just before sending, so it never travels through
    the queue; it dies once a password is set or the account is deactivated.
    Nothing is sent to an account that has a password already or was deactivated."""
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.translation import gettext

    from .invitations import set_password_link
    from .text import one_line

    person = get_user_model().objects.filter(pk=user_id).first()
    # Still invited (oia.people.is_invited): active, without a password yet.
    if person is None or not person.email or not person.is_active or person.has_usable_password():
        return False
    context = {
        "person": person,
        "link": set_password_link(person, base_url),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Your access to the Office for International Affairs' app, %(name)s") % {
            "name": person.get_full_name() or person.get_username()
        }
        subject = one_line(subject)[:200]
        body = render_to_string("oia/people/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    return True
