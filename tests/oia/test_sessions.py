"""Sessions end after a working day and after an hour without a request;
signed-in answers and downloads are never cached; every answer denies the
browser features the app does not use."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from oia.middleware import SEEN, STARTED
from oia.tasks import purge_expired_sessions
from tests.factories import CityFactory, DocumentFactory


def age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - ago
    session.save()


def test_a_session_used_within_the_hour_stays_signed_in(staff_client):
    staff_client.get(reverse("dashboard"))
    age_session(staff_client, seen=59 * 60)

    assert staff_client.get(reverse("dashboard")).status_code == 200


def test_an_hour_without_a_request_signs_the_session_out(staff_client):
    staff_client.get(reverse("dashboard"))
    age_session(staff_client, seen=61 * 60)

    response = staff_client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert staff_client.get(reverse("dashboard")).status_code == 302


def test_eight_hours_after_sign_in_the_session_ends_even_when_in_use(staff_client):
    staff_client.get(reverse("dashboard"))
    age_session(staff_client, started=8 * 3600 + 60, seen=60)

    response = staff_client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_nightly_job_purges_expired_sessions_only(db):
    expired, current = SessionStore(), SessionStore()
    expired.create()
    current.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now())

    assert purge_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


def test_signed_in_pages_are_never_stored(staff_client):
    response = staff_client.get(reverse("partners:partnership-list"))

    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_api_answers_to_a_token_are_never_stored(api_client, staff_user):
    from oia.tokens import Token

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user)[1]}")
    CityFactory()

    response = api_client.get(reverse("api:city-list"))

    assert response.status_code == 200
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_document_downloads_and_exports_are_never_stored(staff_client):
    document = DocumentFactory()
    for url in (
        reverse("partners:document-download", args=[document.pk]),
        reverse("partners:partnership-export", args=["csv"]),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_answer_denies_camera_microphone_and_geolocation(client, staff_user, signed_in):
    if signed_in:
        client.force_login(staff_user)

    response = client.get(reverse("login"))

    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_a_rotated_secret_key_keeps_sessions_that_come_back_while_the_old_one_is_a_fallback(staff_user, settings):
    """Rotating SECRET_KEY (README, "Operating oia"): with the old key in
    SECRET_KEY_FALLBACKS a signed-in user stays signed in and their session is
    re-signed with the new key; a session not seen before the old key is
    dropped ends then."""
    from django.test import Client

    active, away = Client(), Client()
    active.force_login(staff_user)
    away.force_login(staff_user)
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY = "n3w-" + "r0tated-key-" * 5
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert active.get(reverse("dashboard")).status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert active.get(reverse("dashboard")).status_code == 200
    response = away.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
