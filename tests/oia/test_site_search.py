"""The header's site-wide search: office staff find cities (by any of their
names), delegations, people, clubs, networks and budget lines in one page,
grouped by kind; everyone else gets neither the box nor an answer."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from delegations.search import describe_delegation
from oia.search import KIND_LIMIT, QUERY_MAX_LENGTH, SITE_LIMIT
from partners.models import City
from tests.factories import (
    BudgetLineFactory,
    CityFactory,
    ClubFactory,
    DelegationFactory,
    NetworkFactory,
    PartnershipFactory,
    PersonFactory,
)
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db

SITE = reverse("search:site")
SUGGESTIONS = reverse("search:suggestions")


def one_of_each(word: str, number: int = 0) -> None:
    """A city, delegation, person, club, network and budget line all named with ``word``."""
    city = CityFactory(name=f"{word} City {number}")
    DelegationFactory(title=f"{word} trip {number}", city=city)
    PersonFactory(name=f"Anna {word} {number}")
    ClubFactory(name=f"{word} friends {number}")
    NetworkFactory(name=f"{word} network {number}", acronym=f"HN{number}")
    BudgetLineFactory(name=f"{word} line {number}")


def headings(response) -> list[str]:
    return re.findall(r'<h2 id="search-group-[\w-]+">([^<]+) <small>', response.content.decode())


def test_results_are_grouped_by_kind_in_a_fixed_order(staff_client):
    one_of_each("Harbour")
    response = staff_client.get(SITE, {"q": "harbour"})
    assert response.status_code == 200
    assert headings(response) == ["Cities", "Delegations", "People", "Clubs", "Networks", "Budget lines"]
    html = response.content.decode()
    assert "Harbour trip 0" in html
    assert "Anna Harbour 0" in html


def test_a_group_counts_all_its_matches_and_links_to_the_filtered_list(staff_client):
    for number in range(SITE_LIMIT + 2):
        DelegationFactory(title=f"Harbour trip {number}")
    response = staff_client.get(SITE, {"q": "harbour"})
    html = response.content.decode()
    assert f"Delegations <small>({SITE_LIMIT + 2})</small>" in html
    assert html.count("Harbour trip") == SITE_LIMIT
    assert f'href="{reverse("delegations:delegation-list")}?q=harbour"' in html


def test_a_kind_without_a_list_page_shows_more_on_the_search_page_itself(staff_client):
    for number in range(SITE_LIMIT + 1):
        CityFactory(name=f"Harbourtown {number}")
    html = staff_client.get(SITE, {"q": "harbour"}).content.decode()
    assert f'href="{SITE}?q=harbour&amp;kind=cities"' in html
    response = staff_client.get(SITE, {"q": "harbour", "kind": "cities"})
    assert response.content.decode().count("Harbourtown") == SITE_LIMIT + 1
    assert headings(response) == ["Cities"]


def test_a_city_is_found_by_its_other_names(staff_client):
    cologne = CityFactory(name="Köln", country="DE", alternative_names=["Cologne", "Colonia"])
    response = staff_client.get(SITE, {"q": "colonia"})
    assert f'href="{reverse("partners:city-detail", args=[cologne.pk])}"' in response.content.decode()
    assert "Köln (DE)" in response.content.decode()
    suggestions = staff_client.get(SUGGESTIONS, {"q": "koeln"}).json()
    assert suggestions["groups"][0]["results"][0]["label"] == "Köln (DE)"
    assert suggestions["groups"][0]["results"][0]["description"] == "Germany"


def test_each_result_links_to_its_record(staff_client):
    delegation = DelegationFactory(title="Harbour summit")
    line = BudgetLineFactory(name="Harbour festival")
    network = NetworkFactory(name="Harbour cities", acronym="HC")
    groups = {group["kind"]: group for group in staff_client.get(SUGGESTIONS, {"q": "harbour"}).json()["groups"]}
    assert groups["delegations"]["results"][0]["url"] == reverse("delegations:delegation-detail", args=[delegation.pk])
    assert groups["budget-lines"]["results"][0]["url"] == reverse("budget:line-detail", args=[line.pk])
    assert groups["networks"]["results"][0] == {
        "label": "Harbour cities (HC)",
        "description": "European",
        "url": reverse("networks:network-detail", args=[network.pk]),
    }


def test_a_budget_line_is_found_by_its_partner_city(staff_client):
    partnership = PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"))
    BudgetLineFactory(name="Youth exchange", partnership=partnership)
    groups = {group["kind"]: group for group in staff_client.get(SUGGESTIONS, {"q": "Kraków"}).json()["groups"]}
    assert groups["budget-lines"]["results"][0]["description"].endswith("Kraków")


def test_suggestions_are_fewer_and_lead_to_all_results(staff_client):
    for number in range(5):
        PersonFactory(name=f"Harbour person {number}")
    answer = staff_client.get(SUGGESTIONS, {"q": "harbour"}).json()
    people = answer["groups"][0]
    assert (people["kind"], people["total"], len(people["results"])) == ("people", 5, 3)
    assert people["more_url"] == f"{reverse('delegations:person-list')}?q=harbour"
    assert answer["all_url"] == f"{SITE}?q=harbour"
    assert answer["message"] == "5 records found."


def test_nothing_found_says_so(staff_client):
    response = staff_client.get(SITE, {"q": "zzzz"})
    assert response.status_code == 200
    assert "Nothing found for “zzzz”" in response.content.decode()
    assert staff_client.get(SUGGESTIONS, {"q": "zzzz"}).json()["groups"] == []


def test_an_empty_query_asks_no_records(staff_client, django_assert_max_num_queries):
    one_of_each("Harbour")
    with django_assert_max_num_queries(4):
        response = staff_client.get(SITE, {"q": "   "})
    assert response.status_code == 200
    assert headings(response) == []


@pytest.mark.parametrize("url", [SITE, SUGGESTIONS])
def test_the_number_of_queries_does_not_grow_with_the_rows(staff_client, django_assert_max_num_queries, url):
    def queries_for_search():
        staff_client.get(url, {"q": "harbour"})  # the session's last-seen write happens once
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url, {"q": "harbour"})
        assert response.status_code == 200
        return len(queries)

    one_of_each("Harbour")
    few = queries_for_search()
    for number in range(1, 12):
        one_of_each("Harbour", number)
    with django_assert_max_num_queries(few):
        staff_client.get(url, {"q": "harbour"})
    # Six kinds, one query each, and the request's own (session, user, roles, notifications).
    assert few <= 6 + 5


def test_a_too_long_query_is_refused_with_a_clear_message(staff_client):
    response = staff_client.get(SITE, {"q": "x" * (QUERY_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert f"Search for at most {QUERY_MAX_LENGTH} characters (you typed {QUERY_MAX_LENGTH + 1})" in (
        response.content.decode()
    )
    answer = staff_client.get(SUGGESTIONS, {"q": "x" * (QUERY_MAX_LENGTH + 1)})
    assert answer.status_code == 400
    assert "at most 100 characters" in answer.json()["errors"]["q"][0]


def test_the_box_stops_typing_at_the_limit(staff_client):
    html = staff_client.get(reverse("dashboard")).content.decode()
    assert f'id="site-search-q" name="q" maxlength="{QUERY_MAX_LENGTH}"' in html


@pytest.mark.parametrize(
    "query",
    ["%", "_", "\\", "'; drop table partners_city; --", "ÄÖÜß", "🙂", "a\u0301", "<script>", "   x   ", "\u200b"],
)
def test_odd_input_is_answered_not_a_crash(staff_client, query):
    CityFactory(name="<script> town")
    assert staff_client.get(SITE, {"q": query}).status_code == 200
    assert staff_client.get(SUGGESTIONS, {"q": query}).status_code == 200


@pytest.mark.parametrize("query", ["a\x00b", "line\nbreak", "tab\there"])
def test_control_characters_are_refused_with_a_message(staff_client, query):
    response = staff_client.get(SITE, {"q": query})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert staff_client.get(SUGGESTIONS, {"q": query}).status_code == 400


def test_an_unknown_kind_is_refused(staff_client):
    assert staff_client.get(SITE, {"q": "harbour", "kind": "passwords"}).status_code == 400


def test_what_is_found_is_escaped(staff_client):
    CityFactory(name="<b>Bold</b>ton")
    html = staff_client.get(SITE, {"q": "bold"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt;ton" in html
    assert "<b>Bold</b>ton" not in html


def test_office_staff_get_the_box(staff_client):
    html = staff_client.get(reverse("dashboard")).content.decode()
    assert 'data-site-search="/search/suggestions/"' in html
    assert 'src="/static/js/site-search.js"' in html or "site-search" in html


def test_administrators_get_the_box(client, admin_user_oia):
    html = sign_in(client, admin_user_oia).get(reverse("dashboard")).content.decode()
    assert "data-site-search" in html


@pytest.mark.parametrize("role", ["council", "club_leader", None])
def test_other_roles_get_no_box_and_no_answer(client, user_for_role, role):
    one_of_each("Harbour")
    client.force_login(user_for_role(role))
    html = client.get(reverse("notifications")).content.decode()
    assert "data-site-search" not in html
    assert 'role="search"' not in html
    assert client.get(SITE, {"q": "harbour"}).status_code == 403
    assert client.get(SUGGESTIONS, {"q": "harbour"}).status_code == 403


def test_an_administrator_before_the_second_factor_gets_no_box(client, admin_user_oia):
    client.force_login(admin_user_oia)
    html = client.get(reverse("notifications")).content.decode()
    assert "data-site-search" not in html


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(SITE, {"q": "harbour"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(SUGGESTIONS, {"q": "harbour"}).status_code == 302
    assert "data-site-search" not in client.get(reverse("login")).content.decode()


def test_one_kind_alone_is_bounded_too(staff_client):
    cities = [City(name=f"Harbourtown {number:03d}", country="FR", latitude=number / 10) for number in range(60)]
    for city in cities:
        city.search_key = city.name.lower()
    City.objects.bulk_create(cities)
    html = staff_client.get(SITE, {"q": "harbour", "kind": "cities"}).content.decode()
    assert html.count("Harbourtown") == KIND_LIMIT
    assert "Cities <small>(60)</small>" in html
    assert f"The first {KIND_LIMIT} are shown; type more letters to narrow them." in html


def test_a_delegation_is_described_by_its_date_in_the_user_s_language_its_city_and_status():
    delegation = DelegationFactory(city=CityFactory(name="Lyon"), start_on=datetime.date(2026, 4, 20))
    assert describe_delegation(delegation) == "20 April 2026 · Lyon · Draft"
    with translation.override("de"):
        assert describe_delegation(delegation) == "20. April 2026 · Lyon · Entwurf"
