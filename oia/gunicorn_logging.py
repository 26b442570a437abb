"""gunicorn's access log without the secrets that travel in URLs (see ``oia.security``)."""

from gunicorn.glogging import Logger

from .logs import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        # The request line, path, referer and every environ value may hold one of our URLs.
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
