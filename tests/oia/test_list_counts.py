"""The HTML lists count like the API: exactly up to a limit, and beyond it
PostgreSQL's estimate, shown as "about", while the pages still run to the end."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oia import pagination
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("delegations:person-list")


@pytest.fixture
def sixty_people():
    return [PersonFactory(name=f"Person {number:02}") for number in range(60)]


def test_a_short_list_shows_its_exact_count(staff_client, sixty_people):
    page = staff_client.get(PEOPLE).content.decode()

    assert "60 people" in page
    assert "about" not in page.split("60 people")[0][-40:]
    assert "Page 1 of 2" in page


def test_a_long_list_shows_an_estimate_and_pages_to_its_end(staff_client, sixty_people, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 10)

    first = staff_client.get(PEOPLE).content.decode()
    second = staff_client.get(PEOPLE, {"page": 2})

    assert re.search(r"about \d+ people", first)
    assert "Page 1 of about" in first
    assert 'rel="next"' in first
    assert second.status_code == 200
    assert "Person 59" in second.content.decode()
    assert 'rel="next"' not in second.content.decode()
    assert staff_client.get(PEOPLE, {"page": 3}).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "9" * 30])
def test_a_wrong_page_number_of_an_estimated_list_is_a_404_not_an_error(staff_client, sixty_people, monkeypatch, page):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 10)

    assert staff_client.get(PEOPLE, {"page": page}).status_code == 404


def test_the_estimate_costs_no_extra_query(staff_client, sixty_people, monkeypatch):
    with CaptureQueriesContext(connection) as exact:
        staff_client.get(PEOPLE)
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 10)
    with CaptureQueriesContext(connection) as estimated:
        staff_client.get(PEOPLE)

    assert len(estimated) == len(exact)
