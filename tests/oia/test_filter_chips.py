"""The filter form of every list (templates/partials/filter_form.html, oia.filters):
folded away, its active values as chips that each link to the list without that
value, a choice of several as checkboxes; the query string is the API's."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from delegations.filters import DelegationFilter
from oia.filters import active_filters, clear_filters_url
from tests.factories import CityFactory, DelegationFactory, DepartmentFactory

LIST_URL = reverse("delegations:delegation-list")


def chips_for(query: str):
    return active_filters(DelegationFilter(QueryDict(query)), QueryDict(query), LIST_URL)


def params(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


@pytest.mark.django_db
def test_each_value_is_a_chip_whose_link_drops_only_that_value_and_the_page():
    chips = chips_for("status=confirmed&status=requested&q=choir&page=3&ordering=title")

    assert [(chip.label, chip.value) for chip in chips] == [
        ("Title", "choir"),
        ("Status", "Confirmed"),
        ("Status", "Requested"),
    ]
    assert params(chips[1].remove_url) == {"status": ["requested"], "q": ["choir"], "ordering": ["title"]}
    assert params(chips[0].remove_url) == {"status": ["confirmed", "requested"], "ordering": ["title"]}
    assert all(chip.remove_url.startswith(LIST_URL + "?") for chip in chips)


@pytest.mark.django_db
def test_a_record_chip_names_the_record_and_yes_no_reads_as_words():
    lyon = CityFactory(name="Lyon", country="FR")
    culture = DepartmentFactory(name="Culture office")

    chips = chips_for(f"city={lyon.pk}&department={culture.pk}&official_guest=true&direction=unknown-thing")

    assert [(chip.label, chip.value) for chip in chips] == [
        ("Direction", "unknown-thing"),
        ("Department", str(culture)),
        ("City", "Lyon (FR)"),
        ("Official guests of the city", "Yes"),
    ]


@pytest.mark.django_db
def test_nothing_chosen_means_no_chip_and_clear_all_keeps_the_sorting():
    query = QueryDict("status=&official_guest=unknown&ordering=-start")

    assert chips_for("status=&official_guest=unknown&ordering=-start") == []
    assert clear_filters_url(DelegationFilter(query), query, LIST_URL) == LIST_URL + "?ordering=-start"
    assert clear_filters_url(DelegationFilter(QueryDict("status=draft")), QueryDict("status=draft"), LIST_URL) == (
        LIST_URL
    )


def test_the_list_folds_its_filters_and_shows_chips_with_accessible_names(staff_client):
    DelegationFactory(status="draft")

    html = staff_client.get(LIST_URL, {"status": "draft", "purpose": "conference"}).content.decode()

    assert '<details class="filter-details">' in html, "folded, not open"
    assert "(2 active)" in html
    chips = re.findall(r'<a class="filter-chip" href="([^"]*)">(.*?)</a>', html, re.S)
    names = [" ".join(re.sub(r"<[^>]+>", "", text).replace("×", "").split()) for _href, text in chips]
    assert names == ["Remove filter: Status: Draft", "Remove filter: Purpose: Conference"]
    assert params(unescape(chips[0][0])) == {"purpose": ["conference"]}
    assert '<a class="filter-clear" href="/delegations/">Clear all</a>' in html


def test_a_choice_of_several_is_checkboxes_under_a_legend(staff_client):
    html = staff_client.get(LIST_URL, {"status": "draft"}).content.decode()

    assert '<select name="status"' not in html
    assert "multiple" not in re.sub(r"<select[^>]*data-search[^>]*>", "", html).split("<main", 1)[1].split("<table")[0]
    assert '<input type="checkbox" name="status" value="draft" id="id_status_0" checked>' in html
    assert "<legend>Status</legend>" in html


def test_an_invalid_filter_opens_the_filters_and_answers_400(staff_client):
    response = staff_client.get(LIST_URL, {"year": "99999"})

    assert response.status_code == 400
    assert '<details class="filter-details" open>' in response.content.decode()


def test_the_api_reads_the_same_query_string(api_client, staff_user):
    DelegationFactory(status="draft", title="Kept")
    DelegationFactory(status="approved", title="Left out")
    api_client.force_authenticate(staff_user)

    response = api_client.get("/api/delegations/", {"status": ["draft"]})

    assert [row["title"] for row in response.json()["results"]] == ["Kept"]
