"""The reports API: generating (admins), progress and figures (office),
publishing (admins), downloads; council members read published reports only."""

import pytest
from django.urls import reverse

from oia.roles import Role
from reports.choices import VersionStatus
from reports.models import ReportRequest
from tests.factories import ReportVersionFactory, UserFactory


@pytest.fixture
def as_role(api_client, db):
    def login(role):
        api_client.force_authenticate(UserFactory(username=f"{role}-api", role=role))
        return api_client

    return login


def test_admin_generates_with_an_idempotency_key_and_repeating_it_returns_the_same_request(
    as_role, django_capture_on_commit_callbacks
):
    api = as_role(Role.ADMIN)

    with django_capture_on_commit_callbacks() as queued:
        first = api.post(reverse("api:report-list"), {"year": 2025, "idempotency_key": "abc"}, format="json")
        again = api.post(reverse("api:report-list"), {"year": 2025, "idempotency_key": "abc"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "queued"
    assert ReportRequest.objects.count() == 1
    assert len(queued) == 1


@pytest.mark.parametrize(
    ("role", "expected"), [(None, 401), (Role.CLUB_LEADER, 403), (Role.COUNCIL, 403), (Role.STAFF, 403)]
)
def test_only_admins_may_generate(api_client, db, role, expected):
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    response = api_client.post(reverse("api:report-list"), {"year": 2025}, format="json")

    assert response.status_code == expected
    assert not ReportRequest.objects.exists()


def test_a_bad_year_is_a_400_in_words(as_role):
    response = as_role(Role.ADMIN).post(reverse("api:report-list"), {"year": 3000}, format="json")

    assert response.status_code == 400
    assert response.json()["year"][0].startswith("Choose a year between 1950 and")


def test_detail_shows_status_progress_and_figures(as_role):
    version = ReportVersionFactory(figures={"year": 2025, "sections": [{"key": "travel"}]})

    body = as_role(Role.STAFF).get(reverse("api:report-detail", args=[version.request_id])).json()

    assert body["status"] == "queued"
    assert body["version"]["number"] == version.number
    assert body["figures"] == {"year": 2025, "sections": [{"key": "travel"}]}
    assert body["version"]["pdf_url"] == reverse("api:report-download", args=[version.request_id, "pdf"])


def test_list_filters_by_year_and_status_and_council_sees_published_only(as_role):
    draft = ReportVersionFactory(year=2025)
    published = ReportVersionFactory(year=2024, status=VersionStatus.PUBLISHED)

    staff = as_role(Role.STAFF)
    assert [r["id"] for r in staff.get(reverse("api:report-list"), {"year": 2025}).json()["results"]] == [
        draft.request_id
    ]
    by_status = staff.get(reverse("api:report-list"), {"version_status": "published"}).json()["results"]
    assert [r["id"] for r in by_status] == [published.request_id]
    council = as_role(Role.COUNCIL)
    assert [r["id"] for r in council.get(reverse("api:report-list")).json()["results"]] == [published.request_id]
    assert council.get(reverse("api:report-detail", args=[draft.request_id])).status_code == 404


def test_publish_is_for_admins_and_supersedes_the_previous_version(as_role):
    older = ReportVersionFactory(year=2025, number=1, status=VersionStatus.PUBLISHED, public=True)
    newer = ReportVersionFactory(year=2025, number=2)

    assert as_role(Role.STAFF).post(reverse("api:report-publish", args=[newer.request_id])).status_code == 403
    response = as_role(Role.ADMIN).post(reverse("api:report-publish", args=[newer.request_id]))

    assert response.status_code == 200
    assert response.json()["version"]["status"] == "published"
    assert response.json()["version"]["public"] is True  # the year stays public
    older.refresh_from_db()
    assert older.status == VersionStatus.SUPERSEDED
    again = as_role(Role.ADMIN).post(reverse("api:report-publish", args=[newer.request_id]))
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["This version is already published."]}


def test_downloads(as_role):
    version = ReportVersionFactory(status=VersionStatus.PUBLISHED)

    response = as_role(Role.COUNCIL).get(reverse("api:report-download", args=[version.request_id, "xlsx"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content == b"PK stand-in"


@pytest.mark.parametrize("count", [1, 30])
def test_list_costs_a_fixed_number_of_queries(as_role, django_assert_max_num_queries, count):
    api = as_role(Role.STAFF)
    for year in range(1990, 1990 + count):
        ReportVersionFactory(year=year)

    with django_assert_max_num_queries(6):
        assert len(api.get(reverse("api:report-list")).json()["results"]) == count


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
@pytest.mark.parametrize("role", [Role.STAFF, Role.COUNCIL])
def test_a_year_outside_1900_to_2200_answers_400_naming_the_range(as_role, role, value):
    response = as_role(role).get(reverse("api:report-list"), {"year": value})

    assert response.status_code == 400
    assert response.json() == {"year": ["Enter a year from 1900 to 2200."]}


def test_publishing_with_public_other_than_true_or_false_is_refused_and_nothing_changes(as_role):
    version = ReportVersionFactory(year=2023)
    admin = as_role(Role.ADMIN)

    response = admin.post(reverse("api:report-publish", args=[version.request_id]), {"public": "yes"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"public": ["Send true or false."]}
    version.refresh_from_db()
    assert version.status != VersionStatus.PUBLISHED
