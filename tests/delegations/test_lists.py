"""The delegation list, the month calendar and the personal iCalendar feed."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape

from delegations.filters import DelegationFilter
from delegations.models import Delegation
from oia.models import CalendarFeedToken
from tests.factories import (
    CityFactory,
    DelegationFactory,
    DepartmentFactory,
    ParticipantFactory,
    PersonFactory,
    UserFactory,
)

LIST_URL = reverse("delegations:delegation-list")
CALENDAR_URL = reverse("delegations:calendar")
# Session, user, roles, unread notifications, the filter form's departments (its city
# picker reads only a chosen city), then the list's row count and rows, or the calendar's
# delegations and feed token (created on the first visit: select, savepoint, insert, release).
LIST_QUERY_LIMIT = 7
CALENDAR_QUERY_LIMIT = 11
# The calendar once its feed token exists (8), then one day's count and its page of delegations.
DAY_LIST_QUERY_LIMIT = 10


def feed_url(key):
    return reverse("delegations:delegations-ical", kwargs={"token": key})


def shown(response, titles):
    """Which of ``titles`` the page links to."""
    html = response.content.decode()
    return sorted(title for title in titles if f">{escape(title)}</a>" in html)


def calendar_days(response):
    """Each day cell of the calendar, as {date: [titles linked in it]}."""
    html = response.content.decode()
    days = {}
    for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S):
        found = re.search(r'datetime="(\d{4}-\d{2}-\d{2})"', cell)
        if found:
            day = datetime.date.fromisoformat(found[1])
            days[day] = re.findall(r'<a href="/[^"]*">([^<]*)</a>', cell)
    return days


@pytest.fixture
def january_delegations(db):
    """Four delegations, all touching January 2026, so the list and the calendar can be filtered alike."""
    culture = DepartmentFactory(name="Culture Office")
    mayor = DepartmentFactory(name="Mayor's Office")
    return {
        "Lyon visit": DelegationFactory(
            title="Lyon visit",
            city=CityFactory(name="Lyon", country="FR"),
            start_on=datetime.date(2026, 1, 10),
            department=culture,
        ),
        "Kraków guests": DelegationFactory(
            title="Kraków guests",
            direction="inbound",
            status="confirmed",
            official_guest=True,
            purpose="anniversary",
            city=CityFactory(name="Kraków", country="PL"),
            start_on=datetime.date(2026, 1, 12),
            department=mayor,
        ),
        "Dubai expo": DelegationFactory(
            title="Dubai expo",
            status="cancelled",
            purpose="trade_fair",
            city=CityFactory(name="Dubai", country="AE"),
            start_on=datetime.date(2025, 12, 30),
            end_on=datetime.date(2026, 1, 2),
            department=culture,
        ),
        "Accra network": DelegationFactory(
            title="Accra network",
            status="approved",
            purpose="network_meeting",
            city=None,
            country="GH",
            start_on=datetime.date(2026, 1, 20),
            department=mayor,
        ),
    }


FILTER_CASES = [
    ({}, ["Accra network", "Dubai expo", "Kraków guests", "Lyon visit"]),
    ({"direction": "inbound"}, ["Kraków guests"]),
    ({"direction": "outbound"}, ["Accra network", "Dubai expo", "Lyon visit"]),
    ({"status": ["approved", "cancelled"]}, ["Accra network", "Dubai expo"]),
    ({"year": "2025"}, ["Dubai expo"]),
    ({"purpose": ["anniversary", "network_meeting"]}, ["Accra network", "Kraków guests"]),
    ({"country": "PL"}, ["Kraków guests"]),
    ({"country": "GH"}, ["Accra network"]),
    ({"region": "mena"}, ["Dubai expo"]),
    ({"region": "europe"}, ["Kraków guests", "Lyon visit"]),
    ({"official_guest": "true"}, ["Kraków guests"]),
    ({"official_guest": "false"}, ["Accra network", "Dubai expo", "Lyon visit"]),
    ({"q": "EXPO"}, ["Dubai expo"]),
]


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_the_list_filters(office_client, january_delegations, params, expected):
    response = office_client.get(LIST_URL, params)

    assert response.status_code == 200
    assert shown(response, january_delegations) == expected


@pytest.mark.parametrize(("params", "expected"), FILTER_CASES)
def test_the_calendar_filters_like_the_list(office_client, january_delegations, params, expected):
    response = office_client.get(CALENDAR_URL, {"month": "2026-01", **params})

    assert response.status_code == 200
    assert shown(response, january_delegations) == expected


@pytest.mark.parametrize("url", [LIST_URL, CALENDAR_URL])
def test_filtering_by_department(office_client, january_delegations, url):
    mayor = january_delegations["Accra network"].department

    response = office_client.get(url, {"department": mayor.pk, "month": "2026-01"})

    assert shown(response, january_delegations) == ["Accra network", "Kraków guests"]


def test_the_list_shows_each_delegation_in_words(office_client):
    delegation = DelegationFactory(
        title="Study tour to Accra",
        city=None,
        country="GH",
        purpose="study_tour",
        status="approved",
        head_count=5,
        start_on=datetime.date(2026, 5, 4),
        end_on=datetime.date(2026, 5, 8),
        department=DepartmentFactory(name="Department of Urban Planning", short_name="Urban Planning"),
    )
    ParticipantFactory.create_batch(2, delegation=delegation)

    html = office_client.get(LIST_URL).content.decode()

    detail = reverse("delegations:delegation-detail", args=[delegation.pk])
    assert f'<a href="{detail}">Study tour to Accra</a>' in html
    assert '<time datetime="2026-05-04">' in html
    assert '<time datetime="2026-05-08">' in html
    assert '<td role="cell" data-label="Direction">Outbound (trip abroad)</td>' in html
    assert '<td role="cell" data-label="Destination / origin">Ghana</td>' in html
    assert '<td role="cell" data-label="Purpose">Study tour</td>' in html
    assert '<abbr title="Department of Urban Planning">Urban Planning</abbr>' in html
    assert '<td role="cell" data-label="Size">7</td>' in html  # two named participants and five further members
    assert '<td role="cell" data-label="Status"><span class="status status-approved">Approved</span></td>' in html
    assert "<caption" in html
    assert '<th scope="col">' in html


def test_the_list_stacks_its_rows_on_phones_each_cell_named_by_its_column(office_client):
    """Under 40 rem each row is a card: every cell carries its column's heading
    in data-label (shown before it by oia.css), in the reader's language."""
    DelegationFactory()

    html = office_client.get(LIST_URL).content.decode()

    assert '<table class="striped stack" role="table">' in html
    headings = re.findall(r'<th scope="col"[^>]*>(?:<a [^>]*>)?([^<]+)<', html)
    row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", html, re.S)[1]
    assert re.findall(r'<td role="cell" data-label="([^"]+)">', row) == headings
    german = office_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'data-label="Richtung"' in german


