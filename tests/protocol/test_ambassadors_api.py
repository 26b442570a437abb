"""The city ambassadors' API: office staff only, the same filters as the
list page, writes through the services (versions, the official delegation),
lists in a fixed number of queries."""

import pytest

from delegations.models import Delegation
from oia.roles import Role
from protocol.models import Ambassador, AmbassadorActivity
from tests.factories import (
    AmbassadorActivityFactory,
    AmbassadorFactory,
    CityFactory,
    DelegationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AMBASSADORS = "/api/ambassadors/"
ACTIVITIES = "/api/ambassador-activities/"
# Roles, the count, the rows (with their person, city and activities counted, or ambassador and delegation).
API_LIST_QUERIES = 3


@pytest.mark.parametrize("url", [AMBASSADORS, ACTIVITIES])
@pytest.mark.parametrize("count", [1, 40])
def test_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, url, count):
    for _ in range(count):
        AmbassadorActivityFactory(kind="delegation", delegation=DelegationFactory(direction="inbound"))
    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = staff_api.get(url, {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER, None])
@pytest.mark.parametrize("url", [AMBASSADORS, ACTIVITIES])
def test_only_the_office_reads_and_writes(api_client, role, url):
    activity = AmbassadorActivityFactory()
    if role is not None:
        api_client.force_authenticate(UserFactory(role=role))
    expected = 403 if role else 401
    assert api_client.get(url).status_code == expected
    assert (
        api_client.get(f"{url}{activity.pk if url == ACTIVITIES else activity.ambassador_id}/").status_code == expected
    )
    assert api_client.post(url, {}, format="json").status_code == expected
    assert api_client.delete(f"{ACTIVITIES}{activity.pk}/?version=1").status_code == expected
    assert AmbassadorActivity.objects.count() == 1


def test_the_api_filters_as_the_page_does(staff_api):
    AmbassadorFactory(city=CityFactory(country="JP"), areas=["culture"], until=None)
    ended = AmbassadorFactory(city=CityFactory(country="US"), areas=["trade"], until="2024-06-30")
    assert [row["id"] for row in staff_api.get(AMBASSADORS, {"serving": "former"}).json()["results"]] == [ended.pk]
    assert staff_api.get(AMBASSADORS, {"area": "culture"}).json()["count"] == 1
    assert staff_api.get(AMBASSADORS, {"country": "US"}).json()["count"] == 1
    assert staff_api.get(AMBASSADORS, {"serving_on": "2024-06-30"}).json()["count"] == 2
    assert staff_api.get(AMBASSADORS, {"serving_on": "2024-07-01"}).json()["count"] == 1
    assert staff_api.get(AMBASSADORS, {"serving_on": "yesterday"}).status_code == 400
    assert staff_api.get(ACTIVITIES, {"year": "99999"}).status_code == 400


def test_appointing_validates_like_the_form(staff_api):
    person, city = PersonFactory(department=None), CityFactory()
    payload = {"person": person.pk, "city": city.pk, "tie": "Born here", "appointed_on": "2025-01-01"}
    backwards = staff_api.post(AMBASSADORS, {**payload, "until": "2024-01-01"}, format="json")
    created = staff_api.post(AMBASSADORS, {**payload, "areas": ["trade", "trade", "science"]}, format="json")
    twice = staff_api.post(AMBASSADORS, payload, format="json")
    wrong_area = staff_api.post(AMBASSADORS, {**payload, "areas": ["cooking"]}, format="json")

    assert backwards.status_code == 400
    assert "until" in backwards.json()
    assert created.status_code == 201
    assert created.json()["areas"] == ["trade", "science"]
    assert created.json()["version"] == 1
    assert twice.status_code == 400
    assert wrong_area.status_code == 400
    assert Ambassador.objects.count() == 1


def test_an_update_needs_the_version_it_read(staff_api):
    ambassador = AmbassadorFactory()
    url = f"{AMBASSADORS}{ambassador.pk}/"
    assert staff_api.patch(url, {"tie": "No version"}, format="json").status_code == 400
    assert staff_api.patch(url, {"tie": "First", "version": 1}, format="json").status_code == 200
    stale = staff_api.patch(url, {"tie": "Second", "version": 1}, format="json")
    assert stale.status_code in (400, 409)
    assert Ambassador.objects.get().tie == "First"
    assert staff_api.delete(url).status_code == 405


def test_an_activity_organising_a_delegation_makes_it_official(staff_api):
    ambassador = AmbassadorFactory()
    delegation = DelegationFactory(direction="inbound")
    base = {"ambassador": ambassador.pk, "date": "2026-02-01", "kind": "delegation", "description": "Brought them"}

    missing = staff_api.post(ACTIVITIES, base, format="json")
    created = staff_api.post(ACTIVITIES, {**base, "delegation": delegation.pk}, format="json")

    assert missing.status_code == 400
    assert "delegation" in missing.json()
    assert created.status_code == 201
    assert created.json()["delegation_title"] == delegation.title
    assert Delegation.objects.get(pk=delegation.pk).official_guest


def test_an_activity_is_deleted_with_its_version(staff_api):
    activity = AmbassadorActivityFactory()
    url = f"{ACTIVITIES}{activity.pk}/"
    assert staff_api.delete(url).status_code == 400
    assert staff_api.delete(f"{url}?version=7").status_code in (400, 409)
    assert staff_api.delete(f"{url}?version=1").status_code == 204
    assert not AmbassadorActivity.objects.exists()
