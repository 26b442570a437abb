"""API pagination: page numbers with counts that stay cheap on long lists
(exact up to a limit, the planner's estimate beyond, labelled), and cursor
pages for the lists that grow with the office's history."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import BudgetChange
from delegations.models import Delegation
from oia import pagination  # the count (exact or estimated) is oia.pagination, shared with the HTML lists
from oia.api.keyset import CURSOR_SALT
from oia.models import Notification
from oia.roles import Role
from tests.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    DelegationFactory,
    ExchangeFactory,
    ExpenseFactory,
    NetworkActivityFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DELEGATIONS = "/api/delegations/"
DAYS = [datetime.date(2026, 5, 1), datetime.date(2026, 5, 2), datetime.date(2026, 5, 3)]


def delegations_on_three_days(count: int) -> list[Delegation]:
    """``count`` delegations, many starting on the same day: the walk must not rely on unique dates."""
    return [DelegationFactory(start_on=DAYS[number % 3]) for number in range(count)]


def walk(client, url, params, *, link="next"):
    """Follow ``link`` from the first page to the end: the pages' ids and the last answer."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        if not body[link]:
            return pages, body
        response = client.get(body[link])


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


# --- cursor pages ---------------------------------------------------------


def test_cursor_pages_walk_every_delegation_once_newest_first_also_on_equal_dates(staff_api):
    delegations = delegations_on_three_days(23)
    newest_first = [d.pk for d in sorted(delegations, key=lambda d: (d.start_on, d.pk), reverse=True)]

    pages, last = walk(staff_api, DELEGATIONS, {"pagination": "cursor", "page_size": 4})

    assert [len(page) for page in pages] == [4, 4, 4, 4, 4, 3]
    assert [pk for page in pages for pk in page] == newest_first
    assert "count" not in last


def test_previous_links_walk_back_to_the_first_page_with_the_same_pages(staff_api):
    delegations_on_three_days(14)
    forward, last = walk(staff_api, DELEGATIONS, {"pagination": "cursor", "page_size": 4})

    backward = [[row["id"] for row in last["results"]]]
    body = last
    while body["previous"]:
        body = staff_api.get(body["previous"]).json()
        backward.append([row["id"] for row in body["results"]])

    assert backward == list(reversed(forward))


def test_cursor_pages_follow_the_start_date_ordering_either_way(staff_api):
    delegations = delegations_on_three_days(9)
    oldest_first = [d.pk for d in sorted(delegations, key=lambda d: (d.start_on, d.pk))]

    pages, _ = walk(staff_api, DELEGATIONS, {"pagination": "cursor", "page_size": 4, "ordering": "start"})

    assert [pk for page in pages for pk in page] == oldest_first


def test_cursor_pages_keep_the_filter(staff_api):
    DelegationFactory(start_on=datetime.date(2025, 6, 1))
    in_2026 = {d.pk for d in delegations_on_three_days(7)}

    pages, _ = walk(staff_api, DELEGATIONS, {"pagination": "cursor", "page_size": 3, "year": 2026})

    assert sorted(pk for page in pages for pk in page) == sorted(in_2026)


def test_a_row_added_meanwhile_neither_repeats_nor_hides_a_row_of_the_walk(staff_api):
    delegations = delegations_on_three_days(6)
    first = staff_api.get(DELEGATIONS, {"pagination": "cursor", "page_size": 3}).json()
    DelegationFactory(start_on=datetime.date(2026, 6, 1))  # newer than all: before the first page

    rest, _ = walk(staff_api, first["next"], {})

    assert sorted([*[row["id"] for row in first["results"]], *rest[0]]) == sorted(d.pk for d in delegations)


