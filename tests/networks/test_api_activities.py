"""Meetings attended and outcomes of the memberships: recorded, edited and
deleted on the network's page and through the API, which offers the same
trips (outbound delegations) as the page's form."""

import datetime

import pytest
from django.urls import reverse

from networks.models import NetworkActivity
from oia.roles import Role
from tests.factories import DelegationFactory, NetworkActivityFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/network-activities/"
# Roles, the count, the rows with their trips.
API_LIST_QUERIES = 3


# --- the pages ---------------------------------------------------------------------


def test_an_activity_is_edited_and_deleted_from_the_networks_page(staff_client):
    activity = NetworkActivityFactory(title="Horizon call")
    detail = reverse("networks:network-detail", args=[activity.network_id])
    edit = reverse("networks:activity-edit", args=[activity.pk])
    delete = reverse("networks:activity-delete", args=[activity.pk])

    page = staff_client.get(detail).content.decode()
    edited = staff_client.post(
        edit, {"kind": "funding_lead", "date": "2025-07-01", "title": "Horizon Europe call", "note": ""}
    )
    question = staff_client.get(delete).content.decode()
    deleted = staff_client.post(delete)

    assert edit in page
    assert delete in page
    assert edited.status_code == 302
    assert edited["Location"] == f"{detail}#activities"
    assert "Do you really want to delete “Horizon Europe call”?" in question
    assert f'href="{detail}#activities"' in question
    assert deleted.status_code == 302
    assert not NetworkActivity.objects.exists()


def test_the_edit_form_offers_only_outbound_trips(staff_client):
    activity = NetworkActivityFactory()
    inbound = DelegationFactory(direction="inbound", title="Visitors from Lyon")

    response = staff_client.post(
        reverse("networks:activity-edit", args=[activity.pk]),
        {"kind": "meeting", "date": "2025-07-01", "title": "AGM", "delegation": inbound.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert NetworkActivity.objects.get(pk=activity.pk).delegation is None


@pytest.mark.parametrize("name", ["activity-edit", "activity-delete"])
@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
def test_only_the_office_edits_and_deletes_on_the_pages(client, name, role):
    activity = NetworkActivityFactory()
    client.force_login(UserFactory(role=role))

    response = client.post(reverse(f"networks:{name}", args=[activity.pk]), {"title": "x"})

    assert response.status_code == 403
    assert NetworkActivity.objects.filter(pk=activity.pk, title=activity.title).exists()


# --- the API -----------------------------------------------------------------------


def test_an_activity_is_recorded_edited_and_deleted_through_the_api(staff_api):
    network = NetworkFactory()
    trip = DelegationFactory(title="Eurocities AGM in Braga")

    created = staff_api.post(
        URL,
        {"network": network.pk, "kind": "meeting", "date": "2026-04-20", "title": "AGM", "delegation": trip.pk},
        format="json",
    )
    url = f"{URL}{created.json()['id']}/"
    edited = staff_api.patch(url, {"note": "Two project partners met.", "delegation": None}, format="json")
    deleted = staff_api.delete(url)

    assert created.status_code == 201, created.json()
    assert created.json()["delegation_title"] == "Eurocities AGM in Braga"
    assert edited.status_code == 200
    assert (edited.json()["note"], edited.json()["delegation"]) == ("Two project partners met.", None)
    assert deleted.status_code == 204
    assert not NetworkActivity.objects.exists()


def test_the_api_refuses_an_inbound_trip_as_the_form_does(staff_api):
    inbound = DelegationFactory(direction="inbound")

    response = staff_api.post(
        URL,
        {
            "network": NetworkFactory().pk,
            "kind": "meeting",
            "date": "2026-04-20",
            "title": "AGM",
            "delegation": inbound.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "delegation" in response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"date": "20.04.2026"}, "date"),
        ({"title": ""}, "title"),
        ({"title": "A\x0bGM"}, "title"),
        ({"network": 10**12}, "network"),
    ],
)
def test_bad_input_answers_400_naming_the_field(staff_api, payload, field):
    valid = {"network": NetworkFactory().pk, "kind": "expertise", "date": "2026-04-20", "title": "Housing"}

    response = staff_api.post(URL, {**valid, **payload}, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_the_list_filters_by_network_kind_and_year(staff_api):
    eurocities = NetworkFactory()
    wanted = NetworkActivityFactory(network=eurocities, kind="funding_lead", date=datetime.date(2025, 3, 1))
    NetworkActivityFactory(network=eurocities, kind="funding_lead", date=datetime.date(2024, 3, 1))
    NetworkActivityFactory(network=eurocities, kind="expertise", date=datetime.date(2025, 3, 1))
    NetworkActivityFactory(kind="funding_lead", date=datetime.date(2025, 3, 1))

    body = staff_api.get(URL, {"network": eurocities.pk, "kind": "funding_lead", "year": 2025}).json()
    bad_year = staff_api.get(URL, {"year": 99999})

    assert [row["id"] for row in body["results"]] == [wanted.pk]
    assert bad_year.status_code == 400
    assert bad_year.json() == {"year": ["Enter a year from 1900 to 2200."]}


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    for _ in range(count):
        NetworkActivityFactory(kind="meeting", delegation=DelegationFactory())
        NetworkActivityFactory()

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = staff_api.get(URL, {"page_size": 200})

    assert response.json()["count"] == 2 * count


@pytest.mark.parametrize(("role", "expected"), [(None, 401), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)])
def test_only_the_office_reads_and_writes_activities(api_client, role, expected):
    activity = NetworkActivityFactory()
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    answers = [
        api_client.get(URL).status_code,
        api_client.get(f"{URL}{activity.pk}/").status_code,
        api_client.post(URL, {"network": activity.network_id, "title": "x"}, format="json").status_code,
        api_client.patch(f"{URL}{activity.pk}/", {"title": "x"}, format="json").status_code,
        api_client.delete(f"{URL}{activity.pk}/").status_code,
    ]

    assert answers == [expected] * 5
    assert NetworkActivity.objects.filter(pk=activity.pk, title=activity.title).exists()
