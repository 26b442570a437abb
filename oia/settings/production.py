"""Production: every secret and address comes from the environment; HTTPS only."""

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = False
# A short or example SECRET_KEY fails the system checks (oia/checks.py), so migrate and thus the app refuse to start.
OIA_REQUIRE_STRONG_SECRET_KEY = True

# Uploads as in base (MEDIA_ROOT, or the bucket of OIA_S3_BUCKET); static files compressed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probed and scraped over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix makes browsers refuse these cookies unless they are Secure,
# for this host only (no Domain) and for the whole site (Path=/).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# One JSON object a log line, for the city's log collector (OIA_LOG_FORMAT=text for people).
OIA_LOG_FORMAT = env("OIA_LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = OIA_LOG_FORMAT

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
