"""Umbrella associations of the clubs, for the office: the pages and the API
(list, page, forms, members, versioned edits, deletion), the club side of the
membership, and what the data export and the erasure of a leader include.
What an association's leaders see is in test_isolation.py and test_leader_fields.py."""

import json

import pytest
from django.urls import reverse

from oia.roles import Role
from partners import services
from partners.models import Club, ClubAssociation
from tests.factories import (
    ClubAssociationFactory,
    ClubFactory,
    ExchangeFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_QUERIES = 8
DETAIL_QUERIES = 10
API_LIST_QUERIES = 5
PORTAL_QUERIES = 8


def association_form(**overrides):
    return {
        "name": "Dachverband der Partnerschaftsvereine",
        "contact_email": "info@dachverband.example.org",
        "contact_phone": "+49 69 123",
        "postal_address": "Römerberg 23\r\n60311 Frankfurt",
        **overrides,
    }


def make_associations(count):
    for n in range(count):
        ClubAssociationFactory(
            clubs=[ClubFactory(), ClubFactory()], leaders=[UserFactory(role=Role.CLUB_LEADER)], name=f"Umbrella {n}"
        )


# --- the office's pages -------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    make_associations(count)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = staff_client.get(reverse("partners:club-association-list"))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count
    assert response.context["object_list"][0].club_count == 2


def test_the_list_filters_by_name_and_links_each_association(staff_client):
    cologne = ClubAssociationFactory(name="Kölner Partnerschaftsvereine")
    ClubAssociationFactory(name="Frankfurter Dachverband")

    html = staff_client.get(reverse("partners:club-association-list"), {"q": "kölner"}).content.decode()

    assert reverse("partners:club-association-detail", args=[cologne.pk]) in html
    assert "Frankfurter Dachverband" not in html


def test_the_club_list_links_the_associations_and_filters_by_one(staff_client):
    frankfurt = ClubAssociationFactory(name="Frankfurter Dachverband", clubs=[ClubFactory(name="Club Kraków")])
    ClubFactory(name="Club Toronto")

    page = staff_client.get(reverse("partners:club-list")).content.decode()
    members = staff_client.get(reverse("partners:club-list"), {"association": frankfurt.pk})
    outside = staff_client.get(reverse("partners:club-list"), {"in_umbrella_alliance": "false"})

    assert reverse("partners:club-association-list") in page
    assert reverse("partners:club-association-detail", args=[frankfurt.pk]) in page
    assert [club.name for club in members.context["object_list"]] == ["Club Kraków"]
    assert [club.name for club in outside.context["object_list"]] == ["Club Toronto"]


def test_the_page_shows_contact_leaders_member_clubs_and_history(staff_client):
    leader = UserFactory(first_name="Ulrike", last_name="Umbrella", role=Role.CLUB_LEADER)
    club = ClubFactory(name="Club Kraków", partnerships=[PartnershipFactory()])
    association = ClubAssociationFactory(
        name="Dachverband", contact_phone="+49 69 1", postal_address="Römerberg 23", clubs=[club], leaders=[leader]
    )

    page = staff_client.get(reverse("partners:club-association-detail", args=[association.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Dachverband</h1>" in html
    for text in ("Ulrike Umbrella", "+49 69 1", "Römerberg 23", "dachverband@example.org"):
        assert text in html
    assert reverse("partners:club-edit", args=[club.pk]) in html
    assert f"{reverse('partners:exchange-list')}?association={association.pk}" in html
    assert 'id="record-history"' in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    leaders = [UserFactory(role=Role.CLUB_LEADER) for _ in range(count)]
    clubs = [ClubFactory(partnerships=[PartnershipFactory()]) for _ in range(count)]
    for club in clubs:
        club.leaders.set(leaders)
    association = ClubAssociationFactory(clubs=clubs, leaders=leaders)

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(reverse("partners:club-association-detail", args=[association.pk]))

    assert len(response.context["association"].clubs.all()) == count


def test_the_office_records_an_association_with_its_members_and_leaders(staff_client):
    kraków, lyon = ClubFactory(name="Club Kraków"), ClubFactory(name="Club Lyon")
    leader = UserFactory(role=Role.CLUB_LEADER)

    response = staff_client.post(
        reverse("partners:club-association-create"),
        association_form(clubs=[kraków.pk, lyon.pk], leaders=[leader.pk]),
    )

    association = ClubAssociation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partners:club-association-detail", args=[association.pk])
    assert association.postal_address == "Römerberg 23\r\n60311 Frankfurt"
    assert set(association.clubs.values_list("name", flat=True)) == {"Club Kraków", "Club Lyon"}
    assert list(association.leaders.all()) == [leader]


def test_the_form_offers_only_club_leaders_and_clubs_of_no_other_association(staff_client):
    taken = ClubFactory(name="Club Toronto")
    ClubAssociationFactory(name="Another", clubs=[taken])
    free = ClubFactory(name="Club Kraków")
    staff = UserFactory(username="stefan-office", role=Role.STAFF)

    form = staff_client.get(reverse("partners:club-association-create")).context["form"]
    refused = staff_client.post(reverse("partners:club-association-create"), association_form(clubs=[taken.pk]))

    assert list(form.fields["clubs"].queryset) == [free]
    assert staff not in form.fields["leaders"].queryset
    assert refused.status_code == 200
    assert "clubs" in refused.context["form"].errors
    assert not ClubAssociation.objects.filter(name="Dachverband der Partnerschaftsvereine").exists()
    assert Club.objects.get(pk=taken.pk).association.name == "Another"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"contact_phone": "+49\x0069"}, "contact_phone"),
    ],
)
def test_bad_input_is_shown_beside_the_field(staff_client, change, field):
    response = staff_client.post(reverse("partners:club-association-create"), association_form(**change))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ClubAssociation.objects.exists()


