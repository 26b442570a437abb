"""Writes of the reports app: requesting a report, generating a version on
the worker, publishing it and making it public.

Generation is idempotent per request: the figures are read in one snapshot
(REPEATABLE READ), rendered outside any transaction, then the version is
written in ONE transaction that locks the request first. A second delivery
of the same task finds the version and stops; a worker killed before that
transaction commits leaves no version at all, and the redelivered task starts
again from the beginning. Progress (queued, running + step, done, failed) is
written in autocommit so the status page sees it while the task runs.
"""

import datetime
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oia import metrics
from oia.celery import app as celery_app
from oia.notifications import notify
from oia.roles import Role
from oia.security import log_event

from .choices import RequestStatus, Step, VersionStatus
from .models import ReportRequest, ReportVersion
from .render import RenderingError, render_html, render_pdf, render_xlsx
from .sections import build_figures

logger = logging.getLogger(__name__)
FIRST_YEAR = 1950
# The Celery task that builds a requested report (``tasks.report_generate``).
GENERATE_TASK = "reports.tasks.report_generate"
# The first key of the advisory lock that serialises one year's report writes.
LOCK_NAMESPACE = 0x4F4941


def validate_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year}}
        )


def report_request_create(*, year: int, by, idempotency_key: str | None = None) -> tuple[ReportRequest, bool]:
    """Ask the worker to build the report for ``year``. The same idempotency
    key returns the request already made instead of a second one."""
    validate_year(year)
    defaults = {"year": year, "requested_by": by}
    with transaction.atomic():
        if idempotency_key:
            request, created = ReportRequest.objects.get_or_create(idempotency_key=idempotency_key, defaults=defaults)
            if not created and request.year != year:
                raise ValidationError(
                    {
                        "idempotency_key": _("This key was already used to request the report for %(year)s.")
                        % {"year": request.year}
                    }
                )
        else:
            request, created = ReportRequest.objects.create(**defaults), True
        if created:
            # By name: the task calls this module, so this module does not import the task.
            transaction.on_commit(lambda: celery_app.send_task(GENERATE_TASK, args=[request.pk]))
    return request, created


def _progress(request_id: int, **fields) -> None:
    ReportRequest.objects.filter(pk=request_id).update(updated_at=timezone.now(), **fields)


def _pause_for_tests(step: str) -> None:
    """Test hook: lets a test kill the worker in the middle of a generation."""
    if settings.OIA_REPORT_PAUSE_AFTER_STEP == step and settings.OIA_REPORT_PAUSE_SECONDS:
        logger.warning("Pausing %s s after step %s (test setting).", settings.OIA_REPORT_PAUSE_SECONDS, step)
        time.sleep(settings.OIA_REPORT_PAUSE_SECONDS)


