"""Anniversaries through the API: the page's list of jubilees (the same
range of years, with the same bounds) and the next N from today, read with
the selectors the page and the dashboard use."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oia.roles import Role
from partners.selectors import upcoming_jubilees
from tests.factories import UserFactory
from tests.partners.test_anniversaries import end, partnership_with

pytestmark = pytest.mark.django_db

LIST = "/api/anniversaries/"
NEXT = "/api/anniversaries/next/"
THIS_YEAR = timezone.localdate().year
# Roles, then the partnerships not ended with their cities (the jubilees are worked out in Python).
API_LIST_QUERIES = 3


def cities(body):
    rows = body["results"] if isinstance(body, dict) else body
    return [(row["partner_city"], row["years"]) for row in rows]


def test_the_list_holds_the_same_jubilees_as_the_page(staff_api, staff_client):
    krakow = partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 15))
    partnership_with("Lyon", datetime.date(THIS_YEAR - 8, 3, 1))  # 10 years in two years
    partnership_with("Tours", datetime.date(THIS_YEAR - 7, 3, 1))  # no jubilee in the default range

    body = staff_api.get(LIST).json()
    page = staff_client.get(reverse("partners:anniversaries")).context["anniversaries"]

    assert cities(body) == [(a.partnership.partner_city.name, a.years) for a in page]
    assert cities(body) == [("Kraków", 25), ("Lyon", 10)]
    first = body["results"][0]
    assert first == {
        "partnership": krakow.pk,
        "partner_city": "Kraków",
        "country": "FR",
        "years": 25,
        "date": f"{THIS_YEAR}-06-15",
        "year_only": False,
    }


def test_the_list_takes_the_pages_range_of_years_and_leaves_out_ended_partnerships(staff_api):
    partnership_with("Kraków", datetime.date(1991, 6, 15))
    end(partnership_with("Ended", datetime.date(1991, 7, 1)), datetime.date(2000, 1, 1))

    body = staff_api.get(LIST, {"from": 2001, "to": 2021}).json()

    assert cities(body) == [("Kraków", 10), ("Kraków", 15), ("Kraków", 20), ("Kraków", 25), ("Kraków", 30)]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2030", "to": "2020"}, "non_field_errors", "The first year must not be after the last year."),
        ({"from": "2000", "to": "2050"}, "non_field_errors", "Choose at most 50 years."),
        ({"from": "1800"}, "from", "Ensure this value is greater than or equal to 1900."),
        ({"to": "99999"}, "to", "Ensure this value is less than or equal to 2200."),
        ({"from": "1e16"}, "from", "Enter a whole number."),
        ({"from": ""}, "from", "This field is required."),
    ],
)
def test_an_impossible_range_answers_400_with_the_pages_message(staff_api, params, field, message):
    response = staff_api.get(LIST, params)

    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_a_year_given_twice_is_refused(staff_api):
    response = staff_api.get(f"{LIST}?from=2000&from=2001")

    assert response.status_code == 400
    assert response.json() == {"from": ["Give one value."]}


def test_the_next_jubilees_are_the_dashboards_selector_looking_fifty_years_ahead(staff_api):
    today = timezone.localdate()
    for years_ago in (3, 9, 14, 24, 29, 33):
        partnership_with(f"Since {years_ago}", datetime.date(THIS_YEAR - years_ago, 3, 1))
    expected = [(a.partnership.partner_city.name, a.years) for a in upcoming_jubilees(today, 100, years_ahead=49)]

    default = staff_api.get(NEXT).json()
    two = staff_api.get(NEXT, {"count": 2}).json()
    many = staff_api.get(NEXT, {"count": 100}).json()

    assert cities(default) == expected[:5]
    assert cities(two) == expected[:2]
    assert cities(many) == expected
    assert len(many) > 5
    assert [row["date"] for row in many] == sorted(row["date"] for row in many)
    assert all(row["date"] >= today.isoformat() for row in many)
    assert many[-1]["date"] <= f"{THIS_YEAR + 49}-12-31"


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("101", "Ensure this value is less than or equal to 100."),
        ("five", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_the_number_of_next_jubilees_is_bounded(staff_api, count, message):
    response = staff_api.get(NEXT, {"count": count})

    assert response.status_code == 400
    assert response.json() == {"count": [message]}


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    for number in range(count):
        partnership_with(f"City {number}", datetime.date(THIS_YEAR - 25, 1 + number % 12, 1))

    with django_assert_max_num_queries(API_LIST_QUERIES):
        listed = staff_api.get(LIST, {"page_size": 200})
    with django_assert_max_num_queries(API_LIST_QUERIES):
        upcoming = staff_api.get(NEXT, {"count": 100})

    assert listed.json()["count"] == count
    assert upcoming.status_code == 200


@pytest.mark.parametrize(("role", "expected"), [(None, 401), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)])
def test_only_the_office_reads_the_anniversaries(api_client, role, expected):
    partnership_with("Kraków", datetime.date(THIS_YEAR - 25, 6, 15))
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    assert api_client.get(LIST).status_code == expected
    assert api_client.get(NEXT).status_code == expected
