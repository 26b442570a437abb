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
