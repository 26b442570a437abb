"""A real Celery worker runs our tasks through the real Redis broker and
writes to the real PostgreSQL test database."""

from django.utils import timezone

from oia.models import WorkerHeartbeat
from oia.tasks import record_worker_heartbeat


def test_worker_runs_heartbeat_task_through_redis_and_writes_to_database(celery_worker_process, transactional_db):
    sent_at = timezone.now()

    result = record_worker_heartbeat.delay()
    hostname = result.get(timeout=60)

    assert result.successful()
    assert hostname.endswith("@oia-test")
    beat = WorkerHeartbeat.objects.get(hostname=hostname)
    assert beat.seen_at >= sent_at


def test_heartbeat_task_is_idempotent_per_worker(celery_worker_process, transactional_db):
    first = record_worker_heartbeat.delay().get(timeout=60)
    second = record_worker_heartbeat.delay().get(timeout=60)

    assert first == second
    assert WorkerHeartbeat.objects.filter(hostname=first).count() == 1