def test_the_list_links_to_the_other_delegation_pages(office_client):
    html = office_client.get(LIST_URL).content.decode()

    for name in ("delegation-create", "calendar", "coordination-list", "person-list"):
        assert f'href="{reverse(f"delegations:{name}")}' in html
    assert "<h1>Delegations</h1>" in html
    assert "No delegation matches these filters." in html


def test_the_list_sorts_by_title_start_and_status(office_client):
    DelegationFactory(title="Bravo", start_on=datetime.date(2026, 1, 1), status="submitted")
    DelegationFactory(title="Alpha", start_on=datetime.date(2026, 3, 1), status="approved")
    DelegationFactory(title="Charlie", start_on=datetime.date(2026, 2, 1), status="draft")

    def order(ordering):
        html = office_client.get(LIST_URL, {"ordering": ordering} if ordering else {}).content.decode()
        return re.findall(r">(Alpha|Bravo|Charlie)</a>", html)

    assert order("") == ["Alpha", "Charlie", "Bravo"]  # latest start first
    assert order("start") == ["Bravo", "Charlie", "Alpha"]
    assert order("title") == ["Alpha", "Bravo", "Charlie"]
    assert order("-title") == ["Charlie", "Bravo", "Alpha"]
    assert order("status") == ["Alpha", "Charlie", "Bravo"]
    html = office_client.get(LIST_URL, {"ordering": "title"}).content.decode()
    assert 'aria-sort="ascending"><a href="?ordering=-title">' in html


