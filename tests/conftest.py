"""Shared fixtures: one user and one logged-in client per role, the API
client, and a real Celery worker process."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from oia.celery import app as celery_app
from oia.roles import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
ROLES = [role.value for role in Role]


@pytest.fixture
def user_for_role(db):
    """Make a user holding ``role`` (None for a signed-in user without role)."""

    def make(role):
        return UserFactory(username=f"{role or 'norole'}-user", role=role)

    return make


@pytest.fixture
def staff_user(user_for_role):
    return user_for_role(Role.STAFF)


@pytest.fixture
def admin_user_oia(user_for_role):
    return user_for_role(Role.ADMIN)


@pytest.fixture
def council_user(user_for_role):
    return user_for_role(Role.COUNCIL)


@pytest.fixture
def club_leader_user(user_for_role):
    return user_for_role(Role.CLUB_LEADER)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


def _database_url_for(name: str) -> str:
    """The configured DATABASE_URL pointing at database ``name`` instead."""
    url, _, query = os.environ["DATABASE_URL"].partition("?")
    return url.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on its own queue, using the test database.

    Tests that use it must use ``transactional_db`` so the worker sees their rows.
    """
    queue = f"test-{uuid.uuid4().hex[:12]}"
    (ROOT / ".data").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.test",
        "DATABASE_URL": _database_url_for(settings.DATABASES["default"]["NAME"]),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    log = open(ROOT / ".data" / f"{queue}.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "oia",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"{queue}@oia-test",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[f"{queue}@oia-test"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"The Celery worker did not start:\n{log.read()}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        celery_app.conf.task_default_queue = previous_queue
