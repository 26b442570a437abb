"""The national days: the year's calendar (only posts open on the day, 29
February in other years), what the office did (once a year per post, on the
version read), the calendar feed and the dashboard's days coming up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from oia.models import CalendarFeedToken
from protocol import services
from protocol.models import NationalDayObservance
from protocol.national_days import national_days_coming, national_days_in
from tests.factories import ConsularPostFactory, NationalDayObservanceFactory, UserFactory

pytestmark = pytest.mark.django_db

CALENDAR = reverse("protocol:national-day-list")
RECORD = reverse("protocol:national-day-record")


def test_the_year_lists_the_national_days_in_date_order():
    ConsularPostFactory(name="France", national_day_month=7, national_day_day=14)
    ConsularPostFactory(name="Ireland", national_day_month=3, national_day_day=17)
    ConsularPostFactory(name="None", national_day_month=None, national_day_day=None)

    rows = national_days_in(2026)

    assert [(row.post.name, row.date) for row in rows] == [
        ("Ireland", datetime.date(2026, 3, 17)),
        ("France", datetime.date(2026, 7, 14)),
    ]


def test_29_february_is_kept_on_28_february_in_other_years():
    ConsularPostFactory(name="Leap", national_day_month=2, national_day_day=29)

    assert national_days_in(2027)[0].date == datetime.date(2027, 2, 28)
    assert national_days_in(2028)[0].date == datetime.date(2028, 2, 29)


def test_only_posts_open_on_their_national_day_are_listed():
    ConsularPostFactory(
        name="Closed before", national_day_month=7, national_day_day=14, closed_on=datetime.date(2026, 7, 1)
    )
    ConsularPostFactory(
        name="Closed after", national_day_month=7, national_day_day=14, closed_on=datetime.date(2026, 8, 1)
    )
    ConsularPostFactory(
        name="Opened after", national_day_month=7, national_day_day=14, opened_on=datetime.date(2026, 8, 1)
    )

    assert [row.post.name for row in national_days_in(2026)] == ["Closed after"]


def test_the_page_shows_the_year_and_what_the_office_did(staff_client):
    post = ConsularPostFactory(name="Consulate-General of France")
    NationalDayObservanceFactory(post=post, date=datetime.date(2026, 7, 14), kind="attended")

    page = staff_client.get(CALENDAR, {"year": 2026}).content.decode()

    assert "Consulate-General of France" in page
    assert "reception attended" in page
    assert "national-days/" in page
    assert ".ics" in page


@pytest.mark.parametrize("year", ["1899", "2201", "abc", "99999999999999999999"])
def test_a_year_out_of_bounds_answers_400_with_the_message(staff_client, year):
    response = staff_client.get(CALENDAR, {"year": year})

    assert response.status_code == 400
    assert "Enter a year from 1900 to 2200." in response.content.decode()


def test_the_calendar_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    for _ in range(2):
        NationalDayObservanceFactory(post=ConsularPostFactory(), date=datetime.date(2026, 7, 14))
    with django_assert_max_num_queries(12) as few:
        staff_client.get(CALENDAR, {"year": 2026})
    for _ in range(20):
        NationalDayObservanceFactory(post=ConsularPostFactory(), date=datetime.date(2026, 7, 14))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(CALENDAR, {"year": 2026}).status_code == 200


def test_staff_record_a_greeting_from_the_calendar(staff_client, staff_user):
    post = ConsularPostFactory()

    response = staff_client.post(RECORD, {"post": post.pk, "date": "2026-07-14", "kind": "greeting", "note": "Card"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?year=2026#national-day-{post.pk}")
    observance = NationalDayObservance.objects.get(post=post)
    assert (observance.kind, observance.note, observance.recorded_by) == ("greeting", "Card", staff_user)


def test_a_second_record_of_the_same_year_is_refused_with_a_message(staff_client):
    post = ConsularPostFactory()
    NationalDayObservanceFactory(post=post, date=datetime.date(2026, 7, 14), kind="greeting")

    response = staff_client.post(RECORD, {"post": post.pk, "date": "2026-07-14", "kind": "attended"}, follow=True)

    assert "is already recorded" in response.content.decode()
    assert NationalDayObservance.objects.get(post=post).kind == "greeting"


def test_a_change_on_the_version_read_is_saved_and_a_stale_one_refused(staff_client):
    post = ConsularPostFactory()
    observance = NationalDayObservanceFactory(post=post, date=datetime.date(2026, 7, 14), kind="greeting")
    data = {"post": post.pk, "date": "2026-07-14", "kind": "attended", "version": observance.version}

    staff_client.post(RECORD, data)
    stale = staff_client.post(RECORD, {**data, "kind": "none"}, follow=True)

    observance.refresh_from_db()
    assert (observance.kind, observance.version) == ("attended", 2)
    assert "Someone else changed this record" in stale.content.decode()


def test_a_day_that_is_not_the_posts_national_day_is_refused(staff_client):
    post = ConsularPostFactory()

    response = staff_client.post(RECORD, {"post": post.pk, "date": "2026-07-15", "kind": "greeting"}, follow=True)

    assert "This is not the national day of" in response.content.decode()
    assert not NationalDayObservance.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"post": "x", "date": "2026-07-14", "kind": "greeting"}, {"post": "1", "date": "nope", "kind": "hug"}],
)
def test_nonsense_is_refused_without_a_500(staff_client, data):
    response = staff_client.post(RECORD, data)

    assert response.status_code == 302
    assert not NationalDayObservance.objects.exists()


def test_represented_needs_someone_or_a_note():
    post = ConsularPostFactory()

    with pytest.raises(ValidationError, match="represented the city"):
        services.observance_record(post=post, date=datetime.date(2026, 7, 14), kind="represented")


def test_the_feed_lists_the_national_days_of_this_year_and_the_next(client, staff_user):
    post = ConsularPostFactory(
        name="Consulate of Ireland", national_day_month=3, national_day_day=17, national_day_name="St Patrick's Day"
    )
    ConsularPostFactory(name="Closed long ago", closed_on=datetime.date(2000, 1, 1))
    token = CalendarFeedToken.for_user(staff_user)

    response = client.get(reverse("protocol:national-day-ical", kwargs={"token": token.key}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    year = timezone.localdate().year
    assert {event.decoded("dtstart") for event in events} == {
        datetime.date(year, 3, 17),
        datetime.date(year + 1, 3, 17),
    }
    assert all(str(event["summary"]) == "National day: Consulate of Ireland (St Patrick's Day)" for event in events)
    assert all(str(event["url"]).endswith(f"/protocol/consular-posts/{post.pk}/") for event in events)


@pytest.mark.parametrize("case", ["unknown", "inactive", "council"])
def test_the_feed_refuses_a_token_that_does_not_count(client, db, case):
    user = UserFactory(role="council" if case == "council" else "oia_staff")
    key = CalendarFeedToken.for_user(user).key
    if case == "unknown":
        key = "not-a-token"
    if case == "inactive":
        user.is_active = False
        user.save()

    assert client.get(reverse("protocol:national-day-ical", kwargs={"token": key})).status_code == 404


def test_the_days_coming_up_are_the_next_two_weeks_in_one_query(django_assert_num_queries):
    today = datetime.date(2027, 2, 20)
    ConsularPostFactory(name="Leap day", national_day_month=2, national_day_day=29)
    ConsularPostFactory(name="In a week", national_day_month=2, national_day_day=27)
    ConsularPostFactory(name="Too far", national_day_month=3, national_day_day=10)
    ConsularPostFactory(name="Closed", national_day_month=2, national_day_day=21, closed_on=datetime.date(2027, 1, 1))

    with django_assert_num_queries(1):
        rows = national_days_coming(today)

    assert [(row.post.name, row.date) for row in rows] == [
        ("In a week", datetime.date(2027, 2, 27)),
        ("Leap day", datetime.date(2027, 2, 28)),
    ]


def test_the_dashboard_shows_the_national_days_coming_up(staff_client):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    ConsularPostFactory(name="Soon celebrated", national_day_month=soon.month, national_day_day=soon.day)

    page = staff_client.get(reverse("dashboard")).content.decode()

    assert "National days coming up" in page
    assert "Soon celebrated" in page
