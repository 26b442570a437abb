"""Trilateral links and sub-partnerships, on the pages and through the API:
a link shows on both partnerships it joins, both are edited and deleted
where they are shown, and the API does what the pages do (and refuses what
their forms refuse)."""

import pytest
from django.urls import reverse

from oia.roles import Role
from partners.models import SubPartnership, TrilateralLink
from tests.factories import (
    CityFactory,
    PartnershipFactory,
    SubPartnershipFactory,
    TrilateralLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LINKS = "/api/trilateral-links/"
SUBS = "/api/sub-partnerships/"
# Roles, the count, the rows with both partnerships' cities and the third city.
API_LIST_QUERIES = 3
# The partnership page as measured (session, user, roles, the partnership and what it
# prefetches, delegations, exchanges, panels, history, the trips and their money); its links
# are one query of it.
DETAIL_QUERIES = 17


def page(client, partnership) -> str:
    response = client.get(reverse("partners:partnership-detail", args=[partnership.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- the pages ---------------------------------------------------------------------


def test_a_link_between_two_partnerships_shows_on_both_pages(staff_client):
    cologne_bethlehem = PartnershipFactory(partner_city=CityFactory(name="Bethlehem", country="PS"))
    cologne_tel_aviv = PartnershipFactory(partner_city=CityFactory(name="Tel Aviv", country="IL"))
    TrilateralLinkFactory(partnership=cologne_bethlehem, linked_partnership=cologne_tel_aviv, note="Youth choir")

    on_bethlehem = page(staff_client, cologne_bethlehem)
    on_tel_aviv = page(staff_client, cologne_tel_aviv)

    assert reverse("partners:partnership-detail", args=[cologne_tel_aviv.pk]) in on_bethlehem
    assert "Youth choir" in on_bethlehem
    assert reverse("partners:partnership-detail", args=[cologne_bethlehem.pk]) in on_tel_aviv
    assert "Youth choir" in on_tel_aviv
    assert "recorded under the partnership with Bethlehem" in on_tel_aviv


def test_a_third_city_that_is_also_a_partner_city_shows_the_link_on_that_partnership(staff_client):
    tel_aviv = CityFactory(name="Tel Aviv", country="IL")
    bethlehem = PartnershipFactory(partner_city=CityFactory(name="Bethlehem", country="PS"))
    with_tel_aviv = PartnershipFactory(partner_city=tel_aviv)
    TrilateralLinkFactory(partnership=bethlehem, linked_partnership=None, third_city=tel_aviv, note="Peace concert")

    assert "Peace concert" in page(staff_client, with_tel_aviv)
    assert "Peace concert" not in page(staff_client, PartnershipFactory())


@pytest.mark.parametrize("count", [1, 15])
def test_the_partnership_page_reads_its_links_in_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries, count
):
    partnership = PartnershipFactory()
    for _ in range(count):
        TrilateralLinkFactory(partnership=partnership)
        TrilateralLinkFactory(linked_partnership=partnership)
        TrilateralLinkFactory(partnership=partnership, linked_partnership=None, third_city=CityFactory())

    with django_assert_max_num_queries(DETAIL_QUERIES):
        body = page(staff_client, partnership)

    assert body.count(" – Youth orchestra of the three cities") == 3 * count


def test_a_link_is_edited_from_its_page_and_stays_with_its_partnership(staff_client):
    link = TrilateralLinkFactory(note="Old note")
    other = PartnershipFactory()
    url = reverse("partners:trilateral-link-edit", args=[link.pk])

    form = staff_client.get(url)
    response = staff_client.post(
        url, {"linked_partnership": other.pk, "third_city": "", "note": "New note", "version": link.version}
    )

    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:partnership-detail", args=[link.partnership_id])
    link.refresh_from_db()
    assert (link.linked_partnership, link.note) == (other, "New note")


def test_the_edit_form_refuses_both_targets_or_the_partnership_itself(staff_client):
    link = TrilateralLinkFactory()
    url = reverse("partners:trilateral-link-edit", args=[link.pk])

    both = staff_client.post(
        url,
        {"linked_partnership": link.linked_partnership_id, "third_city": CityFactory().pk, "note": "", "version": 1},
    )
    itself = staff_client.post(
        url, {"linked_partnership": link.partnership_id, "third_city": "", "note": "", "version": 1}
    )

    assert both.status_code == 200
    assert "Link either another partnership or a third city, not both." in both.content.decode()
    assert itself.status_code == 200  # not offered: the partnership is not among the choices
    assert TrilateralLink.objects.get(pk=link.pk).linked_partnership_id == link.linked_partnership_id


def test_a_link_is_deleted_after_confirmation(staff_client):
    link = TrilateralLinkFactory()
    url = reverse("partners:trilateral-link-delete", args=[link.pk])

    question = staff_client.get(url)
    response = staff_client.post(url, {"version": link.version})

    assert "Do you really want to delete" in question.content.decode()
    assert response.status_code == 302
    assert not TrilateralLink.objects.filter(pk=link.pk).exists()


def test_a_sub_partnership_is_deleted_from_the_partnership_page(staff_client):
    sub = SubPartnershipFactory(local_institution="Goethe-Gymnasium")
    delete_url = reverse("partners:sub-partnership-delete", args=[sub.pk])

    assert delete_url in page(staff_client, sub.partnership)
    response = staff_client.post(delete_url, {"version": sub.version})

    assert response.status_code == 302
    assert response["Location"] == reverse("partners:partnership-detail", args=[sub.partnership_id])
    assert not SubPartnership.objects.filter(pk=sub.pk).exists()


@pytest.mark.parametrize("name", ["trilateral-link-edit", "trilateral-link-delete", "sub-partnership-delete"])
@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
def test_only_the_office_edits_and_deletes_on_the_pages(client, name, role):
    record = SubPartnershipFactory() if name.startswith("sub") else TrilateralLinkFactory()
    client.force_login(UserFactory(role=role))

    response = client.post(reverse(f"partners:{name}", args=[record.pk]), {"note": "x"})

    assert response.status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


# --- the API: trilateral links ---------------------------------------------------------


def test_the_api_lists_a_partnerships_links_on_either_side_as_its_page_does(staff_api):
    partnership = PartnershipFactory()
    recorded_here = TrilateralLinkFactory(partnership=partnership)
    recorded_there = TrilateralLinkFactory(linked_partnership=partnership)
    TrilateralLinkFactory()  # between two other partnerships

    body = staff_api.get(LINKS, {"partnership": partnership.pk}).json()

    assert [row["id"] for row in body["results"]] == [recorded_here.pk, recorded_there.pk]
    assert body["results"][1]["linked_partnership_city"] == partnership.partner_city.name


def test_a_link_is_created_edited_and_deleted_through_the_api(staff_api):
    bethlehem, tel_aviv = PartnershipFactory(), PartnershipFactory()
    third = CityFactory(name="Haifa", country="IL")

    created = staff_api.post(
        LINKS, {"partnership": bethlehem.pk, "linked_partnership": tel_aviv.pk, "note": "Choir"}, format="json"
    )
    url = f"{LINKS}{created.json()['id']}/"
    moved_to_city = staff_api.patch(
        url, {"linked_partnership": None, "third_city": third.pk, "version": 1}, format="json"
    )
    deleted = staff_api.delete(f"{url}?version=2")

    assert created.status_code == 201, created.json()
    assert created.json()["linked_partnership_city"] == tel_aviv.partner_city.name
    assert moved_to_city.status_code == 200, moved_to_city.json()
    assert moved_to_city.json()["third_city_name"] == "Haifa"
    assert moved_to_city.json()["linked_partnership"] is None
    assert deleted.status_code == 204
    assert not TrilateralLink.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"linked_partnership": "other", "third_city": "city"}, "Link either another partnership or a third city"),
        ({}, "Link either another partnership or a third city"),
        ({"linked_partnership": "itself"}, "A partnership cannot be linked to itself."),
    ],
)
def test_the_api_refuses_what_the_model_refuses(staff_api, payload, message):
    partnership = PartnershipFactory()
    values = {"other": PartnershipFactory().pk, "city": CityFactory().pk, "itself": partnership.pk}

    response = staff_api.post(
        LINKS, {"partnership": partnership.pk, **{k: values[v] for k, v in payload.items()}}, format="json"
    )

    assert response.status_code == 400
    assert message in str(response.json()["non_field_errors"])
    assert not TrilateralLink.objects.exists()


