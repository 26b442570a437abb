"""Limits on API requests: anonymous clients (the token sign-in) per address,
signed-in users per account, counted in the shared Redis cache. Past a limit
the API answers 429 in JSON with Retry-After, like its other refusals."""

import pytest
from django.conf import settings as django_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
ME = "/api/me/"


def sign_in(address="198.51.100.7", username="nobody", **headers):
    """A failed token sign-in (the lockout counts five of one username)."""
    return APIClient().post(
        TOKEN, {"username": username, "password": "wrong"}, format="json", REMOTE_ADDR=address, **headers
    )


def test_the_token_sign_in_is_limited_per_address_and_answers_429_in_json(settings):
    settings.OIA_THROTTLE_ANON = "3/minute"  # below the lockout's five failures

    answers = [sign_in() for _ in range(4)]
    elsewhere = sign_in("203.0.113.9")

    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert answers[-1]["Content-Type"] == "application/json"
    assert answers[-1].json()["detail"].startswith("Too many requests. Try again in ")
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert elsewhere.status_code == 400


def test_a_client_cannot_escape_the_limit_by_writing_its_own_forwarded_address(settings):
    settings.OIA_THROTTLE_ANON = "2/minute"
    settings.OIA_TRUSTED_PROXIES = 0

    answers = [sign_in(HTTP_X_FORWARDED_FOR=f"192.0.2.{number}") for number in range(3)]

    assert [answer.status_code for answer in answers] == [400, 400, 429]


def test_a_signed_in_user_is_limited_per_account_whatever_the_address(settings):
    settings.OIA_THROTTLE_USER = "3/minute"
    busy, other = APIClient(), APIClient()
    busy.force_authenticate(UserFactory(username="busy"))
    other.force_authenticate(UserFactory(username="other"))

    answers = [busy.get(ME, REMOTE_ADDR=f"198.51.100.{number}") for number in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert other.get(ME).status_code == 200


def test_an_empty_rate_turns_a_limit_off(settings):
    settings.OIA_THROTTLE_ANON = "2/minute"
    limited = [sign_in(username=f"limited{number}").status_code for number in range(3)]
    settings.OIA_THROTTLE_ANON = ""

    unlimited = [sign_in(username=f"unlimited{number}").status_code for number in range(6)]

    assert limited == [400, 400, 429]
    assert set(unlimited) == {400}


def test_the_counters_are_in_the_shared_cache_under_this_runs_prefix(settings, cache_redis):
    settings.OIA_THROTTLE_USER = "100/minute"
    client = APIClient()
    user = UserFactory()
    client.login(username=user.username, password=TEST_PASSWORD)

    client.get(ME)

    prefix = django_settings.CACHES["default"]["KEY_PREFIX"]
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache_redis.exists(f"{prefix}:1:throttle_user_{user.pk}")


def test_every_operation_documents_the_429_answer():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operations = [operation for path in schema["paths"].values() for operation in path.values()]

    assert operations
    assert all("429" in operation["responses"] for operation in operations)
    assert schema["paths"]["/api/me/"]["get"]["responses"]["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorDetail"
    }
