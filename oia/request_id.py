"""The request id: one token that ties together every log line of one request,
and of the Celery tasks it queued.

``RequestIdMiddleware`` takes the ``X-Request-ID`` a proxy or client sent if
it is a sane token (at most 64 of ``A-Z a-z 0-9 . _ -``), else makes one, and
answers with it. ``RequestIdFilter`` (on every log handler) puts it on each
record as ``request_id``. ``oia.celery`` sends it along in the headers of each
task queued meanwhile and sets it again in the worker while the task runs.

Loaded by the logging configuration before Django's apps: no model imports.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
# The Celery message header that carries the id to the worker.
TASK_HEADER = "oia_request_id"
SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("oia_request_id", default=None)


def accept_or_make(sent: str | None) -> str:
    """The id sent by the client or proxy if it is a sane token, else a new one
    (a malformed one could forge or break log lines)."""
    if sent and SANE.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (None outside a request or task) to every record."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get()
        return True


class RequestIdMiddleware:
    """Early in MIDDLEWARE, so every line logged while answering carries the id.
    The id stays set until the response is finished (``forget_request_id``):
    Django logs a 4xx answer ("Not Found: ...") after the middleware returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept_or_make(request.headers.get(HEADER))
        request.request_id = request_id
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def forget_request_id(**kwargs):
    current_request_id.set(None)