@pytest.mark.parametrize("count", [1, 200])
def test_the_list_runs_a_fixed_number_of_queries(office_client, django_assert_max_num_queries, count):
    city, department = CityFactory(), DepartmentFactory()
    delegations = DelegationFactory.create_batch(count, city=city, department=department, head_count=3)
    ParticipantFactory(delegation=delegations[0])

    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        response = office_client.get(LIST_URL)

    assert len(shown(response, [d.title for d in delegations])) == min(count, 25)


def test_the_list_costs_the_same_however_many_cities_and_people_there_are(office_client, django_assert_num_queries):
    """The city filter renders only the chosen city, so neither the queries nor
    the page grow with the cities and people recorded over the years."""
    city, department = CityFactory(name="Lyon"), DepartmentFactory()
    DelegationFactory.create_batch(3, city=city, department=department, start_on=datetime.date(2026, 4, 1))
    params = {"year": "2026", "city": str(city.pk)}
    with CaptureQueriesContext(connection) as few:
        small = office_client.get(LIST_URL, params)

    others = CityFactory.create_batch(300)
    PersonFactory.create_batch(300, department=department)  # the city's departments are few
    with django_assert_num_queries(len(few.captured_queries)):
        large = office_client.get(LIST_URL, params)

    assert large.status_code == small.status_code == 200
    assert len(large.content) == len(small.content)
    assert f"{others[-1].name} (FR)" not in large.content.decode()


@pytest.mark.parametrize("count", [1, 200])
def test_the_calendar_runs_a_fixed_number_of_queries(office_client, django_assert_max_num_queries, count):
    city, department = CityFactory(), DepartmentFactory()
    delegations = DelegationFactory.create_batch(count, city=city, department=department)

    with django_assert_max_num_queries(CALENDAR_QUERY_LIMIT):
        response = office_client.get(CALENDAR_URL, {"month": "2026-04"})

    days = calendar_days(response)
    # A day lists its first three delegations and links to the others.
    assert len(days[datetime.date(2026, 4, 21)]) == min(count, 3)
    assert len(shown(response, [d.title for d in delegations])) == min(count, 3)
    assert f"{count} delegation{'s' if count > 1 else ''} this month." in response.content.decode()


def more_links(response):
    """Each day's "+N more" link, as {date: (N, href)}."""
    pattern = r'<a class="calendar-more" href="([^"]*day=(\d{4}-\d{2}-\d{2})[^"]*)">\+(\d+) more'
    return {
        datetime.date.fromisoformat(day): (int(more), href.replace("&amp;", "&"))
        for href, day, more in re.findall(pattern, response.content.decode())
    }


def test_a_busy_day_shows_three_delegations_and_how_many_more(office_client):
    # Twelve on the 6th of May, of which three also on the 5th; one alone on the 20th.
    for n in range(12):
        DelegationFactory(title=f"Busy {n:02d}", start_on=datetime.date(2026, 5, 5 if n < 3 else 6))
    DelegationFactory(title="Quiet", start_on=datetime.date(2026, 5, 20), end_on=datetime.date(2026, 5, 20))

    response = office_client.get(CALENDAR_URL, {"month": "2026-05", "direction": "outbound"})

    days = calendar_days(response)
    assert days[datetime.date(2026, 5, 5)] == ["Busy 00", "Busy 01", "Busy 02"]
    assert days[datetime.date(2026, 5, 6)] == ["Busy 00", "Busy 01", "Busy 02"]
    assert days[datetime.date(2026, 5, 20)] == ["Quiet"]
    more = more_links(response)
    assert sorted(more) == [datetime.date(2026, 5, 6), datetime.date(2026, 5, 7), datetime.date(2026, 5, 8)]
    assert more[datetime.date(2026, 5, 6)][0] == 9
    assert more[datetime.date(2026, 5, 8)][0] == 6  # the three of the 5th ended on the 7th
    assert more[datetime.date(2026, 5, 6)][1] == "?month=2026-05&day=2026-05-06&direction=outbound#day-list"
    assert '+9 more <span class="visually-hidden">delegations on 6 May 2026</span>' in response.content.decode()
    assert "13 delegations this month." in response.content.decode()


