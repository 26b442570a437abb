"""Settings for pytest: the real PostgreSQL and Redis (embedded when unset)."""

import os

from oia.embedded import ensure_database_url, ensure_redis_url

ensure_database_url()
ensure_redis_url()
os.environ.setdefault("SECRET_KEY", "insecure-test-key")
# One cache key prefix per pytest process, written back to the environment so
# its worker and gunicorn subprocesses share it: concurrent runs on one Redis
# never see each other's keys, and tests/conftest.py clears only this run's.
# A prefix from elsewhere (an exported "oia") is replaced, so the clearing
# never reaches an installation's keys.
# Under pytest-xdist each worker process (gw0, gw1 ...) inherits the prefix of
# the main process, so it takes one of its own, ending in its name (which its
# subprocesses, seeing PYTEST_XDIST_WORKER too, then keep): one worker's
# clearing never removes the other's keys.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_prefix = os.environ.get("OIA_CACHE_KEY_PREFIX", "")
if not _prefix.startswith("oia-test-") or (_xdist_worker and not _prefix.endswith(f"-{_xdist_worker}")):
    os.environ["OIA_CACHE_KEY_PREFIX"] = f"oia-test-{os.getpid()}" + (f"-{_xdist_worker}" if _xdist_worker else "")

from .base import *  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker subprocess's in-memory outbox is out of a test's reach: a test gives
# its worker another backend (the file backend, or one that always fails).
EMAIL_BACKEND = env("OIA_TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# Files per xdist worker (a worker's subprocesses share its directories), so
# that parallel workers never see each other's files.
_files = f"-{_xdist_worker}" if _xdist_worker else ""
EMAIL_FILE_PATH = env("OIA_TEST_EMAIL_FILE_PATH", default=str(BASE_DIR / ".data" / f"test-mail{_files}"))
# A subprocess a test starts (restoring a backup) may get its own directory.
MEDIA_ROOT = env.path("OIA_TEST_MEDIA_ROOT", default=BASE_DIR / ".data" / f"test-media{_files}")
DATABASES["default"]["CONN_MAX_AGE"] = 0
# One test database per pytest process, so two runs on one machine never drop
# each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
# Lets a test make a worker subprocess pause after a step of the report generation.
OIA_REPORT_PAUSE_AFTER_STEP = env("OIA_REPORT_PAUSE_AFTER_STEP", default="")
OIA_REPORT_PAUSE_SECONDS = env.int("OIA_REPORT_PAUSE_SECONDS", default=0)
# A redelivery test gives its worker subprocesses their own bookkeeping of
# unacknowledged tasks (so they never redeliver another test's tasks) and makes
# them look for abandoned tasks every second instead of every 100.
_unacked = env("CELERY_UNACKED_PREFIX", default="")
if _unacked:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "unacked_key": f"{_unacked}unacked",
        "unacked_index_key": f"{_unacked}unacked_index",
        "unacked_mutex_key": f"{_unacked}unacked_mutex",
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
