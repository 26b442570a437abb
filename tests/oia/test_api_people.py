"""People and roles in the API (/api/accounts/): administrators list, read,
invite, change roles, deactivate and reactivate through oia.people's rules,
with the version they read; every other role is refused, from the outside."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from oia import people
from oia.roles import Role
from oia.tokens import Token
from tests.factories import ClubFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def account(api, person) -> dict:
    return api.get(reverse("api:account-detail", args=[person.pk])).json()


def post(api, name, person, data):
    return api.post(reverse(f"api:account-{name}", args=[person.pk]), data, format="json")


def invite(api, **fields):
    data = {"first_name": "Lena", "last_name": "Vogel", "email": "lena.vogel@example.org", "role": Role.STAFF}
    return api.post(reverse("api:account-list"), {**data, **fields}, format="json")


# --- reading ---------------------------------------------------------------------------


def test_administrators_read_each_account_with_its_roles_clubs_and_version(admin_api):
    club = ClubFactory(name="Cercle Lyon-Kiel")
    leader = UserFactory(first_name="Klara", last_name="Berg", role=Role.CLUB_LEADER)
    club.leaders.add(leader)

    listed = admin_api.get(reverse("api:account-list")).json()
    read = account(admin_api, leader)

    row = next(row for row in listed["results"] if row["id"] == leader.pk)
    assert row == read
    assert read["roles"] == [Role.CLUB_LEADER]
    assert read["clubs"] == [club.pk]
    assert read["is_active"] is True
    assert read["invited"] is False
    assert read["version"] == people.account_state(User.objects.get(pk=leader.pk))
    assert admin_api.get(reverse("api:account-detail", args=[10**12])).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "club_leader"}, {"Berg"}),
        ({"role": "oia_admin"}, {"Admin"}),
        ({"active": "false"}, {"Alt"}),
        ({"q": "kla ber"}, {"Berg"}),
        ({"q": "otto.alt@"}, {"Alt"}),
        ({"role": "oia_staff", "active": "true"}, set()),
    ],
)
def test_the_list_filters_by_role_and_active_and_searches_name_and_email(query, expected):
    api = APIClient()
    api.force_authenticate(UserFactory(last_name="Admin", role=Role.ADMIN))
    UserFactory(first_name="Klara", last_name="Berg", role=Role.CLUB_LEADER)
    UserFactory(username="otto", email="otto.alt@example.org", last_name="Alt", role=Role.STAFF, is_active=False)

    listed = api.get(reverse("api:account-list"), query).json()

    assert {row["last_name"] for row in listed["results"]} == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [({"role": "mayor"}, "role"), ({"active": "maybe"}, "active"), ({"q": "x" * 101}, "q"), ({"role": ""}, "role")],
)
def test_a_wrong_filter_answers_400_naming_it(admin_api, query, field):
    response = admin_api.get(reverse("api:account-list"), query)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_costs_the_same_queries_for_few_and_many(admin_api, django_assert_max_num_queries, size):
    club = ClubFactory()
    for number in range(size):
        person = UserFactory(role=[Role.STAFF, Role.CLUB_LEADER][number % 2])
        club.leaders.add(person)

    with django_assert_max_num_queries(6):
        response = admin_api.get(reverse("api:account-list"), {"page_size": 100})

    assert response.status_code == 200
    assert response.json()["count"] == size + 1


# --- inviting --------------------------------------------------------------------------


def test_an_administrator_invites_a_club_leader_for_their_clubs(admin_api, django_capture_on_commit_callbacks):
    clubs = ClubFactory.create_batch(2)

    with django_capture_on_commit_callbacks() as queued:
        response = invite(
            admin_api, email="Lena.Vogel@EXAMPLE.org", role=Role.CLUB_LEADER, clubs=[club.pk for club in clubs]
        )

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == body["email"] == "lena.vogel@example.org"
    assert body["roles"] == [Role.CLUB_LEADER]
    assert sorted(body["clubs"]) == sorted(club.pk for club in clubs)
    assert body["invited"] is True
    assert len(queued) == 1  # the invitation e-mail, sent by the worker after the commit


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"email": "x" * 140 + "@example.org"}, "email", "Ensure this field has no more than 150 characters."),
        ({"role": "mayor"}, "role", '"mayor" is not a valid choice.'),
        ({"role": Role.CLUB_LEADER}, "clubs", "Choose one for the role Club leader."),
        ({"role": Role.CLUB_LEADER, "clubs": [10**12]}, "clubs", "No such record: 1000000000000."),
        ({"role": Role.CLUB_LEADER, "clubs": list(range(1, 102))}, "clubs", "Send at most 100 ids."),
        ({"role": Role.CLUB_LEADER, "clubs": "1"}, "clubs", 'Expected a list of items but got type "str".'),
        ({"first_name": "Lena\x00"}, "first_name", "Null characters are not allowed."),
        ({"first_name": "Lena\nBcc: evil@example.org"}, "first_name", None),
        ({"first_name": ""}, "first_name", "This field may not be blank."),
        ({"last_name": 12}, "last_name", "Send text."),
        ({"email": "taken@example.org"}, "email", "Someone with this e-mail address has an account already."),
    ],
)
def test_an_invitation_is_refused_with_a_clear_message(admin_api, fields, field, message):
    UserFactory(username="taken", email="taken@example.org")

    response = invite(admin_api, **fields)

    assert response.status_code == 400, response.json()
    assert field in response.json()
    if message is not None:
        assert message in response.json()[field]
    assert not User.objects.filter(first_name__startswith="Lena").exists()


def test_clubs_go_only_with_the_club_leader_role(admin_api):
    club = ClubFactory()

    response = invite(admin_api, role=Role.COUNCIL, clubs=[club.pk])

    assert response.status_code == 400
    assert response.json() == {"clubs": ["Only with the role Club leader."]}


# --- changing roles, leavers -----------------------------------------------------------


def test_roles_are_changed_with_the_version_read_and_a_stale_one_is_refused(admin_api):
    club = ClubFactory()
    person = UserFactory(role=Role.CLUB_LEADER)
    club.leaders.add(person)
    read = account(admin_api, person)

    changed = post(admin_api, "roles", person, {"roles": [Role.CLUB_LEADER, Role.STAFF], "version": read["version"]})
    stale = post(admin_api, "roles", person, {"roles": [], "version": read["version"]})

    assert changed.status_code == 200
    assert changed.json()["roles"] == [Role.STAFF, Role.CLUB_LEADER]
    assert changed.json()["clubs"] == [club.pk]  # left out: kept
    assert changed.json()["version"] != read["version"]
    assert stale.status_code == 400
    assert stale.json() == {
        "version": ["This account has changed since you read it. Read it again and send its new version."]
    }
    assert people.roles_held(User.objects.get(pk=person.pk)) == [Role.STAFF, Role.CLUB_LEADER]


def test_a_role_taken_away_takes_its_clubs_and_a_change_needs_the_version(admin_api):
    club = ClubFactory()
    person = UserFactory(role=Role.CLUB_LEADER)
    club.leaders.add(person)
    version = account(admin_api, person)["version"]

    unversioned = post(admin_api, "roles", person, {"roles": [Role.COUNCIL]})
    changed = post(admin_api, "roles", person, {"roles": [Role.COUNCIL], "version": version})

    assert unversioned.status_code == 400
    assert unversioned.json() == {"version": ["This field is required."]}
    assert changed.json()["roles"] == [Role.COUNCIL]
    assert changed.json()["clubs"] == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"roles": ["mayor"]}, "roles"),
        ({"roles": "oia_staff"}, "roles"),
        ({"roles": [Role.STAFF], "clubs": [10**12]}, "clubs"),
        ({"roles": [Role.STAFF], "version": "x" * 65}, "version"),
    ],
)
def test_wrong_roles_are_refused_with_the_field_named(admin_api, data, field):
    person = UserFactory(role=Role.STAFF)

    response = post(admin_api, "roles", person, {"version": account(admin_api, person)["version"], **data})

    assert response.status_code == 400
    assert field in response.json()


def test_an_administrator_keeps_their_own_role_and_account(admin_api, admin_user_oia):
    UserFactory(role=Role.ADMIN)  # another administrator: not the last one
    version = account(admin_api, admin_user_oia)["version"]

    demoted = post(admin_api, "roles", admin_user_oia, {"roles": [Role.STAFF], "version": version})
    deactivated = post(admin_api, "deactivate", admin_user_oia, {"version": version})

    assert demoted.status_code == deactivated.status_code == 400
    assert demoted.json() == {"non_field_errors": ["You cannot take your own administrator role away."]}
    assert deactivated.json() == {"non_field_errors": ["You cannot deactivate your own account."]}
    assert people.roles_held(User.objects.get(pk=admin_user_oia.pk)) == [Role.ADMIN]


def test_a_leaver_is_deactivated_loses_their_tokens_and_is_reactivated(admin_api):
    person = UserFactory(role=Role.STAFF)
    Token.objects.create(user=person)

    deactivated = post(admin_api, "deactivate", person, {"version": account(admin_api, person)["version"]})
    again = post(admin_api, "deactivate", person, {"version": deactivated.json()["version"]})
    reactivated = post(admin_api, "reactivate", person, {"version": deactivated.json()["version"]})

    assert deactivated.status_code == 200
    assert deactivated.json()["is_active"] is False
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["This account is already deactivated."]}
    assert not Token.objects.filter(user=person).exists()
    assert reactivated.status_code == 200
    assert reactivated.json()["is_active"] is True


def test_an_invited_person_is_invited_again_and_a_signed_up_one_is_not(admin_api, django_capture_on_commit_callbacks):
    invited = User.objects.get(pk=invite(admin_api).json()["id"])
    colleague = UserFactory(role=Role.STAFF)

    with django_capture_on_commit_callbacks() as queued:
        again = post(admin_api, "invite-again", invited, {"version": account(admin_api, invited)["version"]})
    refused = post(admin_api, "invite-again", colleague, {"version": account(admin_api, colleague)["version"]})

    assert again.status_code == 200
    assert len(queued) == 1
    assert refused.status_code == 400
    assert refused.json() == {
        "non_field_errors": ["Only an invited person who has not set a password yet can be invited again."]
    }


# --- who may ---------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "api:account-list", False),
    ("post", "api:account-list", False),
    ("get", "api:account-detail", True),
    ("get", "api:account-history", True),
    ("post", "api:account-roles", True),
    ("post", "api:account-deactivate", True),
    ("post", "api:account-reactivate", True),
    ("post", "api:account-invite-again", True),
]


@pytest.mark.parametrize(("method", "name", "detail"), ENDPOINTS)
@pytest.mark.parametrize(
    ("role", "expected"), [(None, 401), (Role.STAFF, 403), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)]
)
def test_everyone_but_administrators_is_refused_with_a_token_or_without(method, name, detail, role, expected):
    person = UserFactory(role=Role.STAFF)
    before = people.account_state(person)
    api = APIClient()
    if role is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory(role=role))[1]}")
    # What an administrator's request would change: the roles, an invitation.
    data = {"roles": [Role.ADMIN], "version": before, "first_name": "A", "last_name": "B", "role": Role.ADMIN}
    data["email"] = "a.b@example.org"

    url = reverse(name, args=[person.pk] if detail else [])
    response = api.post(url, data, format="json") if method == "post" else api.get(url)

    assert response.status_code == expected
    assert people.account_state(User.objects.get(pk=person.pk)) == before
    assert not User.objects.filter(email="a.b@example.org").exists()


def test_an_administrators_token_reaches_the_accounts(db):
    admin = UserFactory(role=Role.ADMIN)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin)[1]}")

    assert api.get(reverse("api:account-list")).status_code == 200


def test_an_administrator_without_the_second_factor_is_refused(client):
    client.force_login(UserFactory(role=Role.ADMIN))  # signed in, no code entered

    assert client.get(reverse("api:account-list")).status_code == 403
