"""Production refuses a weak or example SECRET_KEY (system check oia.E001),
and passes ``check --deploy`` without a warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "oia.settings.production", "ALLOWED_HOSTS": "oia.example"}
    environment |= env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def secret_key_errors():
    return [message for message in run_checks() if message.id == "oia.E001"]


@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "insecure-local-development-key",
        "insecure-test-key",
        "build-only",
        "<50+ random characters>",
        "django-insecure-" + "k7#v2!q9zX" * 5,
        # random, but one character short (a fixed id: pytest-xdist workers must collect the same names)
        pytest.param(secrets.token_urlsafe(36)[:49], id="random-49-characters"),
        "ab" * 40,  # long, but two different characters
    ],
)
def test_a_weak_or_example_key_is_an_error_in_production(settings, key):
    settings.OIA_REQUIRE_STRONG_SECRET_KEY = True
    settings.SECRET_KEY = key

    (error,) = secret_key_errors()

    assert error.is_serious()
    assert "SECRET_KEY" in error.msg


def test_a_long_random_key_passes(settings):
    settings.OIA_REQUIRE_STRONG_SECRET_KEY = True
    settings.SECRET_KEY = secrets.token_urlsafe(50)

    assert secret_key_errors() == []


def test_development_and_test_settings_keep_their_short_keys(settings):
    assert settings.OIA_REQUIRE_STRONG_SECRET_KEY is False
    assert secret_key_errors() == []


def test_production_checks_fail_with_the_example_key():
    result = manage("check", SECRET_KEY="change-me")

    assert result.returncode != 0
    assert "oia.E001" in result.stderr
    assert "example value" in result.stderr


def test_production_passes_check_deploy_with_a_random_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(45)[:60])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
