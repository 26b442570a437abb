"""The staff calendar feeds (jubilees, delegations) share one helper: the
token in the address is the credential, and it only counts while its user
is active and in the office; the calendar is written by the icalendar
library, which escapes text and folds long lines as RFC 5545 asks."""

import pytest
from django.urls import reverse

from oia.calendar_feeds import fold_ical_line, ical_text
from oia.models import CalendarFeedToken
from tests.factories import UserFactory

FEEDS = ["partners:anniversaries-ical", "delegations:delegations-ical", "protocol:national-day-ical"]


@pytest.fixture(params=FEEDS)
def feed_url(request):
    return lambda key: reverse(request.param, kwargs={"token": key})


def test_ical_text_escapes_backslashes_and_newlines():
    assert ical_text("a\\b\nc\r\nd") == "a\\\\b\\nc\\nd"


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "Łódź " * 40

    folded = fold_ical_line(line)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert all(part.startswith(" ") for part in folded.split("\r\n")[1:])
    assert folded.replace("\r\n ", "") == line


def test_an_unknown_token_finds_no_feed(client, db, feed_url):
    assert client.get(feed_url("no-such-token")).status_code == 404


def test_the_feed_closes_when_the_user_leaves_the_office(client, office_user, feed_url):
    token = CalendarFeedToken.for_user(office_user)
    office_user.groups.clear()

    assert client.get(feed_url(token.key)).status_code == 404


def test_the_feed_closes_when_the_user_account_is_deactivated(client, office_user, feed_url):
    token = CalendarFeedToken.for_user(office_user)
    office_user.is_active = False
    office_user.save()

    assert client.get(feed_url(token.key)).status_code == 404


@pytest.mark.parametrize("role", ["council", "club_leader", None])
def test_users_outside_the_office_have_no_feed_even_with_a_token(client, db, feed_url, role):
    token = CalendarFeedToken.for_user(UserFactory(role=role))

    assert client.get(feed_url(token.key)).status_code == 404


@pytest.mark.parametrize(("language", "calendar_name"), [("de", "Delegationen"), ("en", "Delegations")])
def test_the_delegation_feed_uses_the_language_chosen_with_the_token(client, office_user, language, calendar_name):
    token = CalendarFeedToken.for_user(office_user)
    token.language = language
    token.save()
    other = "en" if language == "de" else "de"

    response = client.get(
        reverse("delegations:delegations-ical", kwargs={"token": token.key}), HTTP_ACCEPT_LANGUAGE=other
    )

    assert f"X-WR-CALNAME:{calendar_name}\r\n" in response.content.decode()
    assert response["Content-Language"] == language


def test_a_new_token_writes_its_feeds_in_the_site_s_language(office_user, settings):
    assert CalendarFeedToken.for_user(office_user).language == settings.LANGUAGE_CODE
