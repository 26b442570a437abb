"""The Celery app. Configuration comes from Django settings (``CELERY_*``).

Its signals carry the request id (``oia.request_id``) from the request that
queued a task to the worker's log lines, count tasks for ``oia.metrics``, and
make the worker log through Django's LOGGING (JSON lines with
``OIA_LOG_FORMAT=json``) instead of Celery's own handlers.
"""

import os

from celery import Celery
from celery.signals import (
    before_task_publish,
    setup_logging,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    worker_init,
    worker_ready,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oia.settings.local")

app = Celery("oia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """Django's LOGGING for the worker and beat too: the same format, redaction
    and request ids as the web. Its level is LOG_LEVEL, not ``--loglevel``."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@worker_init.connect
def clear_metrics_files(**kwargs):
    """In multiprocess mode, the pool's counts start afresh (oia.metrics)."""
    from oia.metrics import clear_multiprocess_directory

    clear_multiprocess_directory()


@worker_ready.connect
def announce_worker(sender, **kwargs):
    """Let /readyz see a new worker at once instead of after beat's first minute."""
    sender.app.send_task("oia.tasks.record_worker_heartbeat")


@worker_ready.connect
def serve_worker_metrics(**kwargs):
    """The worker's metrics page on OIA_WORKER_METRICS_PORT, if set."""
    from django.conf import settings

    from oia.metrics import serve_worker_metrics

    if settings.OIA_WORKER_METRICS_PORT:
        serve_worker_metrics(settings.OIA_WORKER_METRICS_PORT, settings.OIA_WORKER_METRICS_ADDRESS)


@before_task_publish.connect
def send_request_id(headers=None, **kwargs):
    """A task queued while answering a request (or by another task) carries its id."""
    from oia.request_id import TASK_HEADER, current_request_id

    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


# What the request id was before each running task set its own (by task id).
_request_id_tokens: dict = {}


@task_prerun.connect
def enter_request_id(task_id=None, task=None, **kwargs):
    """The task's log lines carry the id of the request that queued it, or the
    task's own id when nothing did (a beat job). A task run eagerly inside a
    request keeps the request's id."""
    from oia.metrics import task_started
    from oia.request_id import TASK_HEADER, current_request_id

    around = current_request_id.get() if task.request.is_eager else None
    request_id = getattr(task.request, TASK_HEADER, None) or around or task_id
    _request_id_tokens[task_id] = current_request_id.set(request_id)
    task_started(task_id)


@task_postrun.connect
def leave_request_id(task_id=None, task=None, state=None, **kwargs):
    from oia.metrics import task_finished
    from oia.request_id import current_request_id

    task_finished(task, task_id, state)
    token = _request_id_tokens.pop(task_id, None)
    if token is not None:
        current_request_id.reset(token)


@task_failure.connect
def count_failure(sender=None, **kwargs):
    from oia.metrics import task_failed

    task_failed(sender)


@task_retry.connect
def count_retry(sender=None, **kwargs):
    from oia.metrics import task_retried

    task_retried(sender)


@task_prerun.connect
def enter_audit_context(**kwargs):
    """The audit trail records the task's name with every change it makes."""
    from oia.audit import task_started

    task_started(**kwargs)


@task_postrun.connect
def leave_audit_context(**kwargs):
    from oia.audit import task_finished

    task_finished(**kwargs)
