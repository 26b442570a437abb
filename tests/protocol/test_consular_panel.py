"""A delegation's page shows the posts of its country in our city: for
visitors, the consulate to inform; for a trip, the posts to ask for a
briefing. The panel is part of the page's own query."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import CityFactory, ConsularPostFactory, DelegationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def page_of(client, delegation):
    return client.get(reverse("delegations:delegation-detail", args=[delegation.pk])).content.decode()


def test_visitors_from_a_country_show_its_consulate(staff_client):
    ConsularPostFactory(
        name="Consulate-General of Japan",
        country="JP",
        head=PersonFactory(name="Ken Sato"),
        phone="+49 30 1234",
        email="info@jp.example",
    )
    ConsularPostFactory(name="Consulate-General of France", country="FR")
    visit = DelegationFactory(direction="inbound", city=CityFactory(country="JP"), country="JP")

    page = page_of(staff_client, visit)

    assert "The consulate of Japan" in page
    for text in ("Consulate-General of Japan", "Ken Sato", "+49 30 1234", "mailto:info@jp.example"):
        assert text in page
    assert "Consulate-General of France" not in page


def test_a_trip_abroad_shows_the_countrys_posts_for_a_briefing(staff_client):
    ConsularPostFactory(name="Consulate-General of France", country="FR")
    ConsularPostFactory(name="Honorary Consulate of France", country="FR", kind="honorary_consulate")
    ConsularPostFactory(name="Closed French post", country="FR", closed_on=datetime.date(2020, 1, 1))
    trip = DelegationFactory(direction="outbound", city=CityFactory(country="FR"))

    page = page_of(staff_client, trip)

    assert "The posts of France in our city" in page
    assert "Ask them for a briefing" in page
    assert "Consulate-General of France" in page
    assert "Honorary Consulate of France" in page
    assert "Closed French post" not in page


def test_without_posts_of_the_country_the_panel_is_not_shown(staff_client):
    trip = DelegationFactory(city=CityFactory(country="PE"), country="PE")

    assert 'id="consular-posts"' not in page_of(staff_client, trip)


@pytest.mark.parametrize("count", [1, 20])
def test_the_panel_costs_no_query_of_its_own(staff_client, django_assert_max_num_queries, count):
    trip = DelegationFactory(city=CityFactory(country="FR"))
    with django_assert_max_num_queries(40) as without_posts:
        page_of(staff_client, trip)
    for _ in range(count):
        ConsularPostFactory(country="FR")

    with django_assert_max_num_queries(len(without_posts.captured_queries)):
        assert "Consulate-General" in page_of(staff_client, trip)
