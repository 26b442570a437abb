"""Generating the report on a real Celery worker through the real Redis
broker and PostgreSQL: one version per request, whatever the broker does."""

import time

from django.urls import reverse

from reports.choices import RequestStatus, Step
from reports.models import ReportRequest, ReportVersion
from reports.services import report_request_create
from reports.tasks import report_generate
from tests.factories import DelegationFactory, UserFactory
from tests.second_factor import sign_in


def wait_for(condition, timeout=90, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def send_with_limits(request, *, soft, hard):
    """Queue the generation with the worker's time limits: a task's message
    carries the limits of the process that queued it (the same settings in
    production), and the worker applies those."""
    report_generate.apply_async((request.pk,), soft_time_limit=soft, time_limit=hard)


def test_request_is_generated_on_the_worker_and_queued_after_commit(celery_workers):
    celery_workers.start("one")
    admin = UserFactory(username="alexandra", role="oia_admin")
    DelegationFactory(status="completed", start_on="2025-04-01", end_on="2025-04-02")

    request, created = report_request_create(year=2025, by=admin)

    assert created
    assert wait_for(lambda: ReportRequest.objects.get(pk=request.pk).status == RequestStatus.DONE)
    version = ReportVersion.objects.get(request=request)
    assert (version.year, version.number, version.created_by) == (2025, 1, admin)
    assert bytes(version.pdf).startswith(b"%PDF")
    assert version.figures["sections"][0]["figures"][0]["value"] == 1


def test_the_same_request_delivered_twice_makes_one_version(celery_workers):
    celery_workers.start("one")
    request = ReportRequest.objects.create(year=2025)

    first = report_generate.delay(request.pk)
    second = report_generate.delay(request.pk)

    assert first.get(timeout=90) == second.get(timeout=90)
    assert ReportVersion.objects.filter(request=request).count() == 1
    assert ReportRequest.objects.get(pk=request.pk).status == RequestStatus.DONE


def test_a_worker_killed_mid_way_leaves_no_version_and_the_redelivered_task_completes(celery_workers):
    # The first worker pauses after printing the PDF; Redis gives unacknowledged tasks back after 3 s.
    doomed = celery_workers.start(
        "doomed", OIA_REPORT_PAUSE_AFTER_STEP=Step.PDF, OIA_REPORT_PAUSE_SECONDS=120, CELERY_VISIBILITY_TIMEOUT=3
    )
    request = ReportRequest.objects.create(year=2025)
    report_generate.delay(request.pk)
    assert wait_for(lambda: ReportRequest.objects.get(pk=request.pk).step == Step.PDF)
    time.sleep(2)  # printing takes about a second, then the worker pauses for two minutes

    celery_workers.kill(doomed)

    assert not ReportVersion.objects.filter(request=request).exists()
    assert ReportRequest.objects.get(pk=request.pk).status == RequestStatus.RUNNING

    celery_workers.start("rescuer", CELERY_VISIBILITY_TIMEOUT=3)

    assert wait_for(lambda: ReportRequest.objects.get(pk=request.pk).status == RequestStatus.DONE, timeout=120)
    assert ReportVersion.objects.filter(request=request).count() == 1
    assert ReportRequest.objects.get(pk=request.pk).attempts == 2


def test_a_generation_past_the_hard_time_limit_fails_after_three_attempts_with_the_reason_on_its_page(
    celery_workers, client
):
    # No soft limit, so nothing interrupts the pause: the pool process is killed after 2 s, every time.
    celery_workers.start(
        "stuck",
        pool="prefork",
        OIA_REPORT_SOFT_TIME_LIMIT=0,
        OIA_REPORT_TIME_LIMIT=2,
        OIA_REPORT_PAUSE_AFTER_STEP=Step.FIGURES,
        OIA_REPORT_PAUSE_SECONDS=30,
        CELERY_VISIBILITY_TIMEOUT=10,
    )
    request = ReportRequest.objects.create(year=2025)
    started = time.monotonic()

    send_with_limits(request, soft=None, hard=2)

    assert wait_for(lambda: ReportRequest.objects.get(pk=request.pk).status == RequestStatus.FAILED, timeout=40)
    request.refresh_from_db()
    assert request.attempts == 3
    assert request.last_error == "it took longer than 2 seconds"
    assert not ReportVersion.objects.filter(request=request).exists()
    assert time.monotonic() - started < 30  # three kills and a fourth delivery that does no work
    sign_in(client, UserFactory(username="alexandra", role="oia_admin"))
    page = client.get(reverse("reports:request-detail", args=[request.pk])).content.decode()
    assert (
        "The report could not be generated: it took longer than 2 seconds (gave up after 3 attempts). "
        "Please try again or contact the administrator."
    ) in page
    assert "Generate the report 2025 again" in page


def test_a_generation_past_the_soft_time_limit_is_tried_three_times_then_fails(celery_workers):
    # The soft limit interrupts the pause after 2 s; the hard limit (20 s) is never reached.
    celery_workers.start(
        "slow",
        pool="prefork",
        OIA_REPORT_SOFT_TIME_LIMIT=2,
        OIA_REPORT_TIME_LIMIT=20,
        OIA_REPORT_PAUSE_AFTER_STEP=Step.FIGURES,
        OIA_REPORT_PAUSE_SECONDS=30,
        CELERY_VISIBILITY_TIMEOUT=30,
    )
    request = ReportRequest.objects.create(year=2025)
    started = time.monotonic()

    send_with_limits(request, soft=2, hard=20)

    assert wait_for(lambda: ReportRequest.objects.get(pk=request.pk).status == RequestStatus.FAILED, timeout=40)
    request.refresh_from_db()
    assert request.attempts == 3
    assert request.failure_reason == (
        "The report could not be generated: it took longer than 2 seconds (gave up after 3 attempts). "
        "Please try again or contact the administrator."
    )
    assert not ReportVersion.objects.filter(request=request).exists()
    assert time.monotonic() - started < 20  # three attempts of about 2 s, no hard limit