def test_the_more_link_lists_every_delegation_of_the_day_a_page_at_a_time(office_client):
    for n in range(30):
        DelegationFactory(title=f"Busy {n:02d}", start_on=datetime.date(2026, 5, 6))
    DelegationFactory(title="Inbound guests", direction="inbound", start_on=datetime.date(2026, 5, 6))
    DelegationFactory(title="The day before", start_on=datetime.date(2026, 5, 1), end_on=datetime.date(2026, 5, 5))
    params = {"month": "2026-05", "day": "2026-05-06", "direction": "outbound"}

    first = office_client.get(CALENDAR_URL, params)
    second = office_client.get(CALENDAR_URL, {**params, "page": "2"})

    html = first.content.decode()
    assert first.status_code == 200
    assert '<h2 id="day-heading">30 delegations on Wednesday, 6 May 2026</h2>' in html
    day_list = html[html.index('id="day-list"') :]
    assert re.findall(r">(Busy \d\d)</a>", day_list) == [f"Busy {n:02d}" for n in range(25)]
    assert "The day before" not in day_list
    assert "Inbound guests" not in day_list
    assert 'href="?month=2026-05&amp;day=2026-05-06&amp;direction=outbound&amp;page=2" rel="next"' in html
    later = second.content.decode()
    assert re.findall(r">(Busy \d\d)</a>", later[later.index('id="day-list"') :]) == [
        f"Busy {n:02d}" for n in range(25, 30)
    ]


@pytest.mark.parametrize("count", [1, 60])
def test_the_list_of_a_day_runs_a_fixed_number_of_queries(office_client, django_assert_max_num_queries, count):
    DelegationFactory.create_batch(count, city=CityFactory(), department=DepartmentFactory())
    office_client.get(CALENDAR_URL)  # the feed token is made on the first visit

    with django_assert_max_num_queries(DAY_LIST_QUERY_LIMIT):
        response = office_client.get(CALENDAR_URL, {"month": "2026-04", "day": "2026-04-21"})

    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r">Trip \d+</a>", html[html.index('id="day-list"') :])) == min(count, 25)


@pytest.mark.parametrize(
    "day", ["2026-05-32", "2026-06-01", "2026-04-30", "6 May", "2026-W19-3", "２０２６-05-06", "x" * 500]
)
def test_a_day_not_in_the_month_answers_400_with_a_message(office_client, day):
    response = office_client.get(CALENDAR_URL, {"month": "2026-05", "day": day})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert f"{escape(day)}” is not a day of May 2026." in html
    assert '<caption id="calendar-caption">May 2026</caption>' in html
    assert 'id="day-list"' not in html


def test_the_month_count_counts_a_long_delegation_once(office_client):
    DelegationFactory(title="Long stay", start_on=datetime.date(2026, 4, 1), end_on=datetime.date(2026, 4, 30))

    response = office_client.get(CALENDAR_URL, {"month": "2026-04"})

    assert "1 delegation this month." in response.content.decode()
    assert all(titles == ["Long stay"] for titles in calendar_days(response).values())


def test_a_three_day_delegation_is_on_each_of_its_days_and_no_other(office_client):
    DelegationFactory(
        title="Three days in Lyon", start_on=datetime.date(2026, 4, 20), end_on=datetime.date(2026, 4, 22)
    )

    days = calendar_days(office_client.get(CALENDAR_URL, {"month": "2026-04"}))

    assert len(days) == 30
    on = sorted(day for day, titles in days.items() if "Three days in Lyon" in titles)
    assert on == [datetime.date(2026, 4, 20), datetime.date(2026, 4, 21), datetime.date(2026, 4, 22)]


