"""Settings shared by every environment, read from the environment only."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
# Rotating the key: put the old one here (comma-separated) while the new one takes over,
# so sessions, password-reset links and API cursors signed with it keep working until they expire.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# The system check oia.E001 refuses a short or example SECRET_KEY; on in production settings.
OIA_REQUIRE_STRONG_SECRET_KEY = False
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

# The city this installation serves, and the currency of its budget.
OIA_HOME_CITY = env("OIA_HOME_CITY", default="Frankfurt am Main")
# Other names files use for the home city (an import's "home city" column), e.g. "Cologne,Koeln".
OIA_HOME_CITY_NAMES = env.list("OIA_HOME_CITY_NAMES", default=[])
# Its country (ISO code): with the name, finds the home city in the gazetteer.
OIA_HOME_COUNTRY = env("OIA_HOME_COUNTRY", default="DE")
OIA_CURRENCY = env("OIA_CURRENCY", default="EUR")
# The month the fiscal year starts in (1 = a calendar year; 4 = April to March).
# Fiscal year 2026 is the one that starts in 2026.
OIA_FISCAL_YEAR_START_MONTH = env.int("OIA_FISCAL_YEAR_START_MONTH", default=1)
# Jubilee years of a partnership: the listed ones, plus every 10th year from 30 on.
OIA_JUBILEE_YEARS = env.list("OIA_JUBILEE_YEARS", cast=int, default=[5, 10, 15, 20, 25, 30, 75, 125])
OIA_JUBILEE_EVERY_TEN_FROM = env.int("OIA_JUBILEE_EVERY_TEN_FROM", default=30)
# Travel coordination: trips to the same place within this many days are flagged.
OIA_COORDINATION_WINDOW_DAYS = env.int("OIA_COORDINATION_WINDOW_DAYS", default=14)
# A completed trip whose actual costs exceed the approved estimate by more than this needs re-approval.
OIA_REAPPROVAL_THRESHOLD_PERCENT = env.int("OIA_REAPPROVAL_THRESHOLD_PERCENT", default=10)
# Gifts above this value (in OIA_CURRENCY) are flagged in the gift register and
# listed in the council report, for declaration. Default 25: the German federal
# rules on gifts to officials (VV zu § 71 BBG) treat courtesies up to €25 as
# tacitly approved ("geringwertig"); anything more must be declared.
OIA_GIFT_DECLARATION_THRESHOLD = Decimal(env.str("OIA_GIFT_DECLARATION_THRESHOLD", default="25"))
# Four eyes on grant money: whoever approved a trip grant cannot also book its
# payment; an administrator may override with a recorded reason. Default on.
OIA_GRANT_FOUR_EYES = env.bool("OIA_GRANT_FOUR_EYES", default=True)
# Send notifications by email as well (needs a working EMAIL_* configuration).
OIA_NOTIFY_BY_EMAIL = env.bool("OIA_NOTIFY_BY_EMAIL", default=False)
# A notification email the mail server refuses is tried again this many times, after
# pauses growing from this many seconds (doubling, at most 10 minutes).
OIA_EMAIL_MAX_RETRIES = env.int("OIA_EMAIL_MAX_RETRIES", default=5)
OIA_EMAIL_RETRY_BACKOFF = env.int("OIA_EMAIL_RETRY_BACKOFF", default=60)

# Personal data (GDPR): the data protection officer's contact, shown on the
# record of processing activities (Art. 30, oia.personal_data), and the
# retention periods the declarations in <app>/personal_data.py name; the
# nightly job oia.tasks.apply_retention (03:50) applies them (oia/retention.py
# and each app's retention.py).
OIA_DATA_PROTECTION_OFFICER = env("OIA_DATA_PROTECTION_OFFICER", default="")
# Participants' dietary and accessibility needs (Art. 9 data) are cleared this
# many days after the end of their last trip or visit.
OIA_RETAIN_NEEDS_DAYS = env.int("OIA_RETAIN_NEEDS_DAYS", default=30)
# External people (no department of ours: visitors, companions) whose last
# delegation ended more than this many years ago are anonymised; their
# participations stay, so every count stays.
OIA_RETAIN_EXTERNAL_PEOPLE_YEARS = env.int("OIA_RETAIN_EXTERNAL_PEOPLE_YEARS", default=3)
# Contacts of a partnership that ended more than this many years ago are deleted.
OIA_RETAIN_CONTACTS_AFTER_END_YEARS = env.int("OIA_RETAIN_CONTACTS_AFTER_END_YEARS", default=2)
# Notifications are deleted this many days after they were made if read, and
# after OIA_RETAIN_UNREAD_NOTIFICATIONS_DAYS if never read.
OIA_RETAIN_NOTIFICATIONS_DAYS = env.int("OIA_RETAIN_NOTIFICATIONS_DAYS", default=180)
OIA_RETAIN_UNREAD_NOTIFICATIONS_DAYS = env.int("OIA_RETAIN_UNREAD_NOTIFICATIONS_DAYS", default=365)
# django-axes' records of sign-ins and failed attempts (addresses, usernames)
# are deleted after this many days. Expired sessions go every night.
OIA_RETAIN_LOGIN_ATTEMPTS_DAYS = env.int("OIA_RETAIN_LOGIN_ATTEMPTS_DAYS", default=90)

INSTALLED_APPS = [
    "oia.apps.AdminConfig",  # django.contrib.admin, its site asking for the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens: stored as hashes, with an expiry (oia.tokens)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "django_countries",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",  # lockout after repeated failed sign-ins (oia.lockout)
    "oia",
    "partners",
    "delegations",
    "networks",
    "budget",
    "protocol",
    "reports",
    "pgtrigger",
    "pghistory",
    "audit",  # the audit trail's triggers and event tables (oia.audit reads them)
    "demo",  # composition root: the load_demo command
]

MIDDLEWARE = [
    # First: the request id for every log line, then the time and queries of everything below.
    "oia.request_id.RequestIdMiddleware",
    "oia.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "oia.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "oia.uploads.RequestBodyLimitMiddleware",
    "oia.middleware.SessionTimeoutMiddleware",
    "oia.security.SecurityLogMiddleware",
    "oia.audit.AuditMiddleware",  # who and from where, on every change (the audit trail)
    "oia.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked-out sign-in into oia.lockout's answer.
    "axes.middleware.AxesMiddleware",
]

# The audit trail (django-pghistory): the context stored with each change is
# encoded by oia.audit (it resolves the signed-in user as the change is written).
PGHISTORY_JSON_ENCODER = "oia.audit.ContextEncoder"
# An event's time is when the row changed, not when its transaction began (a
# report's generation, a nightly job), so events order as they happened.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"

ROOT_URLCONF = "oia.urls"
# A refused form gets our page (Django's has an inline style the CSP blocks).
CSRF_FAILURE_VIEW = "oia.views.csrf_failure"
WSGI_APPLICATION = "oia.wsgi.application"
ASGI_APPLICATION = "oia.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "oia.context_processors.oia",
            ],
        },
    },
]

# PostgreSQL is the only engine. Connections are kept open between requests.
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout backend first: it refuses a locked-out username+address before
# the password is checked (and lets authenticate() without a request through).
AUTHENTICATION_BACKENDS = ["oia.lockout.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
# A session ends this many hours after sign-in, and after this many minutes without a request.
OIA_SESSION_HOURS = env.int("OIA_SESSION_HOURS", default=8)
OIA_SESSION_IDLE_MINUTES = env.int("OIA_SESSION_IDLE_MINUTES", default=60)
SESSION_COOKIE_AGE = OIA_SESSION_HOURS * 3600
# Two-factor sign-in (django-otp): users holding one of these roles must set up an
# authenticator app and enter its code after the password before they act in
# those roles (default: the administrators); office staff may turn it on.
OIA_OTP_REQUIRED_ROLES = env.list("OIA_OTP_REQUIRED_ROLES", default=["oia_admin"])
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = env("OIA_OTP_ISSUER", default="OIA")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Short dates in English read day first ("4 May 2026"), never US-style (oia/formats/en).
FORMAT_MODULE_PATH = ["oia.formats"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".data" / "media")
# Uploads. The largest file any form accepts (documents, exchange photos), in MB;
# a request body may be 1 MB more (the form around the file), larger ones are
# answered 413 before they are read. deploy/nginx.conf's client_max_body_size matches the default.
OIA_MAX_UPLOAD_MB = env.int("OIA_MAX_UPLOAD_MB", default=10)
# An exchange photo of more pixels is refused from its header, before it is
# decoded (a 17 KB PNG can decode to gigabytes). Also Pillow's MAX_IMAGE_PIXELS.
OIA_PHOTO_MAX_PIXELS = env.int("OIA_PHOTO_MAX_PIXELS", default=40_000_000)
# Form fields other than files: at most this many bytes (Django's default, 2.5 MB)
# and this many fields; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=10)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Where uploaded files (documents, exchange photos) are kept: under MEDIA_ROOT,
# or, when OIA_S3_BUCKET is set, in that bucket of an S3-compatible object
# store (AWS S3, MinIO), so that several web and worker machines share them.
# The bucket must be private: every download goes through a view that checks
# the role and streams the file; objects are written without an ACL (the
# bucket's own policy applies) and never overwritten (a taken name gets a
# suffix). OIA_S3_ENDPOINT_URL is empty for AWS; "path" addressing
# (endpoint/bucket/key) suits MinIO, "virtual" (bucket.endpoint/key) AWS. The
# access key and secret may stay empty where boto3 finds credentials itself
# (an instance role). Signed URLs, should one ever be made, expire after
# OIA_S3_URL_SECONDS. A download larger than FILE_UPLOAD_MAX_MEMORY_SIZE is
# buffered in a temporary file, not in memory.
OIA_S3_BUCKET = env("OIA_S3_BUCKET", default="")
OIA_S3_ENDPOINT_URL = env("OIA_S3_ENDPOINT_URL", default="")
OIA_S3_REGION = env("OIA_S3_REGION", default="us-east-1")
OIA_S3_ACCESS_KEY_ID = env("OIA_S3_ACCESS_KEY_ID", default="")
OIA_S3_SECRET_ACCESS_KEY = env("OIA_S3_SECRET_ACCESS_KEY", default="")
OIA_S3_ADDRESSING_STYLE = env("OIA_S3_ADDRESSING_STYLE", default="path")
OIA_S3_URL_SECONDS = env.int("OIA_S3_URL_SECONDS", default=300)


def s3_storage(bucket: str, **options) -> dict:
    """The STORAGES entry of django-storages' S3 backend for ``bucket`` (tests use it with their own server)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": OIA_S3_ENDPOINT_URL or None,
            "region_name": OIA_S3_REGION or None,
            "access_key": OIA_S3_ACCESS_KEY_ID or None,
            "secret_key": OIA_S3_SECRET_ACCESS_KEY or None,
            "addressing_style": OIA_S3_ADDRESSING_STYLE or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": OIA_S3_URL_SECONDS,
            "file_overwrite": False,
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
            **options,
        },
    }


