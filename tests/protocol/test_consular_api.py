"""The Consular Corps API: office staff only, the list's filters, edits on
the version read, closing through its action, the order of precedence, and
observances once a year per post."""

import datetime

import pytest
from django.urls import reverse

from oia.roles import Role
from protocol.models import ConsularPost, NationalDayObservance
from tests.factories import ConsularPostFactory, NationalDayObservanceFactory, PersonFactory

pytestmark = pytest.mark.django_db

POSTS = reverse("api:consular-post-list")
OBSERVANCES = reverse("api:national-day-observance-list")
PRECEDENCE = reverse("api:consular-post-precedence")


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize(("url", "queries"), [(POSTS, 4), (OBSERVANCES, 3), (PRECEDENCE, 3)])
def test_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, url, queries, count):
    for _ in range(count):
        post = ConsularPostFactory(deputy=PersonFactory())
        post.contacts.add(PersonFactory())
        NationalDayObservanceFactory(post=post)

    with django_assert_max_num_queries(queries):
        response = staff_api.get(url, {"page_size": 100})

    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
def test_other_roles_are_refused(api_client, user_for_role, role):
    api_client.force_authenticate(user_for_role(role))
    post = ConsularPostFactory()
    for url in (POSTS, OBSERVANCES, PRECEDENCE, reverse("api:consular-post-detail", args=[post.pk])):
        assert api_client.get(url).status_code == 403
    assert api_client.post(POSTS, {"name": "x"}, format="json").status_code == 403


def test_anonymous_clients_are_refused(api_client):
    assert api_client.get(POSTS).status_code == 401


def test_the_api_filters_like_the_list(staff_api):
    ConsularPostFactory(name="France")
    ConsularPostFactory(name="Ireland", country="IE", head_category="honorary")

    names = [row["name"] for row in staff_api.get(POSTS, {"head_category": "honorary"}).json()["results"]]

    assert names == ["Ireland"]
    assert staff_api.get(POSTS, {"head_class": "7"}).status_code == 400


def test_a_post_is_created_and_edited_on_its_version(staff_api):
    head = PersonFactory()
    created = staff_api.post(
        POSTS,
        {
            "country": "JP",
            "kind": "consulate",
            "name": "Consulate of Japan",
            "head": head.pk,
            "languages": ["Japanese"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = reverse("api:consular-post-detail", args=[created.json()["id"]])

    edited = staff_api.patch(url, {"name": "Consulate-General of Japan", "version": 1}, format="json")
    stale = staff_api.patch(url, {"name": "Lost edit", "version": 1}, format="json")
    no_version = staff_api.patch(url, {"name": "Lost edit"}, format="json")

    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    assert stale.status_code == 400
    assert no_version.status_code == 400
    assert ConsularPost.objects.get().name == "Consulate-General of Japan"


def test_the_model_rules_answer_400_with_the_field(staff_api):
    response = staff_api.post(
        POSTS,
        {"country": "JP", "kind": "consulate", "name": "X", "national_day_month": 2, "national_day_day": 30},
        format="json",
    )

    assert response.status_code == 400
    assert "national_day_day" in response.json()


def test_the_closing_date_is_set_by_the_action_only(staff_api):
    post = ConsularPostFactory(opened_on=datetime.date(2000, 1, 1))
    url = reverse("api:consular-post-detail", args=[post.pk])

    staff_api.patch(url, {"closed_on": "2020-01-01", "version": post.version}, format="json")
    post.refresh_from_db()
    assert post.closed_on is None

    close = reverse("api:consular-post-close", args=[post.pk])
    early = staff_api.post(close, {"closed_on": "1999-01-01", "reason": "x", "version": post.version}, format="json")
    closed = staff_api.post(
        close, {"closed_on": "2020-01-01", "reason": "Moved", "version": post.version}, format="json"
    )
    version = closed.json()["version"]
    again = staff_api.post(close, {"closed_on": "2021-01-01", "reason": "x", "version": version}, format="json")
    reopened = staff_api.post(
        reverse("api:consular-post-reopen", args=[post.pk]), {"reason": "Mistake", "version": version}, format="json"
    )

    assert early.status_code == 400
    assert closed.json()["closed_on"] == "2020-01-01"
    assert again.status_code == 400
    assert "closed already" in str(again.json())
    assert reopened.json()["closed_on"] is None


def test_the_precedence_ranks_the_heads_on_the_day(staff_api):
    ConsularPostFactory(name="Consul", head_class=2)
    ConsularPostFactory(name="Consul General", head_class=1)
    ConsularPostFactory(name="Vacant", head=None)
    ConsularPostFactory(name="Closed", closed_on=datetime.date(2026, 1, 1))

    rows = staff_api.get(PRECEDENCE, {"date": "2026-06-01"}).json()

    assert [(row["rank"], row["name"]) for row in rows] == [(1, "Consul General"), (2, "Consul"), (None, "Vacant")]
    assert staff_api.get(PRECEDENCE, {"date": "0001-01-01"}).status_code == 400
    assert staff_api.get(PRECEDENCE, {"date": "nope"}).status_code == 400


def test_observances_once_a_year_per_post(staff_api, staff_user):
    post = ConsularPostFactory()
    data = {"post": post.pk, "date": "2026-07-14", "kind": "greeting"}

    first = staff_api.post(OBSERVANCES, data, format="json")
    second = staff_api.post(OBSERVANCES, {**data, "date": "2026-07-13"}, format="json")

    assert first.status_code == 201
    assert first.json()["recorded_by"] == staff_user.pk
    assert second.status_code == 400
    assert "already recorded" in str(second.json())
    assert NationalDayObservance.objects.count() == 1


def test_an_observance_is_changed_on_its_version(staff_api):
    observance = NationalDayObservanceFactory()
    url = reverse("api:national-day-observance-detail", args=[observance.pk])

    assert staff_api.patch(url, {"kind": "attended", "version": 1}, format="json").status_code == 200
    assert staff_api.patch(url, {"kind": "none", "version": 1}, format="json").status_code == 400
    observance.refresh_from_db()
    assert observance.kind == "attended"
