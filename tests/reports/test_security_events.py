"""Publishing a report and making it public are security events: the log says who and which."""

from django.urls import reverse

from oia.roles import Role
from reports.choices import VersionStatus
from tests.factories import ReportVersionFactory, UserFactory
from tests.second_factor import sign_in


def test_publishing_and_making_public_are_logged_with_the_user(client, security_log, db):
    version = ReportVersionFactory(year=2025, number=3)
    sign_in(client, UserFactory(username="alexandra", role=Role.ADMIN))

    client.post(reverse("reports:version-publish", args=[version.pk]), REMOTE_ADDR="198.51.100.30")
    client.post(reverse("reports:version-public", args=[version.pk]), {"public": "1"})
    client.post(reverse("reports:version-public", args=[version.pk]), {"public": "0"})

    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    events = [
        (e["event"], e["user"], e["year"], e["version"]) for e in security_log if e["event"].startswith("report_")
    ]
    assert events == [
        ("report_published", "alexandra", 2025, 3),
        ("report_made_public", "alexandra", 2025, 3),
        ("report_made_private", "alexandra", 2025, 3),
    ]
    assert security_log.events("report_published")[0]["address"] == "198.51.100.30"


def test_publishing_through_the_api_is_logged(api_client, security_log, db):
    version = ReportVersionFactory(year=2024, number=1)
    api_client.force_authenticate(UserFactory(username="amir", role=Role.ADMIN))

    response = api_client.post(f"/api/reports/{version.request_id}/publish/", {"public": True}, format="json")

    assert response.status_code == 200, response.content
    assert [(e["event"], e["user"], e["year"]) for e in security_log if e["event"].startswith("report_")] == [
        ("report_published", "amir", 2024),
        ("report_made_public", "amir", 2024),
    ]