def test_first_and_last_cursor_page_run_the_same_queries(staff_api):
    delegations_on_three_days(12)
    with CaptureQueriesContext(connection) as first_page:
        body = staff_api.get(DELEGATIONS, {"pagination": "cursor", "page_size": 4}).json()
    body = staff_api.get(body["next"]).json()
    with CaptureQueriesContext(connection) as last_page:
        body = staff_api.get(body["next"]).json()

    assert body["next"] is None
    assert len(first_page) == len(last_page)


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "eyJrZXlzIjpbIi1zdGFydF9vbiIsIi1wayJdfQ",  # well-formed, unsigned
        signing.dumps({"keys": ["-start_on", "-pk"], "direction": "next", "values": ["2026", 1]}, salt="other"),
        signing.dumps({"keys": ["-start_on", "-pk"], "direction": "next", "values": ["May", 1]}, salt=CURSOR_SALT),
        signing.dumps({"keys": ["-start_on", "-pk"], "direction": "sideways", "values": []}, salt=CURSOR_SALT),
        signing.dumps(["-start_on"], salt=CURSOR_SALT),
        "x" * 5000,
    ],
    # Fixed ids: a signed cursor holds the time it was made, and pytest-xdist's
    # workers must collect the same test names.
    ids=["not-a-cursor", "unsigned", "other-salt", "bad-value", "bad-direction", "a-list", "too-long"],
)
def test_an_altered_or_forged_cursor_answers_400_and_says_to_start_again(staff_api, cursor):
    DelegationFactory()

    response = staff_api.get(DELEGATIONS, {"pagination": "cursor", "cursor": cursor})

    assert response.status_code == 400
    assert "first page" in response.json()["cursor"][0]


def test_an_altered_cursor_value_is_refused(staff_api):
    delegations_on_three_days(4)
    link = staff_api.get(DELEGATIONS, {"pagination": "cursor", "page_size": 2}).json()["next"]
    payload, signature = cursor_of(link).split(":", 1)
    forged = payload.replace(payload[-4:], "AAAA") + ":" + signature

    response = staff_api.get(DELEGATIONS, {"pagination": "cursor", "cursor": forged})

    assert response.status_code == 400


def test_a_cursor_of_another_ordering_is_refused(staff_api):
    delegations_on_three_days(4)
    link = staff_api.get(DELEGATIONS, {"pagination": "cursor", "page_size": 2, "ordering": "start"}).json()["next"]

    response = staff_api.get(DELEGATIONS, {"pagination": "cursor", "cursor": cursor_of(link)})

    assert response.status_code == 400


def test_an_ordering_cursor_pages_cannot_follow_is_refused_with_the_ones_they_can(staff_api):
    response = staff_api.get(DELEGATIONS, {"pagination": "cursor", "ordering": "title"})

    assert response.status_code == 400
    assert "-start, start" in response.json()["ordering"][0]
    assert staff_api.get(DELEGATIONS, {"ordering": "title"}).status_code == 200  # page numbers take it


@pytest.mark.parametrize(
    "params",
    [
        {"pagination": "cursor", "page": 2},
        {"pagination": "pages"},
        {"pagination": "page", "cursor": "x"},
        {"pagination": "cursor", "page_size": 0},
    ],
)
def test_mixed_or_unknown_pagination_answers_400(staff_api, params):
    assert staff_api.get(DELEGATIONS, params).status_code == 400


def test_a_cursor_alone_asks_for_cursor_pages(staff_api):
    delegations_on_three_days(3)
    link = staff_api.get(DELEGATIONS, {"pagination": "cursor", "page_size": 2}).json()["next"]

    body = staff_api.get(DELEGATIONS, {"cursor": cursor_of(link), "page_size": 2}).json()

    assert len(body["results"]) == 1
    assert "count" not in body


def test_cursor_pages_show_a_user_only_their_own_notifications(api_client):
    user, other = UserFactory(role=Role.STAFF), UserFactory(role=Role.STAFF)
    mine = [Notification.objects.create(user=user, text=f"Mine {n}").pk for n in range(5)]
    Notification.objects.create(user=other, text="Someone else's")
    api_client.force_authenticate(user)

    pages, _ = walk(api_client, "/api/notifications/", {"pagination": "cursor", "page_size": 2})

    assert sorted(pk for page in pages for pk in page) == sorted(mine)


