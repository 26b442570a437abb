"""The API base: authentication, JSON errors, pagination limits."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from oia.api.pagination import PageNumberPagination
from oia.roles import Role
from tests.factories import TEST_PASSWORD

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
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
