"""Log formatting and cleaning, loaded by the logging configuration before
Django's apps (so no model imports here).

Secrets in URLs (calendar-feed tokens, password-reset links) are replaced by
``[redacted]`` in every log line that passes ``RedactSecretsFilter``, which
the logging configuration puts on every handler, and in gunicorn's access log
(``oia.gunicorn_logging``). ``JsonFormatter`` writes the security log, and
every other line too with ``OIA_LOG_FORMAT=json`` (the production default):
one formatter, so a log collector reads the same fields from the web, the
worker and gunicorn.
"""

import json
import logging
import re
from datetime import UTC, datetime

# Secrets that travel in a URL path: a calendar feed's token, a password-reset link's token.
SECRET_IN_PATH = re.compile(
    r"(?P<prefix>/(?:delegations/feed|partners/anniversaries)/)[^/\s.?\"']+"
    r"|(?P<reset>/accounts/reset/[^/\s?\"']+/)(?!done/)[^/\s?\"']+"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with every secret token in a URL replaced by ``[redacted]``."""
    return SECRET_IN_PATH.sub(lambda m: (m.group("prefix") or m.group("reset")) + REDACTED, text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request_id (``oia.request_id``,
    null outside a request or task), message or a security record's fields, and
    the exception's traceback if any. Our own few lines rather than
    python-json-logger's: the redaction and the security record's fields are
    most of it."""

    def format(self, record):
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", None),
        }
        security = getattr(record, "security", None)
        if security:
            data.update(security)
        else:
            data["message"] = redact(record.getMessage())
        if record.exc_info:
            data["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            data["exception"] = redact(record.exc_text)
        return json.dumps(data, ensure_ascii=False, default=str)


class RedactSecretsFilter(logging.Filter):
    """Replaces secret tokens in URLs in any log record (django.request, django.server, …)."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
