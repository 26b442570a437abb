"""gunicorn's own logs: the access log without the secrets that travel in URLs
(see ``oia.security``), and, with ``OIA_LOG_FORMAT=json``, both the access and
the error log as the app's JSON lines, each request's line with its request id."""

import os

from gunicorn.glogging import Logger

from .logs import JsonFormatter, RedactSecretsFilter, redact
from .request_id import HEADER, RequestIdFilter, current_request_id


def log_format() -> str:
    """gunicorn reads no Django settings, so the settings' default is repeated:
    JSON under the production settings (wsgi.py's default), text otherwise."""
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "oia.settings.production")
    return os.environ.get("OIA_LOG_FORMAT", "json" if settings_module == "oia.settings.production" else "text")


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        if log_format() != "json":
            return
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
                handler.addFilter(RedactSecretsFilter())
                handler.addFilter(RequestIdFilter())

    def access(self, resp, req, environ, request_time):
        # The app's middleware has answered and forgotten the id; the response still carries it.
        headers = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
        request_id = next((value for name, value in headers if name.lower() == HEADER.lower()), None)
        token = current_request_id.set(request_id)
        try:
            super().access(resp, req, environ, request_time)
        finally:
            current_request_id.reset(token)

    def atoms(self, resp, req, environ, request_time):
        # The request line, path, referer and every environ value may hold one of our URLs.
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