def test_a_delegation_across_the_turn_of_the_month_is_in_both_months(office_client):
    DelegationFactory(title="Turn of the month", start_on=datetime.date(2026, 3, 30), end_on=datetime.date(2026, 4, 1))

    march = calendar_days(office_client.get(CALENDAR_URL, {"month": "2026-03"}))
    april = calendar_days(office_client.get(CALENDAR_URL, {"month": "2026-04"}))

    assert [day.day for day, titles in march.items() if titles] == [30, 31]
    assert [day.day for day, titles in april.items() if titles] == [1]


def test_the_calendar_tells_inbound_from_outbound_in_words_and_strikes_out_cancelled_trips(office_client):
    DelegationFactory(title="Visitors from Lyon", direction="inbound", start_on=datetime.date(2026, 4, 6))
    DelegationFactory(title="Called off", status="cancelled", start_on=datetime.date(2026, 4, 6))

    html = office_client.get(CALENDAR_URL, {"month": "2026-04"}).content.decode()

    assert re.search(r"Inbound:</span>\s*<a [^>]*>Visitors from Lyon</a>", html)
    assert re.search(r"Outbound:</span>\s*<s><a [^>]*>Called off</a></s>\s*<span [^>]*>\(Cancelled\)</span>", html)


def test_the_calendar_is_a_table_of_weeks_starting_on_monday(office_client):
    html = office_client.get(CALENDAR_URL, {"month": "2026-04"}).content.decode()

    assert '<caption id="calendar-caption">April 2026</caption>' in html
    weekdays = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert weekdays == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert html.count("<h1>") == 1
    # 1 April 2026 is a Wednesday: two empty cells before it.
    first_week = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S)[1]
    assert first_week.count('class="outside-month"') == 2


