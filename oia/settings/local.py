"""Developer default: embedded PostgreSQL and Redis unless the URLs are set."""

import os

from oia.embedded import ensure_database_url, ensure_redis_url

ensure_database_url()
ensure_redis_url()
os.environ.setdefault("SECRET_KEY", "insecure-local-development-key")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402

CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".data" / "celerybeat-schedule")
