"""Notifications through the API: every signed-in role lists and marks its
own, as on /notifications/; another user's answers 404."""

import pytest
from django.urls import reverse

from oia.models import Notification
from oia.roles import Role
from tests.factories import UserFactory
from tests.oia.test_notifications import make

pytestmark = pytest.mark.django_db

URL = "/api/notifications/"
READ_ALL = "/api/notifications/read-all/"
ROLES = [Role.ADMIN, Role.STAFF, Role.COUNCIL, Role.CLUB_LEADER]
# Roles, the count, the rows.
API_LIST_QUERIES = 3


def read_url(notification):
    return reverse("api:notification-read", args=[notification.pk])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lists_only_its_own_notifications_newest_first(api_client, role):
    user = UserFactory(role=role)
    make(user, "Older", minutes_ago=60)
    make(user, "Newer", minutes_ago=5, read=True)
    make(UserFactory(role=role), "Someone else's")
    api_client.force_authenticate(user)

    body = api_client.get(URL).json()

    assert [row["text"] for row in body["results"]] == ["Newer", "Older"]
    assert [row["read"] for row in body["results"]] == [True, False]
    assert set(body["results"][0]) == {"id", "text", "url", "created_at", "read_at", "read"}


def test_the_list_filters_read_and_unread(api_client):
    user = UserFactory(role=Role.COUNCIL)
    make(user, "Unread")
    make(user, "Read", read=True)
    api_client.force_authenticate(user)

    unread = api_client.get(URL, {"read": "false"}).json()["results"]
    read = api_client.get(URL, {"read": "true"}).json()["results"]
    wrong = api_client.get(URL, {"read": "maybe"})

    assert [row["text"] for row in unread] == ["Unread"]
    assert [row["text"] for row in read] == ["Read"]
    assert wrong.status_code == 400
    assert wrong.json() == {"read": ["Enter true or false."]}


def test_listing_does_not_mark_them_read(api_client):
    user = UserFactory(role=Role.STAFF)
    notification = make(user, "Unread")
    api_client.force_authenticate(user)

    api_client.get(URL)
    api_client.get(f"{URL}{notification.pk}/")

    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_one_notification_is_marked_read_and_keeps_the_time_it_was_first_read(api_client):
    user = UserFactory(role=Role.CLUB_LEADER)
    notification = make(user, "Your exchange was accepted")
    other = make(user, "Still unread")
    api_client.force_authenticate(user)

    first = api_client.post(read_url(notification))
    again = api_client.post(read_url(notification))

    assert first.status_code == 200
    assert first.json()["read"] is True
    assert again.json()["read_at"] == first.json()["read_at"]
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_all_are_marked_read_at_once_as_the_pages_button_does(api_client):
    user = UserFactory(role=Role.COUNCIL)
    make(user, "One")
    make(user, "Two")
    make(user, "Read before", read=True)
    someone_else = make(UserFactory(), "Not mine")
    api_client.force_authenticate(user)

    first = api_client.post(READ_ALL)
    second = api_client.post(READ_ALL)

    assert first.json() == {"marked": 2}
    assert second.json() == {"marked": 0}
    assert not user.notifications.filter(read_at__isnull=True).exists()
    assert Notification.objects.get(pk=someone_else.pk).read_at is None


@pytest.mark.parametrize("role", ROLES)
def test_another_users_notification_is_not_found_for_any_role(api_client, role):
    theirs = make(UserFactory(role=role), "Not yours")
    api_client.force_authenticate(UserFactory(role=role))

    assert api_client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api_client.post(read_url(theirs)).status_code == 404
    api_client.post(READ_ALL)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_anonymous_is_refused(api_client):
    notification = make(UserFactory(), "Private")

    answers = [
        api_client.get(URL).status_code,
        api_client.get(f"{URL}{notification.pk}/").status_code,
        api_client.post(read_url(notification)).status_code,
        api_client.post(READ_ALL).status_code,
    ]

    assert answers == [401] * 4
    assert Notification.objects.get(pk=notification.pk).read_at is None


@pytest.mark.parametrize("count", [1, 60])
def test_the_list_runs_a_fixed_number_of_queries(api_client, django_assert_max_num_queries, count):
    user = UserFactory(role=Role.STAFF)
    for number in range(count):
        make(user, f"Message {number}", read=number % 2 == 0)
    api_client.force_authenticate(user)

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = api_client.get(URL, {"page_size": 200})

    assert response.json()["count"] == count
