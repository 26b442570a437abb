"""The partners API: same filters as the UI, writes through the services,
club leaders limited to their own clubs."""

import datetime

import pytest
from django.urls import reverse

from oia.roles import Role
from partners.models import City, Partnership
from tests.factories import (
    CityFactory,
    ClubFactory,
    ContactFactory,
    PartnershipFactory,
    SubPartnershipFactory,
    UserFactory,
)

API_LIST_QUERIES = 6


@pytest.mark.parametrize("count", [1, 200])
def test_partnership_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    for _ in range(count):
        ClubFactory(partnerships=[PartnershipFactory()])

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = staff_api.get(reverse("api:partnership-list"), {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] == count


def test_partnership_shows_nested_current_status_and_next_anniversary(staff_api):
    partnership = PartnershipFactory(
        partner_city=CityFactory(name="Kraków", country="PL"),
        formalised_on=datetime.date(1991, 1, 1),
        formalised_year_only=True,
        status="dormant",
    )

    body = staff_api.get(reverse("api:partnership-detail", args=[partnership.pk])).json()

    assert body["partner_city"]["name"] == "Kraków"
    assert body["partner_city"]["region"] == "europe"
    assert body["current_status"]["status"] == "dormant"
    assert body["next_anniversary"]["years"] % 5 == 0
    assert body["next_anniversary"]["year_only"] is True


def test_api_filters_match_the_ui(staff_api):
    PartnershipFactory(partner_city=CityFactory(name="Łódź", country="PL"), status="frozen")
    PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"))

    by_search = staff_api.get(reverse("api:partnership-list"), {"q": "lodz"}).json()
    by_status = staff_api.get(reverse("api:partnership-list"), {"status": "frozen"}).json()

    assert [row["partner_city"]["name"] for row in by_search["results"]] == ["Łódź"]
    assert [row["partner_city"]["name"] for row in by_status["results"]] == ["Łódź"]


def test_create_partnership_through_the_api_records_its_first_status(staff_api):
    city = CityFactory(name="Eskişehir", country="TR")

    response = staff_api.post(
        reverse("api:partnership-list"),
        {
            "partner_city_id": city.pk,
            "kind": "twinning",
            "formalised_on": "2013-06-01",
            "areas": ["Culture"],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["current_status"]["status"] == "active"
    assert response.json()["areas"] == ["Culture"]


def test_invalid_partnership_gets_field_messages(staff_api):
    response = staff_api.post(
        reverse("api:partnership-list"),
        {
            "partner_city_id": CityFactory().pk,
            "kind": "project",
            "formalised_on": "2013-06-01",
            "ends_on": "2012-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "after" in response.json()["ends_on"][0]


def test_update_needs_the_current_version(staff_api):
    partnership = PartnershipFactory()
    url = reverse("api:partnership-detail", args=[partnership.pk])

    missing = staff_api.patch(url, {"notes": "x"}, format="json")
    stale = staff_api.patch(url, {"notes": "x", "version": partnership.version + 5}, format="json")
    fresh = staff_api.patch(url, {"notes": "ok", "version": partnership.version}, format="json")

    assert missing.status_code == 400
    assert stale.status_code == 400
    assert "Someone else changed" in str(stale.json())
    assert fresh.status_code == 200
    assert fresh.json()["notes"] == "ok"
    assert fresh.json()["version"] == partnership.version + 1


def test_status_changes_endpoint_lists_and_records(staff_api):
    partnership = PartnershipFactory()
    url = reverse("api:partnership-status-changes", args=[partnership.pk])

    created = staff_api.post(
        url, {"status": "frozen", "effective_on": "2024-01-10", "reason": "Council removed."}, format="json"
    )
    refused = staff_api.post(url, {"status": "frozen", "effective_on": "2024-01-11", "reason": "Again"}, format="json")
    history = staff_api.get(url).json()

    assert created.status_code == 201
    assert refused.status_code == 400
    assert [entry["status"] for entry in history] == ["frozen", "active"]


def test_club_leader_reads_only_their_own_clubs_partnerships(api_client, db):
    leader = UserFactory(role="club_leader")
    mine = PartnershipFactory()
    other = PartnershipFactory()
    club = ClubFactory(partnerships=[mine])
    club.leaders.add(leader)
    api_client.force_authenticate(leader)

    listed = api_client.get(reverse("api:partnership-list")).json()

    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert api_client.get(reverse("api:partnership-detail", args=[other.pk])).status_code == 404
    assert api_client.patch(reverse("api:partnership-detail", args=[mine.pk]), {"notes": "x"}).status_code == 403
    assert [row["id"] for row in api_client.get(reverse("api:club-list")).json()["results"]] == [club.pk]


@pytest.mark.parametrize("endpoint", ["api:city-list", "api:sub-partnership-list", "api:contact-list"])
@pytest.mark.parametrize("role", ["club_leader", "council"])
def test_roles_outside_the_office_are_refused(api_client, db, endpoint, role):
    ContactFactory()
    api_client.force_authenticate(UserFactory(role=role))

    assert api_client.get(reverse(endpoint)).status_code == 403


def test_council_cannot_read_partnerships(api_client, db):
    PartnershipFactory()
    api_client.force_authenticate(UserFactory(role="council"))

    assert api_client.get(reverse("api:partnership-list")).status_code == 403
    assert Partnership.objects.count() == 1


def _many(endpoint, count):
    """``count`` rows behind ``endpoint``, each with the relations its list shows."""
    for _ in range(count):
        partnership = PartnershipFactory()
        if endpoint == "api:club-list":
            ClubFactory(partnerships=[partnership]).leaders.add(UserFactory(role="club_leader"))
        elif endpoint == "api:contact-list":
            ContactFactory(partnership=partnership)
        elif endpoint == "api:sub-partnership-list":
            SubPartnershipFactory(partnership=partnership)


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize("endpoint", ["api:city-list", "api:club-list", "api:contact-list", "api:sub-partnership-list"])
def test_other_api_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, endpoint, count):
    _many(endpoint, count)

    with django_assert_max_num_queries(6):
        response = staff_api.get(reverse(endpoint), {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] >= count


BAD_YEARS = ["0", "99999", "1e16"]
YEAR_MESSAGE = "Enter a year from 1900 to 2200."


@pytest.mark.parametrize("value", BAD_YEARS)
@pytest.mark.parametrize(
    ("url", "name"),
    [("/api/partnerships/", "formalised_from"), ("/api/partnerships/", "formalised_to"), ("/api/exchanges/", "year")],
)
@pytest.mark.parametrize("role", [Role.STAFF, Role.CLUB_LEADER])
def test_a_year_outside_1900_to_2200_answers_400_naming_the_range(api_client, user_for_role, role, url, name, value):
    api_client.force_authenticate(user_for_role(role))

    response = api_client.get(url, {name: value})

    assert response.status_code == 400
    assert response.json() == {name: [YEAR_MESSAGE]}


@pytest.mark.parametrize("value", ["2", "-1"])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/partnerships/", "has_club"),
        ("/api/exchanges/", "reciprocity"),
        ("/api/sub-partnerships/", "active"),
        ("/api/clubs/", "in_umbrella_alliance"),
    ],
)
def test_a_yes_no_filter_other_than_true_or_false_answers_400(staff_api, url, name, value):
    response = staff_api.get(url, {name: value})

    assert response.status_code == 400
    assert response.json() == {name: ["Enter true or false."]}


def test_a_generated_yes_no_filter_still_filters(staff_api):
    SubPartnershipFactory(local_institution="Open school", active=True)
    SubPartnershipFactory(local_institution="Closed school", active=False)

    body = staff_api.get("/api/sub-partnerships/", {"active": "false"}).json()

    assert [row["local_institution"] for row in body["results"]] == ["Closed school"]


def test_a_population_beyond_the_database_integer_answers_400(staff_api):
    city = CityFactory()

    response = staff_api.patch(f"/api/cities/{city.pk}/", {"population": 10**20}, format="json")

    assert response.status_code == 400
    assert "population" in response.json()


CONTROL_CHARACTERS_REFUSED = (
    "This text contains invisible control characters (often copied from another program). Remove them and try again."
)


def test_a_city_name_with_a_control_character_or_a_line_break_is_refused(staff_api):
    url = reverse("api:city-list")

    pasted = staff_api.post(url, {"name": "Lyon\x0bMétropole", "country": "FR"}, format="json")
    two_lines = staff_api.post(url, {"name": "Lyon\nMétropole", "country": "FR"}, format="json")

    assert pasted.status_code == 400
    assert pasted.json()["name"] == [CONTROL_CHARACTERS_REFUSED]
    assert two_lines.status_code == 400
    assert two_lines.json()["name"] == ["Write this on one line, without line breaks or tabs."]
    assert not City.objects.exists()


def test_notes_may_span_lines_but_hold_no_control_character(staff_api):
    partnership = PartnershipFactory(notes="")
    url = reverse("api:partnership-detail", args=[partnership.pk])

    refused = staff_api.patch(url, {"notes": "Met the mayor\x07", "version": partnership.version}, format="json")
    accepted = staff_api.patch(
        url, {"notes": "Met the mayor.\n\tNext: the schools.", "version": partnership.version}, format="json"
    )

    assert refused.status_code == 400
    assert refused.json()["notes"] == [CONTROL_CHARACTERS_REFUSED]
    assert accepted.status_code == 200
    assert Partnership.objects.get(pk=partnership.pk).notes == "Met the mayor.\n\tNext: the schools."


def test_a_status_change_reason_with_a_control_character_is_refused(staff_api):
    partnership = PartnershipFactory()
    url = reverse("api:partnership-status-changes", args=[partnership.pk])

    response = staff_api.post(
        url, {"status": "frozen", "effective_on": "2024-01-10", "reason": "Council\x0bdecision"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["reason"] == [CONTROL_CHARACTERS_REFUSED]
    assert partnership.status_changes.count() == 1  # only the first status