def read_figures(year: int) -> tuple[dict, str, str]:
    """All figures of ``year`` from one consistent snapshot of the database,
    with the snapshot's time as the data cut-off."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:  # must be the transaction's first statement
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # The figures are some thirty short queries whose estimates, with their
            # correlated subqueries, pass the JIT's threshold: compiling them took
            # longer than running them (a third of the time at ten times the data).
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SELECT now()")
            cut_off = timezone.localtime(cursor.fetchone()[0]).isoformat(timespec="seconds")
        figures, checksum = build_figures(year, cut_off=cut_off)
    return figures, checksum, cut_off


class AttemptTimedOut(Exception):
    """This attempt ran past the soft time limit and attempts are left: the
    task should send the request back to the queue."""


def timed_out(seconds: int) -> str:
    return _("it took longer than %(seconds)s seconds") % {"seconds": seconds}


def gave_up(reason: str, attempts: int) -> str:
    """The reason a user reads when no attempt is left."""
    return _(
        "The report could not be generated: %(reason)s (gave up after %(attempts)s attempts). "
        "Please try again or contact the administrator."
    ) % {"reason": reason, "attempts": attempts}


def _ran_out_of_time(exc: BaseException | None) -> bool:
    """The soft time limit, even when a renderer wrapped it in its own error."""
    while exc is not None:
        if isinstance(exc, SoftTimeLimitExceeded):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _attempt_start(request_id: int) -> ReportRequest | None:
    """Count this delivery as an attempt, in a short transaction of its own so
    the count survives a worker killed a moment later. Returns the request to
    work on, or None when there is nothing (more) to do: the version exists,
    the request failed for good, or the attempts are used up (a worker killed
    by the hard time limit or SIGKILL never got to say so; this delivery does)."""
    with transaction.atomic():
        request = ReportRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            logger.warning("Report request %s does not exist (any more).", request_id)
            return None
        if ReportVersion.objects.filter(request_id=request_id).exists():
            _progress(request_id, status=RequestStatus.DONE, step=Step.WAITING, failure_reason="")
            return None
        if request.status == RequestStatus.FAILED:
            return None
        last_error = request.last_error
        if request.status == RequestStatus.RUNNING and not last_error:
            last_error = _("the worker stopped before it was finished")
        if request.attempts >= settings.OIA_REPORT_MAX_ATTEMPTS:
            logger.warning("Report request %s: giving up after %s attempts.", request_id, request.attempts)
            _progress(
                request_id,
                status=RequestStatus.FAILED,
                step=Step.WAITING,
                last_error=last_error,
                failure_reason=gave_up(last_error, request.attempts),
            )
            return None
        request.attempts += 1
        _progress(
            request_id,
            status=RequestStatus.RUNNING,
            step=Step.FIGURES,
            failure_reason="",
            last_error="",
            attempts=request.attempts,
        )
    return request


def report_attempt_timed_out(*, request_id: int, seconds: int) -> None:
    """The hard time limit killed the worker process running this request (the
    worker calls this); the next delivery reads the reason."""
    metrics.report_generation_finished(outcome="timed_out")
    ReportRequest.objects.filter(pk=request_id, status=RequestStatus.RUNNING).update(
        last_error=timed_out(seconds), updated_at=timezone.now()
    )


def report_generate(*, request_id: int) -> ReportVersion | None:
    """Build the version of one request (the Celery task calls this).

    Past the soft time limit, the attempt records why and raises
    ``AttemptTimedOut`` while attempts are left; the last one fails the
    request. Any other error fails the request at once with the reason:
    generation errors (a bug, a missing library, odd data) come back on
    every attempt, and a new request can be made from the request's page.
    Each attempt is counted in ``oia_report_generations_total`` by outcome."""
    request = _attempt_start(request_id)
    if request is None:
        return ReportVersion.objects.filter(request_id=request_id).first()
    started = time.monotonic()
    try:
        with translation.override(settings.OIA_REPORT_LANGUAGE):
            figures, checksum, cut_off = read_figures(request.year)
            _pause_for_tests(Step.FIGURES)
            _progress(request_id, step=Step.HTML)
            html = render_html(figures)
            _progress(request_id, step=Step.PDF)
            number = _next_number(request.year)
            pdf = render_pdf(figures, number=number, cut_off=datetime.datetime.fromisoformat(cut_off))
            _pause_for_tests(Step.PDF)
            _progress(request_id, step=Step.XLSX)
            xlsx = render_xlsx(figures)
            _progress(request_id, step=Step.SAVING)
            version = _save_version(
                request_id=request_id,
                number=number,
                figures=figures,
                checksum=checksum,
                cut_off=cut_off,
                html=html,
                pdf=pdf,
                xlsx=xlsx,
                seconds=time.monotonic() - started,
            )
    except Exception as exc:  # a failed report must say why, not stay "running" for ever
        if _ran_out_of_time(exc):
            reason = timed_out(settings.OIA_REPORT_SOFT_TIME_LIMIT)
            logger.warning("Report request %s: attempt %s %s.", request_id, request.attempts, reason)
            metrics.report_generation_finished(outcome="timed_out")
            if request.attempts < settings.OIA_REPORT_MAX_ATTEMPTS:
                _progress(request_id, status=RequestStatus.QUEUED, step=Step.WAITING, last_error=reason)
                raise AttemptTimedOut(reason) from exc
            _progress(
                request_id,
                status=RequestStatus.FAILED,
                last_error=reason,
                failure_reason=gave_up(reason, request.attempts),
            )
            return None
        if isinstance(exc, RenderingError):
            reason = str(exc)
        else:
            logger.exception("Generating report request %s failed", request_id)
            reason = _("The report could not be built: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
        _progress(request_id, status=RequestStatus.FAILED, last_error=reason[:2000], failure_reason=reason[:2000])
        metrics.report_generation_finished(outcome="failed")
        return None
    metrics.report_generation_finished(outcome="succeeded", seconds=time.monotonic() - started)
    return version


def _lock_year(year: int) -> None:
    """Serialise writes of one year's versions (numbering, publishing)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [LOCK_NAMESPACE, year])