def test_a_link_cannot_move_to_another_partnership(staff_api):
    link = TrilateralLinkFactory()

    response = staff_api.patch(
        f"{LINKS}{link.pk}/", {"partnership": PartnershipFactory().pk, "version": link.version}, format="json"
    )

    assert response.status_code == 400
    assert "partnership" in response.json()
    assert TrilateralLink.objects.get(pk=link.pk).partnership_id == link.partnership_id


@pytest.mark.parametrize("count", [1, 30])
def test_the_link_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    for _ in range(count):
        TrilateralLinkFactory()
        TrilateralLinkFactory(linked_partnership=None, third_city=CityFactory())

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = staff_api.get(LINKS, {"page_size": 200})

    assert response.json()["count"] == 2 * count


@pytest.mark.parametrize(("role", "expected"), [(None, 401), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)])
def test_only_the_office_reads_and_writes_links_and_sub_partnerships(api_client, role, expected):
    link, sub = TrilateralLinkFactory(), SubPartnershipFactory()
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    answers = [
        api_client.get(LINKS).status_code,
        api_client.patch(f"{LINKS}{link.pk}/", {"note": "x"}, format="json").status_code,
        api_client.delete(f"{LINKS}{link.pk}/").status_code,
        api_client.patch(f"{SUBS}{sub.pk}/", {"active": False}, format="json").status_code,
        api_client.delete(f"{SUBS}{sub.pk}/").status_code,
    ]

    assert answers == [expected] * 5
    assert TrilateralLink.objects.get(pk=link.pk).note == link.note
    assert SubPartnership.objects.filter(pk=sub.pk, active=True).exists()


