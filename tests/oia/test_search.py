"""The searchable pickers: a filter or form renders only the chosen record,
and ``/search/<kind>/`` answers at most twenty matches to office staff only."""

import pytest
from django.urls import reverse

from delegations.filters import DelegationFilter
from delegations.forms import ParticipantForm
from oia.search import MATCH_LIMIT, QUERY_MAX_LENGTH
from partners.filters import ClubFilter
from partners.models import City
from tests.factories import CityFactory, ClubFactory, PartnershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def search(client, kind, q):
    return client.get(reverse("search:results", args=[kind]), {"q": q})


def labels(response):
    return [match["label"] for match in response.json()["results"]]


def make_cities(count):
    cities = [City(name=f"Town {number:03d}", country="FR", latitude=number / 10) for number in range(count)]
    for city in cities:
        city.search_key = city.name.lower()
    City.objects.bulk_create(cities)


def test_the_city_filter_of_300_cities_renders_only_the_chosen_one():
    make_cities(300)
    chosen = City.objects.get(name="Town 150")
    html = str(DelegationFilter({"city": str(chosen.pk)}, request=None).form["city"])
    assert html.count("<option") == 2  # the empty choice and the chosen city
    assert f'<option value="{chosen.pk}" selected>Town 150 (FR)</option>' in html
    assert "Town 151" not in html
    assert 'data-search="/search/cities/"' in html


def test_a_filter_without_a_city_renders_only_the_empty_choice():
    make_cities(300)
    html = str(DelegationFilter({}, request=None).form["city"])
    assert html.count("<option") == 1


def test_an_unknown_city_is_still_a_form_error():
    make_cities(3)
    delegation_filter = DelegationFilter({"city": "999999"}, request=None)
    assert not delegation_filter.is_valid()
    assert "city" in delegation_filter.form.errors
    assert str(delegation_filter.form["city"]).count("<option") == 1


def test_a_word_instead_of_an_id_is_a_form_error_not_a_crash(staff_client):
    response = staff_client.get(reverse("delegations:delegation-list"), {"city": "lyon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_club_filter_renders_only_the_chosen_partnerships():
    partnerships = PartnershipFactory.create_batch(5)
    form = ClubFilter({"partnerships": [partnerships[0].pk, partnerships[2].pk]}, request=None).form
    html = str(form["partnerships"])
    assert html.count("<option") == 2
    assert "multiple" in html


def test_the_participant_form_renders_only_the_chosen_person():
    people = PersonFactory.create_batch(30)
    assert str(ParticipantForm()["person"]).count("<option") == 1
    html = str(ParticipantForm(initial={"person": people[3].pk})["person"])
    assert html.count("<option") == 2
    assert people[3].name in html


def test_cities_are_found_by_any_spelling_of_any_name(staff_client):
    CityFactory(name="Köln", country="DE", alternative_names=["Cologne"])
    CityFactory(name="Kolding", country="DK")
    assert labels(search(staff_client, "cities", "koeln")) == ["Köln (DE)"]
    assert labels(search(staff_client, "cities", "COLOGNE")) == ["Köln (DE)"]
    assert labels(search(staff_client, "cities", "kol")) == ["Kolding (DK)", "Köln (DE)"]


def test_names_that_start_with_the_text_come_first(staff_client):
    CityFactory(name="Saint-Paris-le-Petit")
    CityFactory(name="Paris")
    assert labels(search(staff_client, "cities", "paris")) == ["Paris (FR)", "Saint-Paris-le-Petit (FR)"]


def test_at_most_twenty_matches_are_sent_and_the_answer_says_there_are_more(staff_client):
    make_cities(MATCH_LIMIT + 5)
    answer = search(staff_client, "cities", "town").json()
    assert len(answer["results"]) == MATCH_LIMIT
    assert answer["more"] is True
    assert answer["message"] == "The first 20 matches; type more to narrow them."
    assert answer["results"][0] == {"id": str(City.objects.get(name="Town 000").pk), "label": "Town 000 (FR)"}


def test_the_answer_counts_the_matches_for_the_live_region(staff_client):
    CityFactory(name="Lyon")
    assert search(staff_client, "cities", "lyon").json()["message"] == "1 match."
    assert search(staff_client, "cities", "nowhere").json() == {
        "results": [],
        "more": False,
        "message": "No matches. Try fewer letters or another spelling.",
    }


def test_people_clubs_partnerships_and_officers_are_searchable(staff_client):
    PersonFactory(name="Anna Berg", title="")
    ClubFactory(name="Friends of Lyon e.V.")
    PartnershipFactory(partner_city=CityFactory(name="Łódź", country="PL"))
    UserFactory(username="stefan", first_name="Stefan", last_name="Maier", role="oia_staff")
    assert labels(search(staff_client, "people", "berg")) == ["Anna Berg"]
    assert labels(search(staff_client, "clubs", "lyon")) == ["Friends of Lyon e.V."]
    assert labels(search(staff_client, "partnerships", "lodz")) == ["Łódź"]
    assert "stefan" in labels(search(staff_client, "officers", "maier"))


@pytest.mark.parametrize(
    "q", ["x" * (QUERY_MAX_LENGTH + 1), "Ly\x00on", "Ly\x0bon"], ids=["too long", "nul", "control"]
)
def test_a_query_that_is_too_long_or_holds_control_characters_is_refused(staff_client, q):
    response = search(staff_client, "cities", q)
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_an_unknown_kind_is_not_found(staff_client):
    assert search(staff_client, "passwords", "a").status_code == 404


@pytest.mark.parametrize("role_client", ["club_leader", "council"])
def test_club_leaders_and_council_members_are_refused(client, user_for_role, role_client):
    ClubFactory(name="Friends of Lyon e.V.")
    client.force_login(user_for_role({"club_leader": "club_leader", "council": "council"}[role_client]))
    response = search(client, "clubs", "lyon")
    assert response.status_code == 403
    assert b"Lyon" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    PersonFactory(name="Anna Berg")
    response = search(client, "people", "berg")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
