"""The Celery app. Configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oia.settings.local")

app = Celery("oia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def announce_worker(sender, **kwargs):
    """Let /readyz see a new worker at once instead of after beat's first minute."""
    sender.app.send_task("oia.tasks.record_worker_heartbeat")


@task_prerun.connect
def enter_audit_context(**kwargs):
    """The audit trail records the task's name with every change it makes."""
    from oia.audit import task_started

    task_started(**kwargs)


@task_postrun.connect
def leave_audit_context(**kwargs):
    from oia.audit import task_finished

    task_finished(**kwargs)
