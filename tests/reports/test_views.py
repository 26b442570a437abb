"""The report pages: generating, progress, reading, publishing, the public
address, comparing, and the frozen versions."""

import datetime
import re
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse
from django.utils import timezone

from oia.models import Notification
from oia.roles import Role
from reports.choices import RequestStatus, VersionStatus
from reports.models import ReportRequest, ReportVersion
from reports.services import report_generate, report_publish, report_request_create
from reports.tasks import report_schedule_annual_draft
from tests.factories import DelegationFactory, ReportVersionFactory, UserFactory
from tests.second_factor import sign_in


def login(client, role):
    user = UserFactory(username=f"{role}-viewer", role=role)
    sign_in(client, user)
    return user


def test_admin_generates_a_report_and_a_double_click_makes_one_request(client, db, django_capture_on_commit_callbacks):
    login(client, Role.ADMIN)
    data = {"year": 2025, "idempotency_key": "form-key-1"}

    with django_capture_on_commit_callbacks() as queued:
        first = client.post(reverse("reports:generate"), data)
        second = client.post(reverse("reports:generate"), data)

    request = ReportRequest.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:request-detail", args=[request.pk])
    assert (request.year, request.status) == (2025, RequestStatus.QUEUED)
    assert len(queued) == 1  # one task, queued after the commit


def test_a_year_in_the_future_is_refused_in_words(client, db):
    login(client, Role.ADMIN)
    next_year = datetime.date.today().year + 1

    response = client.post(reverse("reports:generate"), {"year": next_year, "idempotency_key": "k"})

    assert response.status_code == 200
    assert f"Choose a year between 1950 and {next_year - 1}." in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_progress_box_polls_until_the_report_is_done_and_works_without_javascript(client, db):
    login(client, Role.ADMIN)
    request = ReportRequest.objects.create(year=2025, status=RequestStatus.RUNNING, step="pdf")
    url = reverse("reports:request-detail", args=[request.pk])

    running = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert "Printing the PDF" in running
    assert f'<a href="{url}">Refresh</a>' in running

    report_generate(request_id=request.pk)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert "Open the report 2025, version 1" in done
    status = client.get(reverse("reports:request-status", args=[request.pk])).json()
    assert status["status"] == "done"
    assert status["version"] == request.version.pk


def test_failed_generation_says_why(client, db, settings):
    settings.OIA_MAYOR_TITLES = None  # breaks the travel section
    request = ReportRequest.objects.create(year=2025)

    assert report_generate(request_id=request.pk) is None

    request.refresh_from_db()
    assert request.status == RequestStatus.FAILED
    assert request.failure_reason.startswith("The report could not be built: TypeError")
    assert not ReportVersion.objects.exists()


