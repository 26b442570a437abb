"""The API base: authentication, JSON errors, pagination limits."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from oia.api.pagination import PageNumberPagination
from oia.roles import Role
from oia.tokens import Token
from tests.factories import TEST_PASSWORD, CityFactory, ClubFactory, PartnershipFactory

User = get_user_model()


def test_token_from_credentials_authenticates_api_requests(api_client, staff_user):
    response = api_client.post(reverse("api:token"), {"username": staff_user.username, "password": TEST_PASSWORD})
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get(reverse("api:me"))

    assert me.status_code == 200
    assert me.json() == {
        "username": staff_user.username,
        "full_name": staff_user.get_full_name(),
        "roles": ["oia_staff"],
    }


def test_wrong_password_gets_a_json_error_with_a_message(api_client, staff_user):
    response = api_client.post(reverse("api:token"), {"username": staff_user.username, "password": "wrong"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["non_field_errors"]


def test_missing_fields_are_named_in_the_error(api_client, db):
    response = api_client.post(reverse("api:token"), {})

    assert set(response.json()) == {"username", "password"}


def test_anonymous_request_gets_401_json(api_client, db):
    response = api_client.get(reverse("api:me"))

    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_unknown_api_address_answers_json_404(api_client, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.get("/api/does-not-exist/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_revoked_token_is_refused(api_client, user_for_role):
    user = user_for_role(Role.COUNCIL)
    token, key = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    token.delete()

    assert api_client.get(reverse("api:me")).status_code == 401


def test_a_client_cannot_ask_for_more_than_the_maximum_page_size(db):
    User.objects.bulk_create(User(username=f"bulk{i}") for i in range(205))
    request = Request(APIRequestFactory().get("/api/anything/", {"page_size": 1000}))

    page = PageNumberPagination().paginate_queryset(User.objects.order_by("pk"), request)

    assert len(page) == PageNumberPagination.max_page_size == 200


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "1e3", "null", "9999999999"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_a_page_or_page_size_that_is_no_whole_number_from_one_answers_400(api_client, staff_user, name, value):
    api_client.force_authenticate(staff_user)
    response = api_client.get(reverse("api:partnership-list"), {name: value})

    assert response.status_code == 400
    assert response.json() == {name: ["Enter a whole number from 1 up."]}


def test_a_page_past_the_last_answers_404(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    assert api_client.get(reverse("api:partnership-list"), {"page": 5}).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"population": "120000"}, "Send a whole number."),
        ({"population": True}, "Send a whole number."),
        ({"population": 1.5}, "Send a whole number."),
        ({"name": 12}, "Send text."),
        ({"latitude": 50.1}, "Send the amount as text, for example “1250.00”."),
        ({"latitude": ""}, "Send the amount as text, for example “1250.00”."),
        ({"latitude": "1e1"}, "Send the amount as text, for example “1250.00”."),
    ],
)
def test_a_json_body_sends_each_field_in_the_type_of_the_schema(api_client, staff_user, change, message):
    city = CityFactory(name="Lyon", population=500000)
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:city-detail", args=[city.pk]), change, format="json")

    assert response.status_code == 400
    assert response.json() == {next(iter(change)): [message]}
    city.refresh_from_db()
    assert (city.name, city.population) == ("Lyon", 500000)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"is_community_group": "true"}, "Send true or false."),
        ({"founded_on": "2026-1-5"}, "Send a date as YYYY-MM-DD."),
        ({"partnerships": ["1"]}, "Send a whole number."),
        ({"partnerships": 1}, "Send a list."),
    ],
)
def test_yes_no_dates_and_lists_of_ids_in_a_json_body_keep_their_types(api_client, staff_user, change, message):
    club = ClubFactory()
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:club-detail", args=[club.pk]), change, format="json")

    assert response.status_code == 400
    assert response.json() == {next(iter(change)): [message]}


def test_form_data_is_text_and_is_read_as_before(api_client, staff_user):
    city = CityFactory(population=500000)
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:city-detail", args=[city.pk]), {"population": "120000"})

    assert response.status_code == 200
    city.refresh_from_db()
    assert city.population == 120000


def test_an_empty_filter_value_in_the_api_is_refused_with_a_message(api_client, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.get(reverse("api:expense-list"), {"date_to": ""})

    assert response.status_code == 400
    assert response.json() == {"date_to": ["Give a value, or leave the filter out."]}


def test_a_one_value_filter_given_twice_is_refused_instead_of_taking_the_last(api_client, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.get(reverse("api:delegation-list") + "?partnership=1&partnership=2")

    assert response.status_code == 400
    assert response.json() == {"partnership": ["Give one value."]}


def test_a_filter_of_several_values_still_takes_them_all(api_client, staff_user):
    PartnershipFactory(kind="twinning")
    PartnershipFactory(kind="project")
    PartnershipFactory(kind="friendship")
    api_client.force_authenticate(staff_user)

    response = api_client.get(reverse("api:partnership-list") + "?kind=twinning&kind=project")

    assert response.status_code == 200
    assert sorted(row["kind"] for row in response.json()["results"]) == ["project", "twinning"]


def test_a_country_sent_as_an_object_is_refused(api_client, staff_user):
    city = CityFactory(country="FR")
    api_client.force_authenticate(staff_user)

    response = api_client.patch(reverse("api:city-detail", args=[city.pk]), {"country": {}}, format="json")

    assert response.status_code == 400
    assert response.json() == {"country": ["Send text."]}