def _next_number(year: int) -> int:
    """The number the year's next version will most likely get (the PDF's cover
    names it); ``_save_version`` checks it under the year's lock."""
    return (ReportVersion.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def _save_version(*, request_id, number, figures, checksum, cut_off, html, pdf, xlsx, seconds) -> ReportVersion:
    request = ReportRequest.objects.select_for_update().get(pk=request_id)
    existing = ReportVersion.objects.filter(request=request).first()
    if existing is None:
        _lock_year(request.year)
        if _next_number(request.year) != number:
            # Another version of the year was saved while this one was printed: print its true number.
            number = _next_number(request.year)
            pdf = render_pdf(figures, number=number, cut_off=datetime.datetime.fromisoformat(cut_off))
        existing = ReportVersion.objects.create(
            year=request.year,
            number=number,
            request=request,
            created_by=request.requested_by,
            data_cut_off=cut_off,
            checksum=checksum,
            figures=figures,
            html=html,
            pdf=pdf,
            xlsx=xlsx,
            generation_seconds=round(seconds, 3),
        )
    request.status, request.step, request.failure_reason = RequestStatus.DONE, Step.WAITING, ""
    request.save(update_fields=["status", "step", "failure_reason", "updated_at"])
    return existing


@transaction.atomic
def report_publish(*, version: ReportVersion, by) -> ReportVersion:
    """Publish a draft; the year's published version (if any) is superseded and
    stays readable with a notice. A public year stays public. Council members
    are told (in the app, and by email where configured)."""
    _lock_year(version.year)
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED:
        raise ValidationError(_("This version is already published."))
    if version.status == VersionStatus.SUPERSEDED:
        raise ValidationError(_("A superseded version cannot be published again; generate a new one."))
    was_public = False
    for older in ReportVersion.objects.select_for_update().filter(year=version.year, status=VersionStatus.PUBLISHED):
        was_public = was_public or older.public
        older.status = VersionStatus.SUPERSEDED
        older.save(update_fields=["status"])
    version.status = VersionStatus.PUBLISHED
    version.public = was_public
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "public", "published_at", "published_by"])
    log_event("report_published", user=by, year=version.year, version=version.number, public=version.public)
    council = get_user_model().objects.filter(groups__name=Role.COUNCIL, is_active=True).distinct()
    notify(
        council,
        text=_("The annual report %(year)s to the city council is published (version %(number)s).")
        % {"year": version.year, "number": version.number},
        url=reverse("reports:version-detail", args=[version.pk]),
    )
    return version


@transaction.atomic
def report_set_public(*, version: ReportVersion, public: bool, by=None) -> ReportVersion:
    """Show (or stop showing) a published report at its public address."""
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if public and version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Only the published version of a year can be made public."))
    version.public = public
    version.save(update_fields=["public"])
    log_event(
        "report_made_public" if public else "report_made_private", user=by, year=version.year, version=version.number
    )
    return version