def test_council_members_read_only_published_versions(client, db):
    draft = ReportVersionFactory(year=2025, number=2)
    published = ReportVersionFactory(year=2025, number=1, status=VersionStatus.PUBLISHED, html="<p>Published text</p>")
    login(client, Role.COUNCIL)

    index = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:version-detail", args=[published.pk]) in index
    assert reverse("reports:version-detail", args=[draft.pk]) not in index
    assert "Published text" in client.get(reverse("reports:version-detail", args=[published.pk])).content.decode()
    assert client.get(reverse("reports:version-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reports:version-download", args=[draft.pk, "pdf"])).status_code == 404
    pdf = client.get(reverse("reports:version-download", args=[published.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="council-report-2025-v1.pdf"'


def test_publishing_a_newer_version_supersedes_the_older_which_stays_readable(client, db):
    admin = login(client, Role.ADMIN)
    older = ReportVersionFactory(year=2025, number=1)
    newer = ReportVersionFactory(year=2025, number=2)
    report_publish(version=older, by=admin)

    client.post(reverse("reports:version-publish", args=[newer.pk]))

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status) == (VersionStatus.SUPERSEDED, VersionStatus.PUBLISHED)
    assert ReportVersion.objects.filter(year=2025, status=VersionStatus.PUBLISHED).count() == 1
    sign_in(client, UserFactory(username="clara", role=Role.COUNCIL))
    page = client.get(reverse("reports:version-detail", args=[older.pk])).content.decode()
    assert "This version has been superseded by a newer published version." in page
    with pytest.raises(ValidationError, match="cannot be published again"):
        report_publish(version=older, by=admin)


def test_only_one_published_version_per_year_even_bypassing_the_service(db):
    ReportVersionFactory(year=2025, number=1, status=VersionStatus.PUBLISHED)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersionFactory(year=2025, number=2, status=VersionStatus.PUBLISHED)


def test_a_saved_version_never_changes(db):
    version = ReportVersionFactory(status=VersionStatus.PUBLISHED)

    version.html = "<p>Edited</p>"
    with pytest.raises(ValidationError, match="cannot be changed"):
        version.save()
    with pytest.raises(InternalError, match="cannot be changed"), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(figures={"year": 1999, "sections": []})
    with pytest.raises(ValidationError, match="cannot be deleted"):
        version.delete()
    version.refresh_from_db()
    assert version.html == "<p>The report.</p>"


def test_anonymous_and_club_leaders_read_only_a_public_report(client, db):
    version = ReportVersionFactory(year=2025, status=VersionStatus.PUBLISHED, html="<p>For everyone</p>")
    public_url = reverse("reports:public", args=[2025])
    assert client.get(public_url).status_code == 404

    admin = UserFactory(username="alexandra", role=Role.ADMIN)
    sign_in(client, admin)
    client.post(reverse("reports:version-public", args=[version.pk]), {"public": "1"})
    client.logout()

    assert "For everyone" in client.get(public_url).content.decode()
    assert client.get(reverse("reports:public-download", args=[2025, "pdf"])).status_code == 200
    login(client, Role.CLUB_LEADER)
    assert client.get(reverse("reports:version-detail", args=[version.pk])).status_code == 403
    assert client.get(public_url).status_code == 200


def test_a_draft_cannot_be_made_public(client, db):
    draft = ReportVersionFactory()
    login(client, Role.ADMIN)

    response = client.post(reverse("reports:version-public", args=[draft.pk]), {"public": "1"}, follow=True)

    assert "Only the published version of a year can be made public." in response.content.decode()
    draft.refresh_from_db()
    assert not draft.public


def test_two_generations_of_unchanged_data_have_one_checksum_and_compare_equal(client, db):
    DelegationFactory(status="completed", start_on=datetime.date(2025, 3, 1))
    first = report_generate(request_id=ReportRequest.objects.create(year=2025).pk)
    second = report_generate(request_id=ReportRequest.objects.create(year=2025).pk)
    DelegationFactory(status="completed", start_on=datetime.date(2025, 4, 1))
    third = report_generate(request_id=ReportRequest.objects.create(year=2025).pk)

    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert first.checksum == second.checksum != third.checksum
    login(client, Role.STAFF)
    same = client.get(reverse("reports:compare"), {"a": first.pk, "b": second.pk}).content.decode()
    assert "No figure changed." in same
    changed = client.get(reverse("reports:compare"), {"a": first.pk, "b": third.pk}).content.decode()
    assert "Visits abroad" in changed


def test_beat_drafts_last_years_report_once_and_notifies_the_admins(db, django_capture_on_commit_callbacks):
    admin = UserFactory(username="alexandra", role=Role.ADMIN)
    UserFactory(username="stefan", role=Role.STAFF)

    with django_capture_on_commit_callbacks() as queued:
        first = report_schedule_annual_draft()
        again = report_schedule_annual_draft()

    assert first == again
    request = ReportRequest.objects.get()
    assert request.year == datetime.date.today().year - 1
    assert len(queued) == 1
    notification = Notification.objects.get()
    assert notification.user == admin
    assert notification.url == reverse("reports:request-detail", args=[request.pk])


def test_the_beat_schedule_runs_on_the_configured_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["annual-report-draft"]

    assert entry["task"] == "reports.tasks.report_schedule_annual_draft"
    assert entry["schedule"].day_of_month == {15}
    assert entry["schedule"].month_of_year == {1}


def test_index_costs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    login(client, Role.STAFF)
    ReportVersionFactory(year=2024)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:index")).status_code == 200
    for year in range(2000, 2024):
        ReportVersionFactory(year=year)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:index")).status_code == 200


def test_request_create_rejects_a_key_reused_for_another_year(db):
    report_request_create(year=2024, by=None, idempotency_key="same")

    with pytest.raises(ValidationError, match="already used"):
        report_request_create(year=2025, by=None, idempotency_key="same")


def test_without_weasyprint_the_request_fails_with_the_reason_and_nothing_is_saved(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as on a worker without the library
    request = ReportRequest.objects.create(year=2025)

    assert report_generate(request_id=request.pk) is None

    request.refresh_from_db()
    assert request.status == RequestStatus.FAILED
    assert request.step == "pdf"
    assert request.failure_reason.startswith(
        "The PDF could not be printed: WeasyPrint or the Pango library is missing on the worker"
    )
    assert not ReportVersion.objects.exists()


def test_a_failed_request_offers_admins_a_new_generation_of_its_year(client, db, django_capture_on_commit_callbacks):
    failed = ReportRequest.objects.create(
        year=2024, status=RequestStatus.FAILED, attempts=3, failure_reason="The report could not be generated: …"
    )
    url = reverse("reports:request-detail", args=[failed.pk])
    login(client, Role.STAFF)
    assert "Generate the report 2024 again" not in client.get(url).content.decode()  # staff may not generate
    login(client, Role.ADMIN)
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Generate the report 2024 again" in page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("reports:generate"), {"year": 2024, "idempotency_key": key})

    again = ReportRequest.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == reverse("reports:request-detail", args=[again.pk])
    assert (again.year, again.status, again.attempts) == (2024, RequestStatus.QUEUED, 0)
    assert len(queued) == 1
    assert client.get(reverse("reports:request-status", args=[failed.pk])).json()["attempts"] == 3


def test_the_progress_bar_counts_the_steps_and_ends_full_with_the_link(client, db):
    login(client, Role.STAFF)
    request = ReportRequest.objects.create(year=2025, status=RequestStatus.RUNNING, step="pdf")
    url = reverse("reports:request-detail", args=[request.pk])

    running = client.get(url).content.decode()
    assert '<progress id="request-progress" max="100" value="50"' in running
    assert "step 3 of 5: Printing the PDF" in running
    assert '<h1 id="request-title">Generating the report 2025</h1>' in running

    report_generate(request_id=request.pk)
    polled = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'value="100"' in polled
    assert "The report 2025 is ready." in polled
    assert '<h1 id="request-title" hx-swap-oob="true">The report 2025 is ready</h1>' in polled
    reloaded = client.get(url).content.decode()  # without JavaScript, a reload tells the state
    assert '<h1 id="request-title">The report 2025 is ready</h1>' in reloaded
    assert "hx-swap-oob" not in reloaded
    assert "being generated" not in reloaded
    assert client.get(reverse("reports:request-status", args=[request.pk])).json()["progress"] == 100


def test_publishing_asks_first_naming_year_and_version(client, db):
    login(client, Role.ADMIN)
    read_on = datetime.datetime(2025, 1, 15, tzinfo=datetime.UTC)
    version = ReportVersionFactory(year=2024, number=3, data_cut_off=read_on)
    detail = client.get(reverse("reports:version-detail", args=[version.pk])).content.decode()
    confirm_url = reverse("reports:version-publish-confirm", args=[version.pk])
    assert f'href="{confirm_url}"' in detail
    assert f'action="{reverse("reports:version-publish", args=[version.pk])}"' not in detail  # no one-click publishing

    page = client.get(confirm_url).content.decode()

    assert "Publish the report 2024, version 3?" in page
    assert "year-not-over" not in page  # read after the year ended
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    client.post(reverse("reports:version-publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    response = client.get(confirm_url)  # nothing left to confirm
    assert response["Location"] == reverse("reports:version-detail", args=[version.pk])


def test_the_confirmation_warns_when_the_data_were_read_before_the_year_ended(client, db):
    login(client, Role.ADMIN)
    early = ReportVersionFactory(year=2024, data_cut_off=datetime.datetime(2024, 11, 30, 12, tzinfo=datetime.UTC))
    running_year = ReportVersionFactory(year=datetime.date.today().year, data_cut_off=timezone.now())

    early_page = client.get(reverse("reports:version-publish-confirm", args=[early.pk])).content.decode()
    this_year = client.get(reverse("reports:version-publish-confirm", args=[running_year.pk])).content.decode()

    assert "were read on 30 November 2024, 13:00, before the year 2024 was over" in early_page
    assert f"The year {running_year.year} is not over yet" in this_year
