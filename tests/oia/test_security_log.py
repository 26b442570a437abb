"""The security log: one JSON object a line on ``oia.security`` for sign-ins,
refusals and role changes, and no secret token of a URL in any log line."""

import json
import logging

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from oia.logs import JsonFormatter, RedactSecretsFilter, redact
from oia.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory


def test_a_sign_in_is_logged_with_user_and_address(client, security_log, db):
    user = UserFactory(username="ines", role=Role.STAFF)

    client.post(reverse("login"), {"username": "ines", "password": TEST_PASSWORD}, REMOTE_ADDR="198.51.100.7")

    [event] = security_log.events("sign_in")
    assert event["user"] == "ines"
    assert event["user_id"] == user.pk
    assert event["address"] == "198.51.100.7"
    assert event["level"] == "INFO"
    assert event["logger"] == "oia.security"


def test_a_failed_sign_in_is_logged_without_the_password(client, security_log, db):
    UserFactory(username="ines", role=Role.STAFF)

    client.post(reverse("login"), {"username": "ines", "password": "wrong-secret-42"}, REMOTE_ADDR="198.51.100.8")

    [event] = security_log.events("sign_in_failed")
    assert event["username"] == "ines"
    assert event["address"] == "198.51.100.8"
    assert event["level"] == "WARNING"
    assert "wrong-secret-42" not in json.dumps(list(security_log))


def test_a_refusal_is_logged_with_user_address_and_path(client, security_log, db):
    leader = UserFactory(username="clubby", role=Role.CLUB_LEADER)
    client.force_login(leader)

    response = client.get(reverse("budget:budget-list"), REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    [event] = security_log.events("forbidden")
    assert (event["user"], event["address"], event["path"]) == ("clubby", "203.0.113.9", reverse("budget:budget-list"))


def test_an_api_refusal_names_the_token_user(api_client, security_log, db):
    leader = UserFactory(username="clubby", role=Role.CLUB_LEADER)
    api_client.force_authenticate(leader)

    assert api_client.get("/api/budgets/").status_code == 403

    [event] = security_log.events("forbidden")
    assert event["user"] == "clubby"
    assert event["path"] == "/api/budgets/"


@pytest.mark.parametrize("side", ["user", "group"])
def test_role_changes_are_logged_from_either_side(security_log, db, side):
    user = UserFactory(username="newcomer")
    group = Group.objects.get_or_create(name=Role.ADMIN)[0]

    if side == "user":
        user.groups.add(group)
        user.groups.remove(group)
    else:
        group.user_set.add(user)
        group.user_set.clear()

    assert [(e["event"], e["target_user"], e["role"]) for e in security_log.events()] == [
        ("role_added", "newcomer", "oia_admin"),
        ("role_removed", "newcomer", "oia_admin"),
    ]


def test_groups_that_are_no_role_are_not_logged(security_log, db):
    UserFactory(username="newcomer").groups.add(Group.objects.create(name="reading circle"))

    assert security_log.events() == []


def test_the_client_address_ignores_forwarded_for_unless_proxies_are_trusted(client, security_log, settings, db):
    UserFactory(username="ines", role=Role.STAFF)
    headers = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.20"}

    client.post(reverse("login"), {"username": "ines", "password": "nope"}, **headers)
    settings.OIA_TRUSTED_PROXIES = 1
    client.post(reverse("login"), {"username": "ines", "password": "nope"}, **headers)

    assert [e["address"] for e in security_log.events("sign_in_failed")] == ["10.0.0.2", "198.51.100.20"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /delegations/feed/abcDEF123_-x.ics HTTP/1.1", "GET /delegations/feed/[redacted].ics HTTP/1.1"),
        ("GET /partners/anniversaries/tok3n.ics?year=2026", "GET /partners/anniversaries/[redacted].ics?year=2026"),
        ("GET /accounts/reset/MQ/cx1y2z-abcdef123/ HTTP/1.1", "GET /accounts/reset/MQ/[redacted]/ HTTP/1.1"),
        ("GET /accounts/reset/done/ HTTP/1.1", "GET /accounts/reset/done/ HTTP/1.1"),
        ("GET /partners/ HTTP/1.1", "GET /partners/ HTTP/1.1"),
    ],
)
def test_secret_tokens_in_urls_are_redacted(line, expected):
    assert redact(line) == expected


def test_every_log_line_is_redacted_by_the_configured_filter():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/delegations/feed/s3cr3t.ics",), None
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "Not Found: /delegations/feed/[redacted].ics"
    assert "s3cr3t" not in JsonFormatter().format(record)


def test_the_gunicorn_access_log_is_redacted():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from oia.gunicorn_logging import RedactingLogger

    request = SimpleNamespace(
        method="GET",
        uri="/delegations/feed/s3cr3t.ics",
        path="/delegations/feed/s3cr3t.ics",
        query="",
        version=(1, 1),
        headers=[],
        peer_addr=("127.0.0.1", 1),
        remote_addr=("127.0.0.1", 1),
    )
    response = SimpleNamespace(status="200 OK", status_code=200, response_length=10, sent=10, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/delegations/feed/s3cr3t.ics",
        "PATH_INFO": "/delegations/feed/s3cr3t.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "https://oia.example/delegations/feed/s3cr3t.ics",
    }
    from datetime import timedelta

    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(seconds=0.1))

    assert "s3cr3t" not in json.dumps(atoms, default=str)
    assert atoms["U"] == "/delegations/feed/[redacted].ics"
