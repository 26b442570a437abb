"""The notifications page: each user sees only their own, and can mark them read."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from oia.models import Notification
from tests.factories import UserFactory

URL = reverse("notifications")
# Session, user, roles, the page count, the rows, the unread count (header and page share it).
QUERIES = 6


@pytest.fixture
def user(db):
    return UserFactory(role="council")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def make(user, text, *, minutes_ago=0, read=False):
    notification = Notification.objects.create(user=user, text=text, url="/delegations/coordination/")
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=notification.pk).update(created_at=created, read_at=created if read else None)
    return notification


def test_a_user_sees_only_their_own_notifications_newest_first(user_client, user):
    make(user, "Older message", minutes_ago=60)
    make(user, "Newer message", minutes_ago=5)
    make(UserFactory(), "Someone else's message")

    response = user_client.get(URL)

    html = response.content.decode()
    assert html.index("Newer message") < html.index("Older message")
    assert "Someone else" not in html
    assert [n.text for n in response.context["notifications"]] == ["Newer message", "Older message"]
    assert '<a href="/delegations/coordination/">Newer message</a>' in html


def test_unread_notifications_are_marked_in_words(user_client, user):
    make(user, "Already seen", read=True)
    make(user, "Not seen yet")

    html = user_client.get(URL).content.decode()

    assert html.count("<strong>Unread:</strong>") == 1
    assert re.search(r'<strong>Unread:</strong>\s*<a href="[^"]*">Not seen yet</a>', html)
    assert not re.search(r'<strong>Unread:</strong>\s*<a href="[^"]*">Already seen</a>', html)


def test_the_header_shows_the_unread_count(user_client, user):
    make(user, "One")
    make(user, "Two")
    make(user, "Three", read=True)
    make(UserFactory(), "Not mine")

    html = user_client.get(reverse("dashboard")).content.decode()

    assert '<span class="badge">2 unread</span>' in html


def test_mark_all_as_read_marks_only_the_users_own(user_client, user):
    mine = [make(user, "One"), make(user, "Two")]
    theirs = make(UserFactory(), "Not mine")

    response = user_client.post(URL, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    html = response.content.decode()
    assert "All notifications are marked as read." in html
    assert "unread</span>" not in html
    assert "<strong>Unread:</strong>" not in html
    assert "Mark all as read" not in html


def test_mark_all_as_read_keeps_the_time_already_read(user_client, user):
    earlier = make(user, "Read yesterday", minutes_ago=24 * 60, read=True)
    before = Notification.objects.get(pk=earlier.pk).read_at

    user_client.post(URL)

    assert Notification.objects.get(pk=earlier.pk).read_at == before


def test_the_button_posts_with_a_csrf_token(user_client, user):
    make(user, "One")

    html = user_client.get(URL).content.decode()

    assert f'<form method="post" action="{URL}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<button type="submit">Mark all as read</button>' in html


def test_the_list_is_paginated(user_client, user):
    for number in range(30):
        make(user, f"Message {number:02d}", minutes_ago=number)

    first = user_client.get(URL)
    second = user_client.get(URL, {"page": 2})

    assert len(first.context["notifications"]) == 25
    assert [n.text for n in second.context["notifications"]] == [f"Message {n:02d}" for n in range(25, 30)]


def test_no_notifications_says_so(user_client):
    html = user_client.get(URL).content.decode()

    assert "You have no notifications." in html
    assert html.count("<h1>") == 1


@pytest.mark.parametrize("count", [1, 40])
def test_the_page_runs_a_fixed_number_of_queries(user_client, user, django_assert_max_num_queries, count):
    for number in range(count):
        make(user, f"Message {number}")

    with django_assert_max_num_queries(QUERIES):
        response = user_client.get(URL)

    assert response.context["page_obj"].paginator.count == count


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