def test_a_second_association_of_the_same_name_is_refused(staff_client):
    ClubAssociationFactory(name="Dachverband der Partnerschaftsvereine")

    response = staff_client.post(reverse("partners:club-association-create"), association_form())

    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_an_edit_changes_the_members_and_the_clubs_taken_out_leave(staff_client):
    kraków, lyon, toronto = (ClubFactory(name=f"Club {city}") for city in ("Kraków", "Lyon", "Toronto"))
    association = ClubAssociationFactory(name="Dachverband", clubs=[kraków, lyon])
    url = reverse("partners:club-association-edit", args=[association.pk])

    form = staff_client.get(url).context["form"]
    response = staff_client.post(url, association_form(name="Dachverband", clubs=[lyon.pk, toronto.pk], version=1))

    assert set(form.initial["clubs"]) == {kraków.pk, lyon.pk}
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.version == 2
    assert set(association.clubs.values_list("name", flat=True)) == {"Club Lyon", "Club Toronto"}
    assert Club.objects.get(pk=kraków.pk).association is None


def test_a_stale_edit_is_refused_and_keeps_the_colleagues_change(staff_client):
    association = ClubAssociationFactory(name="Dachverband")
    services.club_association_update(association=association, version=1, contact_phone="+49 69 999")
    url = reverse("partners:club-association-edit", args=[association.pk])

    response = staff_client.post(url, association_form(name="Dachverband", contact_phone="+49 69 111", version=1))

    assert response.status_code == 200
    assert "Someone else changed this umbrella association" in response.content.decode()
    association.refresh_from_db()
    assert (association.contact_phone, association.version) == ("+49 69 999", 2)


def test_deleting_an_association_leaves_its_clubs_outside_any(staff_client):
    club = ClubFactory(name="Club Kraków")
    association = ClubAssociationFactory(name="Dachverband", clubs=[club])
    url = reverse("partners:club-association-delete", args=[association.pk])

    confirmation = staff_client.get(url).content.decode()
    response = staff_client.post(url)

    assert "Its member club stays, outside any umbrella association." in confirmation
    assert reverse("partners:club-association-detail", args=[association.pk]) in confirmation
    assert response.status_code == 302
    assert not ClubAssociation.objects.exists()
    assert Club.objects.get(pk=club.pk).association is None


def test_the_club_form_puts_a_club_in_an_association(staff_client):
    association = ClubAssociationFactory(name="Dachverband")
    club = ClubFactory(name="Club Kraków", partnerships=[PartnershipFactory()])

    response = staff_client.post(
        reverse("partners:club-edit", args=[club.pk]),
        {"name": club.name, "partnerships": [club.partnerships.get().pk], "association": association.pk},
    )

    assert response.status_code == 302
    assert Club.objects.get(pk=club.pk).association == association


def test_the_office_reads_the_member_clubs_exchanges_in_the_review_list(staff_client):
    association = ClubAssociationFactory(clubs=[ClubFactory(name="Club Kraków")])
    ExchangeFactory(club=association.clubs.get(), title="Choir in Kraków", review_status="submitted")
    ExchangeFactory(title="Football in Toronto", review_status="submitted")

    response = staff_client.get(reverse("partners:exchange-list"), {"association": association.pk})

    assert [e.title for e in response.context["object_list"]] == ["Choir in Kraków"]


# --- the API -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_api_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    make_associations(count)

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = staff_api.get("/api/club-associations/")

    assert response.status_code == 200
    assert response.json()["count"] == count
    assert len(response.json()["results"][0]["clubs"]) == 2
    assert len(response.json()["results"][0]["leaders"]) == 1