def test_month_and_weekday_names_follow_the_language(office_client):
    html = office_client.get(CALENDAR_URL, {"month": "2026-03"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert '<caption id="calendar-caption">März 2026</caption>' in html
    assert '<th scope="col">Montag</th>' in html


def test_the_calendar_shows_this_month_by_default(office_client):
    today = timezone.localdate()

    html = office_client.get(CALENDAR_URL).content.decode()

    assert f'<caption id="calendar-caption">{date_format(today, "F Y")}</caption>' in html
    assert 'aria-current="date"' in html


def test_month_navigation_keeps_the_filters(office_client):
    html = office_client.get(CALENDAR_URL, {"month": "2026-01", "direction": "inbound"}).content.decode()

    assert 'href="?month=2025-12&amp;direction=inbound" rel="prev"' in html
    assert 'href="?month=2026-02&amp;direction=inbound" rel="next"' in html
    assert "Previous month (December 2025)" in html
    assert "Next month (February 2026)" in html


def test_the_next_month_of_december_is_january(office_client):
    html = office_client.get(CALENDAR_URL, {"month": "2025-12"}).content.decode()

    assert '<caption id="calendar-caption">December 2025</caption>' in html
    assert 'href="?month=2026-01" rel="next"' in html
    assert 'href="?month=2025-11" rel="prev"' in html


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026-4", "april", "0999-01", "2026-04-01", "２０２６-04", "2026-04\n"]
)
def test_an_invalid_month_shows_a_message_and_this_month(office_client, month):
    today = timezone.localdate()

    response = office_client.get(CALENDAR_URL, {"month": month})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "is not a month we can show" in html
    assert escape(month) in html
    assert f'<caption id="calendar-caption">{date_format(today, "F Y")}</caption>' in html


def test_a_valid_month_shows_no_message(office_client):
    html = office_client.get(CALENDAR_URL, {"month": "2026-04"}).content.decode()

    assert "is not a month we can show" not in html


def test_the_calendar_page_shows_the_personal_feed_address(office_client, office_user):
    html = office_client.get(CALENDAR_URL).content.decode()

    key = CalendarFeedToken.objects.get(user=office_user).key
    assert f'value="http://testserver{feed_url(key)}"' in html


# The calendar feed


def unfolded(response):
    return response.content.decode().replace("\r\n ", "")


def test_the_feed_lists_delegations_taking_place_as_all_day_events(client, office_user):
    today = timezone.localdate()
    trip = DelegationFactory(
        title="Partner-city visit",
        city=CityFactory(name="Kraków", country="PL"),
        status="approved",
        start_on=today + datetime.timedelta(days=10),
        end_on=today + datetime.timedelta(days=12),
    )
    guests = DelegationFactory(
        title="Network meeting, part 2",
        direction="inbound",
        status="confirmed",
        purpose="network_meeting",
        city=None,
        country="GH",
        start_on=today - datetime.timedelta(days=85),
        end_on=today - datetime.timedelta(days=85),
    )

    response = client.get(feed_url(CalendarFeedToken.for_user(office_user).key))

    body = unfolded(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.decode().startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in response.content.decode().replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))
    assert body.count("BEGIN:VEVENT") == 2
    assert f"UID:delegation-{trip.pk}@oia\r\n" in body
    assert f"DTSTART;VALUE=DATE:{trip.start_on:%Y%m%d}\r\n" in body
    assert f"DTEND;VALUE=DATE:{trip.end_on + datetime.timedelta(days=1):%Y%m%d}\r\n" in body
    assert "SUMMARY:Partner-city visit (Kraków)\r\n" in body
    assert "DESCRIPTION:Direction: Outbound (trip abroad)\\nPurpose: Partner-city visit\\nStatus: Approved\r\n" in body
    assert f"UID:delegation-{guests.pk}@oia\r\n" in body
    assert "SUMMARY:Network meeting\\, part 2 (Ghana)\r\n" in body
    assert f"DTEND;VALUE=DATE:{guests.start_on + datetime.timedelta(days=1):%Y%m%d}\r\n" in body
    assert "Status: Confirmed" in body


def test_the_feed_leaves_out_cancelled_rejected_and_distant_delegations(client, office_user):
    today = timezone.localdate()
    kept = DelegationFactory(title="Kept", start_on=today + datetime.timedelta(days=700))
    DelegationFactory(title="Cancelled", status="cancelled", start_on=today)
    DelegationFactory(title="Rejected", status="rejected", start_on=today)
    DelegationFactory(
        title="Long ago", start_on=today - datetime.timedelta(days=100), end_on=today - datetime.timedelta(days=95)
    )
    DelegationFactory(title="Far ahead", start_on=today + datetime.timedelta(days=800))

    body = unfolded(client.get(feed_url(CalendarFeedToken.for_user(office_user).key)))

    assert re.findall(r"UID:delegation-(\d+)@oia", body) == [str(kept.pk)]


def test_an_office_admin_has_the_feed(client, db):
    DelegationFactory(start_on=timezone.localdate())
    token = CalendarFeedToken.for_user(UserFactory(role="oia_admin"))

    response = client.get(feed_url(token.key))

    assert response.status_code == 200
    assert unfolded(response).count("BEGIN:VEVENT") == Delegation.objects.count() == 1


def test_region_filter_uses_the_country_when_there_is_no_city(db):
    japan = DelegationFactory(city=None, country="JP")
    DelegationFactory(city=None, country="FR")

    found = DelegationFilter({"region": "east_asia"}, queryset=Delegation.objects.for_list()).qs

    assert [d.pk for d in found] == [japan.pk]


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
@pytest.mark.parametrize("url", [LIST_URL, CALENDAR_URL])
def test_a_year_out_of_bounds_shows_the_error_and_answers_400(office_client, url, value):
    DelegationFactory()

    response = office_client.get(url, {"year": value})

    assert response.status_code == 400
    assert "Enter a year from 1900 to 2200." in response.content.decode()
