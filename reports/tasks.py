"""Celery tasks of the reports app: thin, they take ids and call services."""

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oia.notifications import notify
from oia.roles import Role

from . import services


class ReportGenerationTask(Task):
    """Hears of the hard time limit: the worker's main process calls
    ``on_failure`` after it killed the pool process running the task, before it
    puts the task back on the queue (``acks_on_timeout=False``)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if isinstance(exc, TimeLimitExceeded) and args:
            seconds = exc.args[0] if exc.args else settings.OIA_REPORT_TIME_LIMIT  # the limit in the message
            services.report_attempt_timed_out(request_id=args[0], seconds=seconds)
            connection.close()  # the worker's main process keeps no connection for its next pool process


@shared_task(
    bind=True,
    base=ReportGenerationTask,
    soft_time_limit=settings.OIA_REPORT_SOFT_TIME_LIMIT or None,
    time_limit=settings.OIA_REPORT_TIME_LIMIT or None,
    acks_on_timeout=False,
    max_retries=None,
)
def report_generate(self, request_id: int) -> int | None:
    """Build the version of one report request. Safe to run twice: the
    service makes at most one version per request, and counts the attempts
    (a soft time limit sends the task round again; the service stops after
    ``OIA_REPORT_MAX_ATTEMPTS``)."""
    try:
        version = services.report_generate(request_id=request_id)
    except services.AttemptTimedOut as exc:
        raise self.retry(exc=exc, countdown=0) from exc
    return version.pk if version else None


@shared_task
def report_schedule_annual_draft() -> int:
    """Celery beat, on ``OIA_REPORT_DRAFT_ON`` (15 January): draft the previous
    year's report and tell the admins. Idempotent per year and day: the
    request's idempotency key is the year and the date."""
    today = timezone.localdate()
    year = today.year - 1
    request, created = services.report_request_create(
        year=year, by=None, idempotency_key=f"scheduled-{year}-{today.isoformat()}"
    )
    if created:
        admins = get_user_model().objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        notify(
            admins.distinct(),
            text=_("The draft of the %(year)s council report is being generated; please review and publish it.")
            % {"year": year},
            url=reverse("reports:request-detail", args=[request.pk]),
        )
    return request.pk