def test_the_office_creates_edits_and_deletes_an_association_through_the_api(staff_api):
    kraków, lyon = ClubFactory(name="Club Kraków"), ClubFactory(name="Club Lyon")

    created = staff_api.post(
        "/api/club-associations/",
        {"name": "Dachverband", "contact_email": "info@example.org", "clubs": [kraków.pk]},
        format="json",
    )
    pk = created.json()["id"]
    without_version = staff_api.patch(f"/api/club-associations/{pk}/", {"clubs": [lyon.pk]}, format="json")
    edited = staff_api.patch(f"/api/club-associations/{pk}/", {"clubs": [lyon.pk], "version": 1}, format="json")
    stale = staff_api.patch(f"/api/club-associations/{pk}/", {"name": "Old", "version": 1}, format="json")
    clubs = staff_api.get("/api/clubs/", {"in_umbrella_alliance": "true"}).json()["results"]
    deleted = staff_api.delete(f"/api/club-associations/{pk}/")

    assert created.status_code == 201
    assert (created.json()["clubs"], created.json()["version"]) == ([kraków.pk], 1)
    assert without_version.status_code == 400
    assert "version" in without_version.json()
    assert edited.status_code == 200
    assert (edited.json()["clubs"], edited.json()["version"]) == ([lyon.pk], 2)
    assert stale.status_code == 400
    assert "Someone else changed this umbrella association" in json.dumps(stale.json())
    assert [(c["name"], c["association"], c["in_umbrella_alliance"]) for c in clubs] == [("Club Lyon", pk, True)]
    assert deleted.status_code == 204
    assert Club.objects.filter(association__isnull=True).count() == 2


def test_the_api_refuses_a_club_of_another_association_with_the_reason(staff_api):
    taken = ClubFactory(name="Club Toronto")
    ClubAssociationFactory(name="Toronto friends", clubs=[taken])

    response = staff_api.post("/api/club-associations/", {"name": "Dachverband", "clubs": [taken.pk]}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "clubs": ["Club Toronto already belongs to Toronto friends; take it out of that association first."]
    }
    assert not ClubAssociation.objects.filter(name="Dachverband").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Dachverband", "contact_email": "nobody"}, "contact_email"),
        ({"name": "Dachverband", "clubs": 1}, "clubs"),
        ({"name": "Dachverband", "clubs": ["1"]}, "clubs"),
        ({"name": "Dachverband", "clubs": [10**12]}, "clubs"),
        ({"name": "Dachverband", "postal_address": "Römerberg\x00"}, "postal_address"),
    ],
)
def test_bad_input_to_the_api_answers_400_naming_the_field(staff_api, body, field):
    response = staff_api.post("/api/club-associations/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ClubAssociation.objects.exists()


def test_the_api_filters_associations_by_name(staff_api):
    ClubAssociationFactory(name="Kölner Partnerschaftsvereine")
    ClubAssociationFactory(name="Frankfurter Dachverband")

    rows = staff_api.get("/api/club-associations/", {"q": "Köln"}).json()["results"]

    assert [row["name"] for row in rows] == ["Kölner Partnerschaftsvereine"]


def test_council_members_are_refused_the_associations(api_client, council_user):
    association = ClubAssociationFactory()
    api_client.force_authenticate(council_user)

    assert api_client.get("/api/club-associations/").status_code == 403
    assert api_client.get(f"/api/club-associations/{association.pk}/").status_code == 403


# --- the portal page of an association -----------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_the_associations_portal_page_costs_the_same_for_one_or_many_rows(client, django_assert_max_num_queries, count):
    leader = UserFactory(role=Role.CLUB_LEADER)
    clubs = [ClubFactory(partnerships=[PartnershipFactory()]) for _ in range(3)]
    association = ClubAssociationFactory(leaders=[leader], clubs=clubs)
    for club in clubs:
        for _ in range(count):
            ExchangeFactory(club=club, review_status="submitted")
    client.force_login(leader)

    with django_assert_max_num_queries(PORTAL_QUERIES):
        response = client.get(reverse("portal:association", args=[association.pk]))

    assert len(response.context["exchanges"]) == min(3 * count, 50)


# --- the leaders' data ------------------------------------------------------------------


def test_a_leaders_export_names_the_associations_they_lead_and_erasure_ends_the_leadership(admin_api, admin_user_oia):
    leader = UserFactory(username="ulrike", role=Role.CLUB_LEADER)
    association = ClubAssociationFactory(name="Dachverband", leaders=[leader], postal_address="Römerberg 23")

    export = admin_api.get(reverse("api:club-leader-export", args=[leader.pk])).json()
    services.anonymise_club_leader(leader, by=admin_user_oia, reason="Stepped down")

    sections = {section["key"]: section["records"] for section in export["sections"]}
    assert [(a["name"], a["postal_address"]) for a in sections["associations"]] == [("Dachverband", "Römerberg 23")]
    assert not association.leaders.exists()


def test_an_association_leader_without_a_club_is_among_the_club_leaders_accounts():
    leader = UserFactory(username="ulrike")
    ClubAssociationFactory(leaders=[leader])

    assert leader in services.club_leaders()
