"""Lockout after repeated failed sign-ins (django-axes) on all three sign-in
doors: the login page, the admin's login and the API's token endpoint."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from oia.roles import Role
from oia.second_factor import requires_second_factor
from tests.factories import TEST_PASSWORD, UserFactory
from tests.second_factor import recovery_code
from tests.second_factor import sign_in as sign_in_verified

User = get_user_model()
HOME = "198.51.100.20"
ELSEWHERE = "203.0.113.50"
DOORS = ["login", "admin", "api"]
LOCKED_EN = "Too many failed sign-ins"
LOCKED_DE = "Zu viele fehlgeschlagene Anmeldungen"


def sign_in(door, username, password, address=HOME, **headers):
    """One sign-in attempt through ``door`` from ``address``, by a fresh client
    (no session or cookie carries over: only username and address count)."""
    if door == "api":
        data = {"username": username, "password": password}
        user = User.objects.filter(username=username).first() if password == TEST_PASSWORD else None
        if user is not None and requires_second_factor(user):
            data["otp"] = recovery_code(user)  # an administrator's token needs the second factor too
        return APIClient().post("/api/auth/token/", data, format="json", REMOTE_ADDR=address, **headers)
    url = reverse("login") if door == "login" else reverse("admin:login")
    data = {"username": username, "password": password, "next": "/admin/" if door == "admin" else ""}
    return Client().post(url, data, REMOTE_ADDR=address, **headers)


def signed_in(door, response) -> bool:
    if door == "api":
        return response.status_code == 200 and bool(response.json().get("token"))
    return response.status_code == 302


def is_refused_normally(door, response) -> bool:
    """A wrong password's usual answer: the form again, or the API's 400/401."""
    if door == "api":
        return response.status_code in (400, 401) and "token" not in response.json()
    return response.status_code == 200 and LOCKED_EN not in response.content.decode()


def is_locked_out(door, response, text=LOCKED_EN) -> bool:
    if response.status_code != 429 or response["Retry-After"] != "900":
        return False
    if door == "api":
        return response.json()["detail"].startswith(text)
    html = response.content.decode()
    return text in html and 'name="password"' in html  # the sign-in page, with the message


def fail(door, username, times, address=HOME, **headers):
    return [sign_in(door, username, "wrong-password-1", address, **headers) for _ in range(times)]


@pytest.fixture
def ines(db):
    """An administrator, so she may pass the admin's door too."""
    return UserFactory(username="ines", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("door", DOORS)
def test_fifth_failure_locks_and_the_right_password_is_refused(door, ines, security_log):
    answers = fail(door, "ines", 5)

    assert all(is_refused_normally(door, answer) for answer in answers[:4])
    assert is_locked_out(door, answers[4])
    assert is_locked_out(door, sign_in(door, "ines", TEST_PASSWORD))
    [event] = security_log.events("lockout")
    assert (event["username"], event["address"], event["level"]) == ("ines", HOME, "WARNING")
    assert event["failures"] == 5


@pytest.mark.parametrize("door", DOORS)
def test_the_right_password_works_after_four_failures(door, ines):
    fail(door, "ines", 4)

    assert signed_in(door, sign_in(door, "ines", TEST_PASSWORD))


def test_failures_through_different_doors_add_up(ines):
    fail("login", "ines", 2)
    fail("admin", "ines", 2)
    fail("api", "ines", 1)

    assert is_locked_out("login", sign_in("login", "ines", TEST_PASSWORD))


@pytest.mark.parametrize("door", DOORS)
def test_only_that_username_from_that_address_is_locked(door, ines):
    UserFactory(username="otto", role=Role.ADMIN, is_staff=True, is_superuser=True)
    fail(door, "ines", 5)

    assert signed_in(door, sign_in(door, "otto", TEST_PASSWORD))
    assert signed_in(door, sign_in(door, "ines", TEST_PASSWORD, address=ELSEWHERE))
    assert is_locked_out(door, sign_in(door, "ines", TEST_PASSWORD))


@pytest.mark.parametrize("door", DOORS)
def test_the_lockout_ends_after_the_lockout_period(door, ines):
    fail(door, "ines", 5)
    # Fourteen minutes later: still locked.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))
    assert is_locked_out(door, sign_in(door, "ines", TEST_PASSWORD))

    # Fifteen and a bit: free again.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=2))
    assert signed_in(door, sign_in(door, "ines", TEST_PASSWORD))


def test_a_failure_while_locked_does_not_extend_the_lockout(ines):
    fail("login", "ines", 5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))

    fail("login", "ines", 3)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=2))

    assert signed_in("login", sign_in("login", "ines", TEST_PASSWORD))


def test_a_successful_sign_in_clears_the_failures(ines):
    fail("login", "ines", 4)
    assert signed_in("login", sign_in("login", "ines", TEST_PASSWORD))

    answers = fail("login", "ines", 4)

    assert all(is_refused_normally("login", answer) for answer in answers)
    assert signed_in("login", sign_in("login", "ines", TEST_PASSWORD))


