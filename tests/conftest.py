"""Shared fixtures: one user and one logged-in client per role (also under
the names the tests of several apps use: ``staff``, ``leader``, ``admin``,
``office_user``, ``staff_api``, ``admin_api``), the API client, a real
Celery worker process, a real S3-compatible server, and this run's cache
keys cleared before each test."""

import pytest
import redis
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from oia.celery import app as celery_app
from oia.roles import Role
from tests.factories import UserFactory
from tests.s3 import Bucket, S3Server
from tests.second_factor import sign_in
from tests.workers import Workers

ROLES = [role.value for role in Role]


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in German leaves
    German active in the thread, which would leak into the next test's messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def cache_redis():
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


@pytest.fixture(autouse=True)
def clear_cache(cache_redis):
    """Each test starts with an empty cache (the API's request counters among
    its keys). Only this run's keys go (oia.settings.test gives each pytest
    process its own prefix): the database is shared with other runs and with
    Celery's queues, so never FLUSHDB, which Django's cache.clear() would do."""
    keys = list(cache_redis.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*", count=1000))
    if keys:
        cache_redis.delete(*keys)


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
def admin_client(client, admin_user_oia):
    """A client signed in as an OIA administrator who entered the code of their
    authenticator app (replaces pytest-django's superuser client)."""
    return sign_in(client, admin_user_oia)


@pytest.fixture
def office_user(db):
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def staff(db):
    """Stefan from the office, for tests that name the people involved."""
    return UserFactory(username="stefan", role=Role.STAFF)


@pytest.fixture
def leader(db):
    """Klaus, who leads a club."""
    return UserFactory(username="klaus", role=Role.CLUB_LEADER)


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_api(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    return api_client


@pytest.fixture
def admin_api(admin_user_oia):
    client = APIClient()  # its own client: a test may use staff_api too
    client.force_authenticate(admin_user_oia)
    return client


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """One real `celery worker` process for the whole session, on its own queue,
    using the test database. Tests that use it must use ``transactional_db`` so
    the worker sees their rows."""
    workers = Workers()
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = workers.queue
    try:
        yield workers.start("session")
    finally:
        workers.stop_all()
        celery_app.conf.task_default_queue = previous_queue


@pytest.fixture
def celery_workers(transactional_db):
    """Workers a test starts (and may kill) itself, on a private queue; the
    test's tasks are sent there."""
    workers = Workers()
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = workers.queue
    try:
        yield workers
    finally:
        workers.stop_all()
        celery_app.conf.task_default_queue = previous


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's, in a subprocess) for the session."""
    server = S3Server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings, tmp_path):
    """Uploaded files go to a private bucket of this test's on the S3 server,
    as with OIA_S3_BUCKET set; MEDIA_ROOT points at an empty folder, so a file
    written to disk instead would show there."""
    bucket = Bucket(s3_server)
    bucket.media_root = settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(bucket.name)}
    return bucket


class SecurityLogRecords(list):
    """The security log's records (their JSON fields), as the formatter writes them."""

    def events(self, name=None):
        return [record for record in self if name is None or record["event"] == name]


@pytest.fixture
def security_log():
    """Collects what the ``oia.security`` logger writes during the test, as the
    JSON objects of its lines (the logger does not propagate, so caplog misses it)."""
    import json
    import logging

    from oia.logs import JsonFormatter

    records = SecurityLogRecords()
    formatter = JsonFormatter()

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(json.loads(formatter.format(record)))

    logger = logging.getLogger("oia.security")
    handler = Collect(level=logging.DEBUG)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
