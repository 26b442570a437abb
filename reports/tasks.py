"""Celery tasks of the reports app: thin, they take ids and call services."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oia.notifications import notify
from oia.roles import Role


@shared_task
def report_generate(request_id: int) -> int | None:
    """Build the version of one report request. Safe to run twice: the
    service makes at most one version per request."""
    from .services import report_generate as generate

    version = generate(request_id=request_id)
    return version.pk if version else None


@shared_task
def report_schedule_annual_draft() -> int:
    """Celery beat, on ``OIA_REPORT_DRAFT_ON`` (15 January): draft the previous
    year's report and tell the admins. Idempotent per year and day: the
    request's idempotency key is the year and the date."""
    from .services import report_request_create

    today = timezone.localdate()
    year = today.year - 1
    request, created = report_request_create(
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
