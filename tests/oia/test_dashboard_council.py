"""The council member's dashboard: the published report of each year, newest
first, and never a draft."""

import pytest
from django.urls import reverse

from tests.factories import ReportVersionFactory

URL = reverse("dashboard")


@pytest.fixture
def council_client(client, council_user):
    client.force_login(council_user)
    return client


def test_council_members_see_the_published_reports_newest_first_and_no_draft(council_client):
    older = ReportVersionFactory(year=2024, status="published")
    newer = ReportVersionFactory(year=2025, status="published")
    draft = ReportVersionFactory(year=2026)

    html = council_client.get(URL).content.decode()

    assert html.index("Annual report 2025") < html.index("Annual report 2024")
    assert reverse("reports:version-detail", args=[newer.pk]) in html
    assert reverse("reports:version-download", args=[older.pk, "pdf"]) in html
    assert "Annual report 2026" not in html
    assert reverse("reports:version-detail", args=[draft.pk]) not in html


def test_without_a_published_report_the_dashboard_says_so(council_client):
    ReportVersionFactory(year=2026)

    assert "No report has been published yet." in council_client.get(URL).content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_the_council_dashboard_runs_a_fixed_number_of_queries(council_client, django_assert_num_queries, count):
    for year in range(2015, 2015 + count):
        ReportVersionFactory(year=year, status="published")
    council_client.get(URL)  # the session and the user's roles are read once per request

    # session, user, roles, unread notifications (header), the published reports
    with django_assert_num_queries(5):
        response = council_client.get(URL)

    assert response.status_code == 200
