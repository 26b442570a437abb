"""/healthz (liveness) and /readyz (readiness) answer monitoring without a
login and without secrets. /healthz touches nothing; /readyz checks the
database, Redis, the migrations and the workers' heartbeat."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from oia import views
from oia.models import WorkerHeartbeat
from oia.tasks import record_worker_heartbeat


@pytest.fixture(autouse=True)
def migrations_not_yet_seen_applied(monkeypatch):
    """Each test starts as a fresh process would, before it saw every migration applied."""
    monkeypatch.setattr(views, "_all_migrations_applied", False)


def test_healthz_answers_ok_without_looking_at_anything(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_200_when_database_redis_migrations_and_a_worker_are_fine(
    client, celery_worker_process, transactional_db
):
    record_worker_heartbeat.delay().get(timeout=60)  # a real worker, through the real Redis

    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "migrations": "ok", "worker": "ok"}


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_readyz_answers_503_when_redis_is_unreachable(client, db):
    WorkerHeartbeat.objects.create(hostname="w1@oia", seen_at=timezone.now())

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["redis"] == "failing"
    assert response.json()["database"] == "ok"


def test_healthz_answers_200_when_redis_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    assert client.get(reverse("healthz")).status_code == 200


def test_readyz_answers_503_when_the_worker_heartbeat_is_stale(client, db):
    WorkerHeartbeat.objects.create(hostname="w1@oia", seen_at=timezone.now() - views.WORKER_STALE_AFTER)

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["migrations"] == "ok"


def test_readyz_answers_503_when_no_worker_was_ever_seen(client, db):
    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["worker"] == "failing"


def test_readyz_answers_503_while_a_migration_is_unapplied(client, db):
    """The database forgets the newest migration of one app, as after deploying
    code whose migration has not run yet (rolled back with the test)."""
    WorkerHeartbeat.objects.create(hostname="w1@oia", seen_at=timezone.now() - timedelta(seconds=5))
    newest = MigrationRecorder.Migration.objects.filter(app="partners").order_by("-id").first()
    newest.delete()

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["migrations"] == "failing"
    assert response.json()["worker"] == "ok"


def test_readyz_remembers_all_migrations_applied_so_it_reads_the_graph_once(client, db, django_assert_max_num_queries):
    WorkerHeartbeat.objects.create(hostname="w1@oia", seen_at=timezone.now())
    assert client.get(reverse("readyz")).status_code == 200

    MigrationRecorder.Migration.objects.filter(app="partners").order_by("-id").first().delete()
    with django_assert_max_num_queries(2):  # SELECT 1 and the heartbeat
        response = client.get(reverse("readyz"))

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_health_checks_reveal_no_connection_details(client, db, settings, name):
    text = client.get(reverse(name)).content.decode()

    assert settings.DATABASES["default"]["NAME"] not in text
    assert connection.settings_dict["HOST"] not in text
    assert "redis://" not in text