def test_the_lockout_settings_are_honoured(settings, ines):
    settings.AXES_FAILURE_LIMIT = 2
    settings.OIA_LOCKOUT_MINUTES = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)

    answers = fail("api", "ines", 2)

    assert is_refused_normally("api", answers[0])
    assert answers[1].status_code == 429
    assert answers[1]["Retry-After"] == "60"
    assert "blocked for 1 minutes" in answers[1].json()["detail"]


@pytest.mark.parametrize("door", DOORS)
def test_a_forged_x_forwarded_for_does_not_escape_the_lockout(door, ines, settings):
    settings.OIA_TRUSTED_PROXIES = 0
    for number in range(5):
        sign_in(door, "ines", "wrong-password-1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    answer = sign_in(door, "ines", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert is_locked_out(door, answer)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [HOME]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(ines, settings, security_log):
    settings.OIA_TRUSTED_PROXIES = 1
    fail("login", "ines", 5, HTTP_X_FORWARDED_FOR="192.0.2.7")

    assert signed_in("login", sign_in("login", "ines", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.8"))
    assert is_locked_out("login", sign_in("login", "ines", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.7"))
    assert security_log.events("lockout")[0]["address"] == "192.0.2.7"


@pytest.mark.parametrize("door", DOORS)
def test_the_lockout_message_is_german_for_german_readers(door, ines):
    fail(door, "ines", 5)

    answer = sign_in(door, "ines", TEST_PASSWORD, HTTP_ACCEPT_LANGUAGE="de")

    assert is_locked_out(door, answer, text=LOCKED_DE)


def test_unknown_usernames_are_locked_out_too(db):
    answers = fail("api", "nobody-here", 5)

    assert answers[4].status_code == 429


@pytest.mark.parametrize("username", ["x" * 300, "nul\x00byte", " "])
def test_odd_usernames_never_break_the_token_door(db, username):
    answers = fail("api", username, 6)

    assert all(answer.status_code in (400, 401, 429) for answer in answers)


def test_signing_in_without_a_request_still_works(client, ines):
    """Client.login calls authenticate() without a request: not a door, not counted."""
    assert client.login(username="ines", password=TEST_PASSWORD)
    assert not client.login(username="ines", password="wrong-password-1")


def test_an_administrator_lifts_the_lockout_from_the_users_page(client, ines, security_log):
    klaus = UserFactory(username="klaus", role=Role.CLUB_LEADER)
    fail("login", "klaus", 5)
    fail("api", "klaus", 2, address=ELSEWHERE)
    sign_in_verified(client, ines)
    page = reverse("admin:auth_user_change", args=[klaus.pk])
    lift = reverse("admin:auth_user_lift_lockout", args=[klaus.pk])

    html = client.get(page).content.decode()
    assert f'action="{lift}"' in html
    assert "Lift lockout (7)" in html

    response = client.post(lift, REMOTE_ADDR=HOME)

    assert response.status_code == 302
    assert response["Location"] == page
    assert "lockout of klaus is lifted (2 failed sign-in records cleared)" in client.get(page).content.decode()
    assert signed_in("login", sign_in("login", "klaus", TEST_PASSWORD))
    [event] = security_log.events("lockout_lifted")
    assert (event["user"], event["target_user"], event["address"], event["attempts"]) == ("ines", "klaus", HOME, 2)


def test_lifting_a_lockout_needs_a_post_and_the_right_to_change_users(client, ines):
    klaus = UserFactory(username="klaus", role=Role.CLUB_LEADER)
    fail("login", "klaus", 5)
    lift = reverse("admin:auth_user_lift_lockout", args=[klaus.pk])
    sign_in_verified(client, ines)
    assert client.get(lift).status_code == 302  # back to the user's page, nothing lifted
    assert AccessAttempt.objects.exists()

    # in the admin (code entered), without rights on users
    sign_in_verified(client, UserFactory(username="viewer", is_staff=True), verified=True)
    assert client.post(lift).status_code == 403
    assert AccessAttempt.objects.exists()
    sign_in_verified(client, ines)
    assert client.post(reverse("admin:auth_user_lift_lockout", args=[999999])).status_code == 404


def test_the_command_line_lifts_a_lockout_too(ines):
    from django.core.management import call_command

    fail("login", "ines", 5)

    call_command("axes_reset_username", "ines")

    assert signed_in("login", sign_in("login", "ines", TEST_PASSWORD))


def test_the_api_schema_documents_the_lockout_answer(staff_api):
    """So API clients, and schemathesis fuzzing the token door, expect the 429."""
    schema = staff_api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    answer = schema["paths"]["/api/auth/token/"]["post"]["responses"]["429"]

    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
