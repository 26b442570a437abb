"""Attempts and time limits of the report generation, in-process: what one
delivery of the task does with the attempts already counted in the database.
The real worker's limits are tested in ``test_worker.py``."""

import pytest
import weasyprint
from billiard.exceptions import SoftTimeLimitExceeded
from django.urls import reverse

from oia.roles import Role
from reports.choices import RequestStatus, Step
from reports.models import ReportRequest, ReportVersion
from reports.services import AttemptTimedOut, report_generate
from tests.factories import UserFactory
from tests.second_factor import sign_in

GAVE_UP = (
    "The report could not be generated: {reason} (gave up after 3 attempts). "
    "Please try again or contact the administrator."
)


def test_the_fourth_delivery_does_no_work_and_fails_with_the_last_reason(db, django_assert_max_num_queries):
    # Three attempts started; the hard time limit ended the third one.
    request = ReportRequest.objects.create(
        year=2025, status=RequestStatus.RUNNING, step=Step.PDF, attempts=3, last_error="it took longer than 360 seconds"
    )

    with django_assert_max_num_queries(6):  # reading the figures alone takes about 30
        assert report_generate(request_id=request.pk) is None

    request.refresh_from_db()
    assert (request.status, request.attempts) == (RequestStatus.FAILED, 3)
    assert request.failure_reason == GAVE_UP.format(reason="it took longer than 360 seconds")
    assert not ReportVersion.objects.exists()


def test_a_worker_killed_during_the_last_attempt_is_the_reason_given(db):
    request = ReportRequest.objects.create(year=2025, status=RequestStatus.RUNNING, step=Step.PDF, attempts=3)

    report_generate(request_id=request.pk)

    request.refresh_from_db()
    assert request.status == RequestStatus.FAILED
    assert request.failure_reason == GAVE_UP.format(reason="the worker stopped before it was finished")


def test_a_delivery_with_attempts_left_counts_one_more_and_builds_the_version(db):
    request = ReportRequest.objects.create(
        year=2025, status=RequestStatus.RUNNING, attempts=2, last_error="it took longer than 360 seconds"
    )

    version = report_generate(request_id=request.pk)

    request.refresh_from_db()
    assert version is not None
    assert (request.status, request.attempts, request.last_error) == (RequestStatus.DONE, 3, "")


def test_a_failed_request_delivered_again_stays_failed_without_work(db, settings):
    settings.OIA_MAYOR_TITLES = None  # breaks the travel section
    request = ReportRequest.objects.create(year=2025)
    report_generate(request_id=request.pk)
    settings.OIA_MAYOR_TITLES = ["Mayor"]

    assert report_generate(request_id=request.pk) is None

    request.refresh_from_db()
    assert (request.status, request.attempts) == (RequestStatus.FAILED, 1)
    assert request.failure_reason.startswith("The report could not be built: TypeError")
    assert not ReportVersion.objects.exists()


@pytest.fixture
def printing_past_the_soft_limit(monkeypatch):
    """WeasyPrint is still printing when the worker's soft time limit strikes
    (the PDF renderer wraps what it raises in its own error)."""

    def write_pdf(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)


def test_past_the_soft_limit_an_attempt_records_why_and_asks_to_be_tried_again(db, printing_past_the_soft_limit):
    request = ReportRequest.objects.create(year=2025)

    with pytest.raises(AttemptTimedOut):
        report_generate(request_id=request.pk)

    request.refresh_from_db()
    assert (request.status, request.step, request.attempts) == (RequestStatus.QUEUED, Step.WAITING, 1)
    assert request.last_error == "it took longer than 300 seconds"
    assert request.failure_reason == ""


def test_past_the_soft_limit_the_last_attempt_fails_the_request(db, client, printing_past_the_soft_limit):
    request = ReportRequest.objects.create(year=2025, attempts=2, last_error="it took longer than 300 seconds")

    assert report_generate(request_id=request.pk) is None

    request.refresh_from_db()
    assert (request.status, request.attempts) == (RequestStatus.FAILED, 3)
    reason = GAVE_UP.format(reason="it took longer than 300 seconds")
    assert request.failure_reason == reason
    sign_in(client, UserFactory(username="alexandra", role=Role.ADMIN))
    page = client.get(reverse("reports:request-detail", args=[request.pk])).content.decode()
    assert reason in page
    assert "Generate the report 2025 again" in page
