"""Notifying users: an in-app notification always, an email when configured.

Emails are sent by a Celery task after the transaction commits, so a slow
mail server never holds up a request and a rolled-back change sends nothing.
A failed send is retried; one that still fails is marked on the notification
for the administrators (Django admin, filter "email: failed").
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import EmailStatus, Notification


def notify(users, *, text: str, url: str = "") -> list[Notification]:
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    by_email = settings.OIA_NOTIFY_BY_EMAIL
    notifications = Notification.objects.bulk_create(
        Notification(
            user=user,
            text=text[:500],
            url=url,
            email_status=EmailStatus.PENDING if by_email and user.email else EmailStatus.NOT_EMAILED,
        )
        for user in recipients.values()
    )
    if by_email:
        from .tasks import send_notification_email

        for notification in notifications:
            if notification.email_status == EmailStatus.PENDING:
                transaction.on_commit(lambda pk=notification.pk: send_notification_email.delay(pk))
    return notifications


def mark_read(notifications) -> int:
    """Mark the unread ones of ``notifications`` (one user's, a queryset) read
    now; those read already keep the time they were first read. How many were
    marked (the page and the API both call this)."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
