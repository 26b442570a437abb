"""The networks API: office staff only, the same filter as the HTML list, and
memberships written through the service (a bad split is a 400 with the reason)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import FeeShare, Membership, NetworkRole
from oia.roles import Role
from tests.factories import DepartmentFactory, MembershipFactory, NetworkFactory, PersonFactory, UserFactory
from tests.networks.test_views import full_network, membership_with_split

# Role check, count, rows; memberships add their shares (with departments).
API_LIST_QUERIES = {
    "api:network-list": 3,
    "api:membership-list": 4,
    "api:network-role-list": 3,
}


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize("endpoint", sorted(API_LIST_QUERIES))
def test_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, endpoint, count):
    for _ in range(count):
        full_network()

    with django_assert_max_num_queries(API_LIST_QUERIES[endpoint]):
        response = staff_api.get(reverse(endpoint), {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] == count * (2 if endpoint == "api:network-role-list" else 1)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 401), (Role.CLUB_LEADER, 403), (Role.COUNCIL, 403), (Role.STAFF, 200), (Role.ADMIN, 200)],
)
@pytest.mark.parametrize("endpoint", sorted(API_LIST_QUERIES))
def test_office_staff_only(api_client, db, role, expected, endpoint):
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    assert api_client.get(reverse(endpoint)).status_code == expected


def test_networks_show_the_current_membership_and_filter_like_the_list(staff_api):
    network = NetworkFactory(name="Eurocities", acronym="EC")
    membership = membership_with_split(network, "16000")
    NetworkFactory(name="Mayors for Peace", acronym="")

    body = staff_api.get(reverse("api:network-list"), {"status": "active"}).json()

    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "Eurocities"
    assert row["current_membership"] == membership.pk
    assert row["membership_status"] == "active"
    assert row["yearly_fee"] == "16000.00"
    assert row["current_role_count"] == 0
    not_members = staff_api.get(reverse("api:network-list"), {"status": "none", "q": "mayors"}).json()
    assert [row["name"] for row in not_members["results"]] == ["Mayors for Peace"]
    assert not_members["results"][0]["membership_status"] is None


def test_a_network_is_created(staff_api):
    response = staff_api.post(reverse("api:network-list"), {"name": "Euregio", "scope": "regional"}, format="json")

    assert response.status_code == 201
    assert response.json()["membership_status"] is None


def eurocities_payload(network, departments, amounts=(7000, 4000, 3000, 2000), fee="16000.00"):
    return {
        "network": network.pk,
        "since": "1993-01-01",
        "lead_department": departments[0].pk,
        "yearly_fee": fee,
        "fee_shares": [
            {"department": department.pk, "amount": str(amount)}
            for department, amount in zip(departments, amounts, strict=False)
        ],
    }


@pytest.fixture
def departments(db):
    return [DepartmentFactory() for _ in range(4)]


def test_a_membership_is_created_with_its_split(staff_api, departments):
    network = NetworkFactory()

    response = staff_api.post(reverse("api:membership-list"), eurocities_payload(network, departments), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 1
    assert body["status"] == "active"
    assert [(share["department"], share["amount"]) for share in body["fee_shares"]] == [
        (departments[0].pk, "7000.00"),
        (departments[1].pk, "4000.00"),
        (departments[2].pk, "3000.00"),
        (departments[3].pk, "2000.00"),
    ]
    assert FeeShare.objects.filter(membership_id=body["id"]).count() == 4


def test_a_bad_split_is_a_400_with_the_reason(staff_api, departments):
    network = NetworkFactory()

    response = staff_api.post(
        reverse("api:membership-list"),
        eurocities_payload(network, departments, amounts=(7000, 4000, 3000, 1000)),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"fee_shares": ["The shares add up to €15,000.00 but the fee is €16,000.00."]}
    assert not Membership.objects.exists()


def test_a_duplicate_department_is_a_400(staff_api, departments):
    network = NetworkFactory()
    payload = eurocities_payload(network, [departments[0], departments[0]], amounts=(8000, 8000))

    response = staff_api.post(reverse("api:membership-list"), payload, format="json")

    assert response.status_code == 400
    assert "appears more than once" in response.json()["fee_shares"][0]


def test_an_update_needs_the_version_and_replaces_the_split(staff_api, departments):
    membership = membership_with_split(None, "1000", [(departments[0], Decimal("1000"))])
    url = reverse("api:membership-detail", args=[membership.pk])
    shares = [{"department": departments[1].pk, "amount": "600"}, {"department": departments[2].pk, "amount": "600"}]

    without_version = staff_api.patch(url, {"yearly_fee": "1200", "fee_shares": shares}, format="json")
    assert without_version.status_code == 400
    assert "version" in without_version.json()

    response = staff_api.patch(url, {"yearly_fee": "1200", "fee_shares": shares, "version": 1}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert {share["department"] for share in response.json()["fee_shares"]} == {departments[1].pk, departments[2].pk}

    stale = staff_api.patch(url, {"tier": "Associate", "version": 1}, format="json")
    assert stale.status_code == 400
    assert "Someone else changed this membership" in stale.json()["non_field_errors"][0]


def test_a_fee_change_without_a_new_split_is_checked_against_the_old_split(staff_api, departments):
    membership = membership_with_split(None, "1000", [(departments[0], Decimal("1000"))])

    response = staff_api.patch(
        reverse("api:membership-detail", args=[membership.pk]), {"yearly_fee": "1100", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fee_shares"] == ["The shares add up to €1,000.00 but the fee is €1,100.00."]
    assert Membership.objects.get(pk=membership.pk).yearly_fee == Decimal("1000.00")


def test_a_review_is_recorded(staff_api):
    membership = MembershipFactory()

    response = staff_api.post(
        reverse("api:membership-review", args=[membership.pk]),
        {"verdict": "reduce", "note": "Overlaps with the Covenant.", "next_review_on": days(200).isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["verdict"] == "reduce"
    assert response.json()["review_on"] == days(200).isoformat()
    bad = staff_api.post(
        reverse("api:membership-review", args=[membership.pk]),
        {"verdict": "keep", "note": "Fine.", "next_review_on": days(-1).isoformat()},
        format="json",
    )
    assert bad.status_code == 400
    assert "review_on" in bad.json()


def test_roles_are_created_and_filtered_by_current(staff_api):
    network = NetworkFactory()
    official = PersonFactory()
    url = reverse("api:network-role-list")

    created = staff_api.post(
        url,
        {
            "network": network.pk,
            "person": official.pk,
            "body": "Executive Committee",
            "title": "Treasurer",
            "starts_on": days(-100).isoformat(),
        },
        format="json",
    )
    NetworkRole.objects.create(
        network=network, person=official, body="Forum", title="Chair", starts_on=days(-900), ends_on=days(-1)
    )

    assert created.status_code == 201, created.json()
    assert created.json()["is_current"] is True
    assert [row["title"] for row in staff_api.get(url, {"current": "true"}).json()["results"]] == ["Treasurer"]
    assert [row["title"] for row in staff_api.get(url, {"current": "false"}).json()["results"]] == ["Chair"]


def test_a_role_cannot_end_before_it_starts_or_be_held_by_a_visitor(staff_api):
    network = NetworkFactory()
    url = reverse("api:network-role-list")
    payload = {"network": network.pk, "body": "Forum", "title": "Chair", "starts_on": "2024-04-01"}

    backwards = staff_api.post(url, {**payload, "person": PersonFactory().pk, "ends_on": "2024-03-01"}, format="json")
    visitor = staff_api.post(url, {**payload, "person": PersonFactory(department=None).pk}, format="json")

    assert backwards.status_code == 400
    assert backwards.json() == {"ends_on": ["The role cannot end before it starts."]}
    assert visitor.status_code == 400
    assert "person" in visitor.json()
    assert not NetworkRole.objects.exists()


@pytest.mark.parametrize("value", ["2", "-1", "yes"])
def test_held_today_other_than_true_or_false_answers_400(staff_api, value):
    response = staff_api.get(reverse("api:network-role-list"), {"current": value})

    assert response.status_code == 400
    assert response.json() == {"current": ["Enter true or false."]}
