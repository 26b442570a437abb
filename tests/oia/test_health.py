"""/healthz answers monitoring without a login and without secrets."""

from django.test import override_settings
from django.urls import reverse


def test_healthz_reports_database_and_broker_ok(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"] in {"ok", "stale", "unknown"}


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_answers_503_when_the_broker_is_unreachable(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_healthz_reveals_no_connection_details(client, db, settings):
    text = client.get(reverse("healthz")).content.decode()

    assert settings.DATABASES["default"]["NAME"] not in text
    assert "redis://" not in text
