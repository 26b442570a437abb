"""Project-wide Celery tasks."""

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(bind=True)
def record_worker_heartbeat(self) -> str:
    """Record that this worker is alive. Idempotent: an upsert per worker."""
    hostname = self.request.hostname or "unknown"
    WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
    return hostname


@shared_task
def send_notification_email(notification_id: int) -> bool:
    """Email one notification. Idempotent enough: a redelivery sends it again,
    which is better than losing a coordination warning."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.email:
        return False
    body = notification.text + (f"\n\n{notification.url}" if notification.url else "")
    send_mail(notification.text[:120], body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    return True