STORAGES = {
    "default": (
        s3_storage(OIA_S3_BUCKET) if OIA_S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The cache, shared by every web and worker process (default: the Redis of
# REDIS_URL). The API's request counters live in it (REST_FRAMEWORK below).
OIA_CACHE_URL = env("OIA_CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": OIA_CACHE_URL,
        "KEY_PREFIX": env("OIA_CACHE_KEY_PREFIX", default="oia"),
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="oia@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oia.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Secure by default: an endpoint is staff-only unless it says otherwise.
    "DEFAULT_PERMISSION_CLASSES": ["oia.permissions.IsOfficeStaff"],
    "DEFAULT_PAGINATION_CLASS": "oia.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "oia.api.filters.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "oia.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "oia.api.exceptions.exception_handler",
    # The rates are OIA_THROTTLE_ANON and OIA_THROTTLE_USER (oia.api.throttling).
    "DEFAULT_THROTTLE_CLASSES": ["oia.api.throttling.AnonThrottle", "oia.api.throttling.UserThrottle"],
}
# API request limits, counted in the shared cache (so across every web
# instance) per client address (OIA_TRUSTED_PROXIES) or per signed-in user:
# "120/minute", "10/second", "5000/hour", "1000/day"; empty turns a limit off.
# Anonymous requests are the token sign-in (/api/auth/token/) and the few open
# endpoints; the limit on users only stops a runaway script. Past a limit the
# API answers 429 with Retry-After.
OIA_THROTTLE_ANON = env("OIA_THROTTLE_ANON", default="120/minute")
OIA_THROTTLE_USER = env("OIA_THROTTLE_USER", default="3000/minute")

# API tokens (django-rest-knox): stored as SHA-512 hashes, sent as
# "Authorization: Token <key>". Each expires OIA_API_TOKEN_HOURS after it was
# made (default 24; never prolonged by use); a user holds at most
# OIA_API_TOKENS_PER_USER unexpired tokens (default 10). Expired ones are
# refused at once and deleted nightly (oia.tasks.purge_expired_tokens).
OIA_API_TOKEN_HOURS = env.int("OIA_API_TOKEN_HOURS", default=24)
OIA_API_TOKENS_PER_USER = env.int("OIA_API_TOKENS_PER_USER", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=OIA_API_TOKEN_HOURS),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": OIA_API_TOKENS_PER_USER,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "oia API",
    "DESCRIPTION": "The API of the Office for International Affairs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so the schema says which fields
    # a client sends (non-blank text has minLength 1) and which it only reads.
    "COMPONENT_SPLIT_REQUEST": True,
    # The API is documented as JSON. Form data is still read (the browsable API
    # sends it), but a client written against the schema sends JSON, where
    # every field keeps its type (oia.api.serializers.json_type_error).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # No validator badge: it would load an image from validator.swagger.io (CSP, no internet).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another app's get their own schema names.
    "ENUM_NAME_OVERRIDES": {
        "ExchangeDirectionEnum": "partners.choices.ExchangeDirection",
        "GrantStatusEnum": "budget.models.GrantStatus",
        "DirectionEnum": "delegations.choices.Direction",
        "GiftDirectionEnum": "delegations.choices.GiftDirection",
        "PartnershipStatusEnum": "partners.choices.Status",
        "ReportRequestStatusEnum": "reports.choices.RequestStatus",
        "ReportVersionStatusEnum": "reports.choices.VersionStatus",
        "ConsularPostKindEnum": "protocol.choices.PostKind",
        "NationalDayObservanceKindEnum": "protocol.choices.ObservanceKind",
        "AccountRoleEnum": "oia.roles.Role",
        "RoleEnum": "delegations.choices.ParticipantRole",
    },
}

# Celery: JSON only; tasks are acknowledged after they ran, and put back on the
# queue if the worker dies while running them, so every task must be idempotent.
# Redis redelivers an unacknowledged task after the visibility timeout: it must
# be longer than the longest task, so longer than the report's hard time limit
# (OIA_REPORT_TIME_LIMIT below; `manage.py check` says so when it is not), or a
# report still being generated is handed to a second worker and counted as a
# second attempt.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="oia")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "oia.tasks.record_worker_heartbeat", "schedule": 60.0},
    "purge-expired-sessions": {"task": "oia.tasks.purge_expired_sessions", "schedule": crontab(minute=30, hour=3)},
    "purge-expired-tokens": {"task": "oia.tasks.purge_expired_tokens", "schedule": crontab(minute=40, hour=3)},
    "apply-retention": {"task": "oia.tasks.apply_retention", "schedule": crontab(minute=50, hour=3)},
}

# How many reverse proxies of ours stand in front of the app, each appending
# the address it saw to X-Forwarded-For. 0 (the default) trusts no such header:
# the client's address is the socket's. Lockouts and the security log use it.
OIA_TRUSTED_PROXIES = env.int("OIA_TRUSTED_PROXIES", default=0)

# Content-Security-Policy (django-csp) on every answer: only our own scripts,
# styles, images and fonts, nothing inline, no eval, no framing, no plugins.
# Browsers report violations to OIA_CSP_REPORT_URI (default: our own endpoint,
# which writes each to the security log as "csp_violation"). With
# OIA_CSP_REPORT_ONLY (default off) the policy is only reported, not enforced:
# for trying a change on a live installation, never as the normal state.
OIA_CSP_REPORT_URI = env("OIA_CSP_REPORT_URI", default="/csp-report/")
OIA_CSP_REPORT_ONLY = env.bool("OIA_CSP_REPORT_ONLY", default=False)
# The largest violation report read, in bytes; a longer body is dropped unread.
OIA_CSP_REPORT_MAX_BYTES = env.int("OIA_CSP_REPORT_MAX_BYTES", default=16384)
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # Only report-uri: with report-to as well, Chromium ignores report-uri and
        # sends its reports in batches, late or (headless, in the tests) never.
        "report-uri": [OIA_CSP_REPORT_URI],
    }
}
if OIA_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
    CONTENT_SECURITY_POLICY = None
