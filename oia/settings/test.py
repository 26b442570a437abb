"""Settings for pytest: the real PostgreSQL and Redis (embedded when unset)."""

import os

from oia.embedded import ensure_database_url, ensure_redis_url

ensure_database_url()
ensure_redis_url()
os.environ.setdefault("SECRET_KEY", "insecure-test-key")

from .base import *  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"
DATABASES["default"]["CONN_MAX_AGE"] = 0
# One test database per pytest process, so two runs on one machine never drop
# each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
# Lets a test make a worker subprocess pause after a step of the report generation.
OIA_REPORT_PAUSE_AFTER_STEP = env("OIA_REPORT_PAUSE_AFTER_STEP", default="")
OIA_REPORT_PAUSE_SECONDS = env.int("OIA_REPORT_PAUSE_SECONDS", default=0)
