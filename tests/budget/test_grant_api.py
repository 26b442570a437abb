"""The grants and exchanges API from the outside: leaders apply and log for
their own club, the office decides; refusals are 400 with a reason or 403."""

from decimal import Decimal

import pytest

from budget.models import BudgetLine, GrantRules
from oia.roles import Role
from tests.factories import BudgetLineFactory, ClubFactory, ExchangeFactory, GrantApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(leader):
    club = ClubFactory()
    club.leaders.add(leader)
    return club


def test_a_leader_applies_through_the_api_and_sees_the_allowed_amount(api_client, leader, club):
    partnership = ExchangeFactory(club=club).partnership
    api_client.force_authenticate(leader)

    response = api_client.post(
        "/api/grant-applications/",
        {
            "club": club.pk,
            "partnership": partnership.pk,
            "starts_on": "2027-04-01",
            "ends_on": "2027-04-05",
            "destination": "Kraków",
            "programme_summary": "Youth orchestra tour.",
            "travellers": 12,
            "students": 9,
            "total_costs": "5000.00",
            "own_contribution": "2000.00",
            "requested_amount": "1500.00",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["allowed_amount"] == "960.00", "9 of 12 is exactly 75 %: 12 × €80"


def test_an_application_asking_more_than_the_gap_is_refused_with_the_reason(api_client, leader, club):
    partnership = ExchangeFactory(club=club).partnership
    api_client.force_authenticate(leader)

    response = api_client.post(
        "/api/grant-applications/",
        {
            "club": club.pk,
            "partnership": partnership.pk,
            "starts_on": "2027-04-01",
            "ends_on": "2027-04-05",
            "destination": "Kraków",
            "programme_summary": "Tour.",
            "travellers": 12,
            "students": 0,
            "total_costs": "1000.00",
            "own_contribution": "800.00",
            "requested_amount": "500.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["requested_amount"] == [
        "Request at most the costs not covered by your own contribution (200.00)."
    ]


def test_staff_approve_through_the_api_and_the_line_shows_the_commitment(api_client, staff_user):
    line = BudgetLineFactory(category="grants", planned=5000)
    application = GrantApplicationFactory(travellers=20, students=10)
    api_client.force_authenticate(staff_user)

    response = api_client.post(
        f"/api/grant-applications/{application.pk}/approve/",
        {"approved_amount": "1000.00", "budget_line": line.pk, "conditions": "Send photos."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert BudgetLine.objects.with_amounts().get(pk=line.pk).committed == Decimal("1000.00")


def test_an_approval_over_the_rules_is_a_400_with_the_reason(api_client, staff_user):
    line = BudgetLineFactory(category="grants", planned=5000)
    application = GrantApplicationFactory(travellers=20, students=10)
    api_client.force_authenticate(staff_user)

    response = api_client.post(
        f"/api/grant-applications/{application.pk}/approve/",
        {"approved_amount": "1400.00", "budget_line": line.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["approved_amount"] == ["The rules allow at most €1,000.00 for this application."]


def test_staff_change_the_grant_rules_with_the_version_they_read(api_client, staff_user, club_leader_user):
    rules = GrantRules.current()
    api_client.force_authenticate(club_leader_user)
    assert api_client.get("/api/grant-rules/").status_code == 200
    refused = api_client.patch(f"/api/grant-rules/{rules.pk}/", {"base_rate": "1.00", "version": 1}, format="json")
    assert refused.status_code == 403

    api_client.force_authenticate(staff_user)
    changed = api_client.patch(f"/api/grant-rules/{rules.pk}/", {"base_rate": "60.00", "version": 1}, format="json")
    stale = api_client.patch(f"/api/grant-rules/{rules.pk}/", {"base_rate": "70.00", "version": 1}, format="json")

    assert changed.status_code == 200
    assert stale.status_code == 400
    assert GrantRules.current().base_rate == Decimal("60.00")


def test_staff_review_an_exchange_through_the_api(api_client, staff_user):
    exchange = ExchangeFactory()
    api_client.force_authenticate(staff_user)

    without_comment = api_client.post(f"/api/exchanges/{exchange.pk}/review/", {"decision": "returned"}, format="json")
    returned = api_client.post(
        f"/api/exchanges/{exchange.pk}/review/", {"decision": "returned", "comment": "Add photos."}, format="json"
    )

    assert without_comment.status_code == 400
    assert without_comment.json()["comment"] == ["Say what the club should change."]
    assert returned.status_code == 200
    assert returned.json()["review_status"] == "returned"


def test_an_exchange_edit_without_the_version_is_refused(api_client, leader, club):
    exchange = ExchangeFactory(club=club, review_status="draft")
    api_client.force_authenticate(leader)

    response = api_client.patch(f"/api/exchanges/{exchange.pk}/", {"title": "New"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize("url", ["/api/exchanges/", "/api/grant-applications/", "/api/grant-rules/"])
def test_council_members_are_refused(api_client, council_user, url):
    api_client.force_authenticate(council_user)

    assert api_client.get(url).status_code == 403


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
@pytest.mark.parametrize("role", [Role.STAFF, Role.CLUB_LEADER])
def test_a_trip_year_outside_1900_to_2200_answers_400_naming_the_range(api_client, user_for_role, role, value):
    api_client.force_authenticate(user_for_role(role))

    response = api_client.get("/api/grant-applications/", {"year": value})

    assert response.status_code == 400
    assert response.json() == {"year": ["Enter a year from 1900 to 2200."]}


def test_a_grant_rules_change_without_the_version_is_refused_in_words(api_client, staff_user):
    rules = GrantRules.current()
    api_client.force_authenticate(staff_user)

    response = api_client.patch(f"/api/grant-rules/{rules.pk}/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you read, so no edit is lost."]}
    assert GrantRules.current().version == rules.version


@pytest.mark.parametrize("field", ["travellers", "students"])
def test_a_number_of_travellers_beyond_the_database_integer_answers_400(api_client, leader, club, field):
    application = GrantApplicationFactory(club=club, status="draft")
    api_client.force_authenticate(leader)

    response = api_client.patch(
        f"/api/grant-applications/{application.pk}/", {field: 10**20, "version": application.version}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()


def test_the_schema_served_to_a_leader_documents_the_submit_answer_a_leader_receives(api_client, leader, club):
    """Found by schemathesis as a club leader: the answer to ``submit`` was
    documented with the office's fields (budget line, four-eyes override)."""
    application = GrantApplicationFactory(club=club, status="draft")
    api_client.force_authenticate(leader)

    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    answer = api_client.post(f"/api/grant-applications/{application.pk}/submit/")

    documented = schema["paths"]["/api/grant-applications/{id}/submit/"]["post"]["responses"]["200"]
    name = documented["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert answer.status_code == 200
    assert set(schema["components"]["schemas"][name]["required"]) <= set(answer.json())
    assert "budget_line" not in schema["components"]["schemas"][name]["properties"]