else:
    CONTENT_SECURITY_POLICY = _CSP_POLICY
# Lockout (django-axes) on every sign-in door (/accounts/login/, /admin/login/,
# /api/auth/token/): after OIA_LOCKOUT_FAILURES failed attempts (default 5) for
# one username from one address, that combination is refused for
# OIA_LOCKOUT_MINUTES (default 15), the right password included. Attempts are
# kept in the database; a successful sign-in clears them; an administrator
# lifts a lockout from the user's admin page or `manage.py axes_reset_username`.
OIA_LOCKOUT_FAILURES = env.int("OIA_LOCKOUT_FAILURES", default=5)
OIA_LOCKOUT_MINUTES = env.int("OIA_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = OIA_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=OIA_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# oia.security.client_ip's address (OIA_TRUSTED_PROXIES), and the username as typed.
AXES_CLIENT_IP_CALLABLE = "oia.lockout.client_address"
AXES_USERNAME_CALLABLE = "oia.lockout.client_username"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out do not push the end of the lockout further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "oia.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Sign-ins are in the security log already; axes keeps only the failed attempts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Every line is cleaned of secret tokens in URLs (calendar feeds, password
# resets) and carries the request id (oia.request_id; the worker's lines the id
# of the request that queued their task). The security log (logger
# "oia.security") is one JSON object a line; with OIA_LOG_FORMAT=json (the
# production default) every other line is too: time, level, logger,
# request_id, message, exception. The worker and beat use this configuration
# too (oia.celery), gunicorn's own logs the same format (oia.gunicorn_logging).
OIA_LOG_FORMAT = env("OIA_LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "oia.logs.RedactSecretsFilter"},
        "request_id": {"()": "oia.request_id.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "oia.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": OIA_LOG_FORMAT,
            "filters": ["redact_secrets", "request_id"],
        },
        "security": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact_secrets", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "oia.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        # Django's own handlers for these skip the filter above; runserver's request lines hold the URL.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "ERROR"},  # its failures and lockouts are in the security log already
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Prometheus metrics (oia.metrics). /metrics answers only these networks (by
# oia.security.client_ip, so behind OIA_TRUSTED_PROXIES the client's address);
# anyone else gets 404. The Celery worker serves its own metrics on
# OIA_WORKER_METRICS_PORT (0: none) at OIA_WORKER_METRICS_ADDRESS. With several
# processes (gunicorn's workers, a prefork pool) set PROMETHEUS_MULTIPROC_DIR.
OIA_METRICS_ALLOWED_NETWORKS = env.list("OIA_METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
OIA_WORKER_METRICS_PORT = env.int("OIA_WORKER_METRICS_PORT", default=0)
OIA_WORKER_METRICS_ADDRESS = env("OIA_WORKER_METRICS_ADDRESS", default="0.0.0.0")

# The council report. Trips with a participant holding one of these titles are the mayor's.
OIA_MAYOR_TITLES = env.list(
    "OIA_MAYOR_TITLES", default=["Mayor", "Lord Mayor", "Oberbürgermeister", "Oberbürgermeisterin"]
)
# What a jubilee year may need from the programme budget (Stuttgart asks for about 25,000).
OIA_JUBILEE_BUDGET = env.int("OIA_JUBILEE_BUDGET", default=25000)
# The language the report is written in (its labels are frozen into each version): "en" or "de".
OIA_REPORT_LANGUAGE = env("OIA_REPORT_LANGUAGE", default=LANGUAGE_CODE)
# Report generation's time limits in seconds (0 turns one off). After the soft
# limit the task records "took longer than N seconds" and tries again; the
# hard limit kills the worker process (e.g. stuck printing the PDF) and the task
# goes back to the queue. Attempts are counted in the database: after
# OIA_REPORT_MAX_ATTEMPTS the request fails with the reason. Keep the hard
# limit above the soft one and below CELERY_VISIBILITY_TIMEOUT. The limits
# travel in the task's message, so web and worker need the same values.
OIA_REPORT_SOFT_TIME_LIMIT = env.int("OIA_REPORT_SOFT_TIME_LIMIT", default=300)
OIA_REPORT_TIME_LIMIT = env.int("OIA_REPORT_TIME_LIMIT", default=360)
OIA_REPORT_MAX_ATTEMPTS = env.int("OIA_REPORT_MAX_ATTEMPTS", default=3)
# Celery beat drafts the previous year's report on this day (MM-DD) and notifies the admins.
OIA_REPORT_DRAFT_ON = env("OIA_REPORT_DRAFT_ON", default="01-15")
# Test hook only (set by tests for a worker subprocess): pause this many seconds after a step.
OIA_REPORT_PAUSE_AFTER_STEP = ""
OIA_REPORT_PAUSE_SECONDS = 0
_DRAFT_MONTH, _DRAFT_DAY = (int(part) for part in OIA_REPORT_DRAFT_ON.split("-"))
CELERY_BEAT_SCHEDULE["annual-report-draft"] = {
    "task": "reports.tasks.report_schedule_annual_draft",
    "schedule": crontab(minute=0, hour=6, day_of_month=_DRAFT_DAY, month_of_year=_DRAFT_MONTH),
}
