"""Generating the report on a real Celery worker through the real Redis
broker and PostgreSQL: one version per request, whatever the broker does."""

import time

from reports.choices import RequestStatus, Step
from reports.models import ReportRequest, ReportVersion
from reports.services import report_request_create
from reports.tasks import report_generate
from tests.factories import DelegationFactory, UserFactory


def wait_for(condition, timeout=90, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


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