def test_an_unknown_partnership_in_the_filter_is_a_400(staff_api):
    response = staff_api.get(LINKS, {"partnership": 10**30})

    assert response.status_code == 400
    assert "partnership" in response.json()


# --- the API: sub-partnerships -----------------------------------------------------


def test_a_sub_partnership_is_edited_and_deleted_through_the_api_as_on_the_page(staff_api):
    sub = SubPartnershipFactory(active=True)
    url = f"{SUBS}{sub.pk}/"

    edited = staff_api.patch(
        url, {"active": False, "partner_institution": "Lycée Ampère", "version": sub.version}, format="json"
    )
    deleted = staff_api.delete(f"{url}?version={edited.json()['version']}")

    assert edited.status_code == 200
    assert (edited.json()["active"], edited.json()["partner_institution"]) == (False, "Lycée Ampère")
    assert deleted.status_code == 204
    assert not SubPartnership.objects.filter(pk=sub.pk).exists()


def test_a_sub_partnership_cannot_move_to_another_partnership(staff_api):
    sub = SubPartnershipFactory()

    moved = staff_api.patch(f"{SUBS}{sub.pk}/", {"partnership": PartnershipFactory().pk, "version": 1}, format="json")
    same = staff_api.patch(
        f"{SUBS}{sub.pk}/", {"partnership": sub.partnership_id, "active": False, "version": 1}, format="json"
    )

    assert moved.status_code == 400
    assert "stays with its partnership" in moved.json()["partnership"][0]
    assert same.status_code == 200
    assert SubPartnership.objects.get(pk=sub.pk).partnership_id == sub.partnership_id