def test_a_club_leader_walks_only_their_own_clubs_exchanges(api_client):
    own = ExchangeFactory()
    ExchangeFactory()
    leader = UserFactory(role=Role.CLUB_LEADER)
    own.club.leaders.add(leader)
    api_client.force_authenticate(leader)

    pages, _ = walk(api_client, "/api/exchanges/", {"pagination": "cursor"})

    assert pages == [[own.pk]]


# --- the lists with cursor pages run a fixed number of queries ------------------


def _budget_change():
    line = BudgetLineFactory()
    return BudgetChange.objects.create(line=line, kind="amendment", amount=100, decided_on=DAYS[0], reason="Council")


CURSOR_LISTS = {
    "/api/delegations/": lambda user: DelegationFactory(),
    "/api/people/": lambda user: PersonFactory(),
    "/api/expenses/": lambda user: ExpenseFactory(),
    "/api/commitments/": lambda user: CommitmentFactory(),
    "/api/budget-changes/": lambda user: _budget_change(),
    "/api/network-activities/": lambda user: NetworkActivityFactory(),
    "/api/exchanges/": lambda user: ExchangeFactory(),
    "/api/notifications/": lambda user: Notification.objects.create(user=user, text="Hello"),
}


@pytest.mark.parametrize("url", sorted(CURSOR_LISTS))
def test_cursor_pages_run_as_many_queries_for_1_row_as_for_30(api_client, url):
    user = UserFactory(role=Role.ADMIN)
    api_client.force_authenticate(user)
    queries = []
    for count, more in ((1, 1), (30, 29)):
        for _ in range(more):
            CURSOR_LISTS[url](user)
        api_client.get(url)  # the user's roles, read once and then kept
        with CaptureQueriesContext(connection) as captured:
            response = api_client.get(url, {"pagination": "cursor", "page_size": 200})
        assert len(response.json()["results"]) == count
        queries.append(len(captured))

    assert queries[0] == queries[1]


# --- counts -------------------------------------------------------------------


def test_a_short_list_is_counted_exactly(staff_api):
    delegations_on_three_days(3)

    body = staff_api.get(DELEGATIONS).json()

    assert (body["count"], body["count_is_estimate"]) == (3, False)


def test_a_list_past_the_limit_gets_an_estimate_labelled_and_still_pages_to_its_end(staff_api, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 4)
    delegations = delegations_on_three_days(11)

    pages, last = walk(staff_api, DELEGATIONS, {"page_size": 3})
    first = staff_api.get(DELEGATIONS, {"page_size": 3}).json()

    assert first["count_is_estimate"] is True
    assert first["count"] >= 5
    assert sorted(pk for page in pages for pk in page) == sorted(d.pk for d in delegations)
    assert last["count_is_estimate"] is True
    assert staff_api.get(DELEGATIONS, {"page_size": 3, "page": 5}).status_code == 404


def test_a_count_reads_at_most_the_limit_plus_one_row(staff_api, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 4)
    delegations_on_three_days(6)

    with CaptureQueriesContext(connection) as captured:
        staff_api.get(DELEGATIONS)

    counts = [query["sql"] for query in captured if "COUNT(*)" in query["sql"]]
    assert len(counts) == 1
    assert "LIMIT 5" in counts[0]


# --- the schema says so --------------------------------------------------------


def test_the_schema_documents_cursor_pages_and_estimated_counts(staff_api):
    schema = staff_api.get(reverse("api:schema"), {"format": "json"}).json()

    listing = schema["paths"]["/api/delegations/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    page = schema["components"]["schemas"]["PaginatedDelegationList"]
    assert {"page", "page_size", "pagination", "cursor"} <= names
    assert "count_is_estimate" in page["properties"]
    assert page["required"] == ["results"]
    plain = schema["components"]["schemas"]["PaginatedDepartmentList"]
    assert plain["required"] == ["count", "count_is_estimate", "results"]
    departments = schema["paths"]["/api/departments/"]["get"]
    assert "cursor" not in {parameter["name"] for parameter in departments["parameters"]}
