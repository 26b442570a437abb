"""Anniversaries: the jubilee rule, the list of jubilees, the personal
calendar feed and the next jubilees on the office dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oia.models import CalendarFeedToken
from partners.anniversaries import anniversary_in_year, is_jubilee, jubilees_between, next_anniversary
from partners.models import Partnership, StatusChange
from partners.selectors import celebrated_partnerships, upcoming_jubilees
from tests.factories import CityFactory, PartnershipFactory

THIS_YEAR = timezone.localdate().year


def partnership_with(city_name, formalised_on, **kwargs):
    return PartnershipFactory(partner_city=CityFactory(name=city_name), formalised_on=formalised_on, **kwargs)


def end(partnership, on):
    StatusChange.objects.create(partnership=partnership, status="ended", effective_on=on, reason="Council decision.")


def feed_url(key):
    return reverse("partners:anniversaries-ical", kwargs={"token": key})


# The jubilee rule


@pytest.mark.parametrize("years", [5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 125])
def test_these_anniversaries_are_jubilees(years):
    assert is_jubilee(years)


@pytest.mark.parametrize("years", [0, -5, 1, 7, 12, 35, 45, 55, 65, 85])
def test_these_anniversaries_are_not_jubilees(years):
    assert not is_jubilee(years)


def test_the_anniversary_falls_on_the_day_the_agreement_was_signed():
    partnership = Partnership(formalised_on=datetime.date(2001, 6, 15))

    anniversary = anniversary_in_year(partnership, 2026)

    assert anniversary.years == 25
    assert anniversary.date == datetime.date(2026, 6, 15)
    assert anniversary.display_date == "15 June 2026"


def test_a_year_that_is_no_jubilee_has_no_anniversary():
    partnership = Partnership(formalised_on=datetime.date(2001, 6, 15))

    assert anniversary_in_year(partnership, 2036) is None


def test_when_only_the_year_of_the_agreement_is_known_the_jubilee_is_shown_as_a_year():
    partnership = Partnership(formalised_on=datetime.date(1991, 1, 1), formalised_year_only=True)

    anniversary = anniversary_in_year(partnership, 2016)

    assert anniversary.years == 25
    assert anniversary.year_only
    assert anniversary.display_date == "2016"


def test_agreement_signed_on_29_february_is_celebrated_on_28_february_in_common_years():
    partnership = Partnership(formalised_on=datetime.date(2000, 2, 29))

    assert anniversary_in_year(partnership, 2025).date == datetime.date(2025, 2, 28)


def test_agreement_signed_on_29_february_is_celebrated_on_29_february_in_leap_years():
    partnership = Partnership(formalised_on=datetime.date(2000, 2, 29))

    assert anniversary_in_year(partnership, 2020).date == datetime.date(2020, 2, 29)


def test_the_next_anniversary_is_the_jubilee_of_today():
    partnership = Partnership(formalised_on=datetime.date(2001, 6, 15))

    anniversary = next_anniversary(partnership, today=datetime.date(2026, 6, 15))

    assert (anniversary.years, anniversary.date) == (25, datetime.date(2026, 6, 15))


def test_once_this_years_jubilee_has_passed_the_next_anniversary_is_the_following_jubilee():
    partnership = Partnership(formalised_on=datetime.date(2001, 6, 15))

    anniversary = next_anniversary(partnership, today=datetime.date(2026, 6, 16))

    assert (anniversary.years, anniversary.date) == (30, datetime.date(2031, 6, 15))


def test_a_jubilee_known_only_by_its_year_is_upcoming_all_year_long():
    partnership = Partnership(formalised_on=datetime.date(2001, 1, 1), formalised_year_only=True)

    anniversary = next_anniversary(partnership, today=datetime.date(2026, 12, 31))

    assert anniversary.years == 25


# The list of jubilees


def test_the_list_shows_this_year_and_the_next_two_by_default(office_client):
    partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 1))
    partnership_with("Lyon", datetime.date(THIS_YEAR - 8, 3, 1))
    partnership_with("Milano", datetime.date(THIS_YEAR - 17, 3, 1))

    response = office_client.get(reverse("partners:anniversaries"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Jubilees from {THIS_YEAR} to {THIS_YEAR + 2}" in html
    assert "Kraków" in html
    assert "25 years" in html
    assert "Lyon" in html
    assert "10 years" in html
    assert "Milano" not in html


def test_the_list_links_each_partner_city_to_its_partnership(office_client):
    krakow = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 1))

    html = office_client.get(reverse("partners:anniversaries")).content.decode()

    assert f'<a href="{reverse("partners:partnership-detail", args=[krakow.pk])}">Kraków</a>' in html
    assert '<th scope="col">' in html
    assert '<caption id="anniversaries-caption">' in html


def test_the_list_shows_a_chosen_range_of_years(office_client):
    partnership_with("Kraków", datetime.date(1980, 6, 1))
    partnership_with("Lyon", datetime.date(2000, 3, 1))

    response = office_client.get(reverse("partners:anniversaries"), {"from": "2029", "to": "2030"})

    html = response.content.decode()
    assert "Jubilees from 2029 to 2030" in html
    assert "Kraków" in html
    assert "2030-06-01" in html
    assert "50 years" in html
    assert "Lyon" in html
    assert "2030-03-01" in html
    assert "30 years" in html


def test_a_jubilee_known_only_by_its_year_is_listed_with_the_year_alone(office_client):
    partnership_with("Kraków", datetime.date(1991, 1, 1), formalised_year_only=True)

    html = office_client.get(reverse("partners:anniversaries"), {"from": "2016", "to": "2016"}).content.decode()

    assert ">2016</time>" in html
    assert "2016-01-01" not in html


def test_ended_partnerships_have_no_jubilees(office_client):
    ended = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 1))
    end(ended, datetime.date(THIS_YEAR - 5, 1, 1))
    partnership_with("Lyon", datetime.date(THIS_YEAR - 10, 6, 1))

    html = office_client.get(reverse("partners:anniversaries")).content.decode()

    assert "Lyon" in html
    assert "Kraków" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2030", "to": "2029"}, "The first year must not be after the last year."),
        ({"from": "2000", "to": "2050"}, "Choose at most 50 years."),
        ({"from": "next year", "to": "2030"}, "Enter a whole number."),
        ({"from": "", "to": "2030"}, "This field is required."),
        ({"from": "0", "to": "2030"}, "Ensure this value is greater than or equal to 1900."),
        ({"from": "2030", "to": "99999"}, "Ensure this value is less than or equal to 2200."),
        ({"from": "1e16", "to": "2030"}, "Enter a whole number."),
    ],
)
def test_an_impossible_range_of_years_is_explained(office_client, params, message):
    partnership_with("Kraków", datetime.date(2001, 6, 1))

    response = office_client.get(reverse("partners:anniversaries"), params)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "<table>" not in html


def test_fifty_years_are_the_longest_range(office_client):
    response = office_client.get(reverse("partners:anniversaries"), {"from": "2000", "to": "2049"})

    assert "Jubilees from 2000 to 2049" in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_needs_the_same_queries_however_many_partnerships(office_client, django_assert_max_num_queries, count):
    for number in range(count):
        partnership_with(f"City {number}", datetime.date(THIS_YEAR - 25, 1 + number % 12, 1))

    with django_assert_max_num_queries(5):
        response = office_client.get(reverse("partners:anniversaries"))

    assert response.content.decode().count("25 years") == count


def test_the_list_links_to_the_calendar_feed_settings(office_client):
    html = office_client.get(reverse("partners:anniversaries")).content.decode()

    assert f'href="{reverse("partners:anniversary-feed-settings")}"' in html


# The calendar feed


def test_the_settings_page_shows_the_personal_feed_address(office_client, office_user):
    html = office_client.get(reverse("partners:anniversary-feed-settings")).content.decode()

    key = CalendarFeedToken.objects.get(user=office_user).key
    assert f'value="http://testserver{feed_url(key)}"' in html
    assert "without signing in" in html


def test_the_feed_lists_each_jubilee_as_an_all_day_event(client, office_user):
    krakow = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 15))
    partnership_with("Lyon", datetime.date(THIS_YEAR - 8, 3, 1))
    token = CalendarFeedToken.for_user(office_user)

    response = client.get(feed_url(token.key))

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 3  # Kraków at 25 and 30 years, Lyon at 10
    assert f"UID:partnership-{krakow.pk}-25@oia\r\n" in body
    assert f"DTSTART;VALUE=DATE:{THIS_YEAR}0615\r\n" in body
    assert "SUMMARY:25 years of partnership with Kraków\r\n" in body
    assert "DTSTAMP:" in body


@pytest.mark.parametrize("count", [1, 30])
def test_the_feed_needs_the_same_queries_however_many_partnerships(
    client, office_user, django_assert_max_num_queries, count
):
    for number in range(count):
        partnership_with(
            f"City {number}", datetime.date(THIS_YEAR - 25, 1 + number % 12, 1), formalised_year_only=number % 2
        )
    key = CalendarFeedToken.for_user(office_user).key

    with django_assert_max_num_queries(3):
        body = client.get(feed_url(key)).content.decode()

    assert body.count("BEGIN:VEVENT") == 2 * count  # at 25 and at 30 years


def test_the_feed_leaves_out_ended_partnerships(client, office_user):
    ended = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 15))
    end(ended, datetime.date(THIS_YEAR - 1, 1, 1))

    body = client.get(feed_url(CalendarFeedToken.for_user(office_user).key)).content.decode()

    assert "BEGIN:VEVENT" not in body


def test_the_feed_escapes_commas_and_semicolons_in_city_names(client, office_user):
    partnership_with("Frankfurt, Oder; Słubice", datetime.date(THIS_YEAR - 25, 6, 15))

    body = client.get(feed_url(CalendarFeedToken.for_user(office_user).key)).content.decode()

    assert "SUMMARY:25 years of partnership with Frankfurt\\, Oder\\; Słubice\r\n" in body


def test_a_jubilee_known_only_by_its_year_says_so_in_the_feed(client, office_user):
    krakow = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 1, 1), formalised_year_only=True)

    body = client.get(feed_url(CalendarFeedToken.for_user(office_user).key)).content.decode().replace("\r\n ", "")

    event = body.split(f"UID:partnership-{krakow.pk}-25@oia")[0].rsplit("BEGIN:VEVENT", 1)[1]
    event += body.split(f"UID:partnership-{krakow.pk}-25@oia")[1].split("END:VEVENT")[0]
    assert f"SUMMARY:25 years of partnership with Kraków (date unknown: sometime in {THIS_YEAR})\r\n" in event
    assert f"this jubilee falls sometime in {THIS_YEAR}" in event
    assert f"DTSTART;VALUE=DATE:{THIS_YEAR}0101\r\n" in event
    assert f"DTEND;VALUE=DATE:{THIS_YEAR}0102\r\n" in event
    assert "TRANSP:TRANSPARENT\r\n" in event
    assert "X-OIA-DATE-PRECISION:YEAR\r\n" in event


def test_a_jubilee_on_a_known_1_january_does_not_say_the_date_is_unknown(client, office_user):
    partnership_with("Lyon", datetime.date(THIS_YEAR - 25, 1, 1))

    body = client.get(feed_url(CalendarFeedToken.for_user(office_user).key)).content.decode()

    assert "SUMMARY:25 years of partnership with Lyon\r\n" in body
    assert "date unknown" not in body
    assert "X-OIA-DATE-PRECISION" not in body
    assert "DESCRIPTION" not in body


def test_the_feed_is_in_the_language_chosen_in_the_settings_not_the_app_s(office_client, client, office_user):
    partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 15))
    key = CalendarFeedToken.for_user(office_user).key

    response = office_client.post(reverse("partners:anniversary-feed-settings"), {"language": "de"})
    german = client.get(feed_url(key), HTTP_ACCEPT_LANGUAGE="en").content.decode().replace("\r\n ", "")

    assert response.status_code == 302
    assert CalendarFeedToken.objects.get(user=office_user).key == key
    assert "X-WR-CALNAME:Partnerschaftsjubiläen\r\n" in german
    assert "SUMMARY:25 Jahre Partnerschaft mit Kraków\r\n" in german
    assert "years of partnership" not in german
    assert client.get(feed_url(key)).headers["Content-Language"] == "de"


def test_the_feed_stays_english_when_so_chosen_even_if_the_app_asks_for_german(client, office_user):
    partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 15))
    token = CalendarFeedToken.for_user(office_user)
    token.language = "en"
    token.save()

    body = client.get(feed_url(token.key), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "SUMMARY:25 years of partnership with Kraków\r\n" in body


def test_the_settings_page_offers_the_feed_languages(office_client, office_user):
    CalendarFeedToken.for_user(office_user)

    html = office_client.get(reverse("partners:anniversary-feed-settings")).content.decode()

    assert '<label for="id_language">Language of the feed' in html
    assert '<option value="de">German</option>' in html
    assert '<option value="en" selected>English</option>' in html


def test_an_unknown_feed_language_is_refused_and_keeps_the_address(office_client, office_user):
    key = CalendarFeedToken.for_user(office_user).key

    response = office_client.post(reverse("partners:anniversary-feed-settings"), {"language": "xx"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    token = CalendarFeedToken.objects.get(user=office_user)
    assert (token.key, token.language) == (key, "en")


def test_only_the_office_sets_a_feed_language(client, council_user):
    token = CalendarFeedToken.for_user(council_user)
    client.force_login(council_user)

    response = client.post(reverse("partners:anniversary-feed-settings"), {"language": "de"})

    assert response.status_code == 403
    assert CalendarFeedToken.objects.get(pk=token.pk).language == "en"


def test_creating_a_new_address_retires_the_old_one(office_client, office_user):
    old_key = CalendarFeedToken.for_user(office_user).key

    response = office_client.post(reverse("partners:anniversary-feed-settings"), follow=True)

    new_key = CalendarFeedToken.objects.get(user=office_user).key
    assert new_key != old_key
    assert f"http://testserver{feed_url(new_key)}" in response.content.decode()
    assert office_client.get(feed_url(old_key)).status_code == 404
    assert office_client.get(feed_url(new_key)).status_code == 200


# Reading only the partnerships that have a jubilee


@pytest.mark.parametrize(
    ("first", "last", "most_read"), [(2026, 2026, 18), (2026, 2027, 36), (2026, 2030, 91), (1990, 2080, 150)]
)
def test_the_partnerships_read_for_some_years_have_exactly_their_jubilees(db, first, last, most_read):
    for year in range(1890, 2040):  # one partnership formalised in each year of a century and a half
        PartnershipFactory(formalised_on=datetime.date(year, 3, 1))

    read = celebrated_partnerships(first, last)

    assert jubilees_between(read, first, last) == jubilees_between(celebrated_partnerships(), first, last)
    assert read.count() <= most_read


# The dashboard


def test_upcoming_jubilees_are_the_next_five_from_today_this_year_and_next(db):
    today = datetime.date(2026, 6, 1)
    partnership_with("Passed", datetime.date(2001, 5, 31))
    partnership_with("Ended", datetime.date(2001, 7, 1), status="ended")
    partnership_with("Too far", datetime.date(2003, 1, 1))
    expected = [
        partnership_with("Year only", datetime.date(2006, 1, 1), formalised_year_only=True),
        partnership_with("Today", datetime.date(2001, 6, 1)),
        partnership_with("Summer", datetime.date(2016, 8, 1)),
        partnership_with("Winter", datetime.date(2021, 12, 31)),
        partnership_with("Next spring", datetime.date(2002, 4, 1)),
    ]
    partnership_with("Next autumn", datetime.date(2002, 10, 1))

    upcoming = upcoming_jubilees(today)

    assert [a.partnership for a in upcoming] == expected


def test_the_office_dashboard_shows_the_next_jubilee(office_client):
    krakow = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 12, 31))

    html = office_client.get(reverse("dashboard")).content.decode()

    assert "25 years of partnership with Kraków" in html
    assert f'href="{reverse("partners:partnership-detail", args=[krakow.pk])}"' in html
    assert f'href="{reverse("partners:anniversaries")}"' in html
    assert "No anniversaries recorded yet." not in html
