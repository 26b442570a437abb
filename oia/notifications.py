"""Notifying users: an in-app notification always, an email when configured.

Emails are sent by a Celery task after the transaction commits, so a slow
mail server never holds up a request and a rolled-back change sends nothing.
"""

from django.conf import settings
from django.db import transaction

from .models import Notification


def notify(users, *, text: str, url: str = "") -> list[Notification]:
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        Notification(user=user, text=text[:500], url=url) for user in recipients.values()
    )
    if settings.OIA_NOTIFY_BY_EMAIL:
        from .tasks import send_notification_email

        for notification in notifications:
            if notification.user.email:
                transaction.on_commit(lambda pk=notification.pk: send_notification_email.delay(pk))
    return notifications
