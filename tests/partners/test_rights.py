"""The rights of contacts and club leaders: the data export (Art. 15) and the
anonymisation (Art. 17), for administrators only."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget.models import GrantApplication
from oia.models import AnonymisedAccount, Notification
from oia.rights import columns_containing
from partners.models import Contact, Exchange, ExchangeEvent, ExchangePhoto
from partners.services import anonymise_club_leader, anonymise_contact
from tests.factories import (
    ClubFactory,
    ContactFactory,
    ExchangeFactory,
    ExchangePhotoFactory,
    GrantApplicationFactory,
    PartnershipFactory,
    UserFactory,
)

CONTACT_NAME = "Radosława Wierzbięta"


@pytest.fixture
def contact(db):
    partnership = PartnershipFactory()
    ContactFactory(partnership=partnership, name="Someone Else Entirely", email="else@example.org")
    return ContactFactory(
        partnership=partnership, name=CONTACT_NAME, email="rw@example.pl", phone="+48 12 345 67 89", role="Director"
    )


def test_the_partnership_page_offers_export_and_anonymisation_to_administrators_only(admin_client, contact):
    url = reverse("partners:partnership-detail", args=[contact.partnership_id])

    page = admin_client.get(url).content.decode()

    assert reverse("partners:contact-export", args=[contact.pk]) in page
    assert reverse("partners:contact-anonymise", args=[contact.pk]) in page


def test_staff_get_no_rights_actions(staff_client, contact):
    page = staff_client.get(reverse("partners:partnership-detail", args=[contact.partnership_id])).content.decode()

    assert reverse("partners:contact-export", args=[contact.pk]) not in page
    assert staff_client.get(reverse("partners:contact-export", args=[contact.pk])).status_code == 403


def test_a_contacts_export_holds_their_record_and_no_other_contacts(admin_client, admin_api, contact):
    page = admin_client.get(reverse("partners:contact-export", args=[contact.pk]))
    download = admin_client.get(reverse("partners:contact-export", args=[contact.pk]) + "?format=json")
    api = admin_api.get(reverse("api:contact-export", args=[contact.pk]))

    assert CONTACT_NAME in page.content.decode()
    data = json.loads(download.content)
    assert data == {**api.json(), "exported_at": data["exported_at"]}
    record = data["sections"][0]["records"][0]
    assert (record["name"], record["email"], record["phone"]) == (CONTACT_NAME, "rw@example.pl", "+48 12 345 67 89")
    for body in (page.content, download.content):
        assert b"Someone Else" not in body
        assert b"else@example.org" not in body


def test_anonymising_a_contact_needs_a_reason_and_leaves_no_trace_of_the_name(admin_client, admin_user_oia, contact):
    url = reverse("partners:contact-anonymise", args=[contact.pk])
    confirmation = admin_client.get(url).content.decode()
    assert "What will be removed" in confirmation
    assert "The e-mail address and phone number." in confirmation

    assert admin_client.post(url, {"reason": ""}).status_code == 200
    assert Contact.objects.get(pk=contact.pk).name == CONTACT_NAME
    response = admin_client.post(url, {"reason": "Left the city administration"})

    assert response.status_code == 302
    assert columns_containing(CONTACT_NAME) == {}
    assert columns_containing("Wierzbięta") == {}
    assert columns_containing("rw@example.pl") == {}
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == (f"Anonymised contact #{contact.pk}", "", "")
    assert (contact.role, contact.partnership_id) == ("Director", contact.partnership_id)
    assert contact.anonymised_by == admin_user_oia
    with pytest.raises(ValidationError, match="already anonymised"):
        anonymise_contact(contact, by=admin_user_oia, reason="Again")


def test_the_contact_api_anonymises_for_administrators_only(admin_api, staff_api, contact):
    url = reverse("api:contact-anonymise", args=[contact.pk])

    assert staff_api.post(url, {"reason": "x"}, format="json").status_code == 403
    assert admin_api.post(url, {"reason": ""}, format="json").status_code == 400
    assert admin_api.post(url, {"reason": "Asked"}, format="json").status_code == 200
    assert admin_api.post(url, {"reason": "Asked"}, format="json").status_code == 400
    assert staff_api.get(reverse("api:contact-export", args=[contact.pk])).status_code == 403


# --- club leaders --------------------------------------------------------------


@pytest.fixture
def club_leader(db, settings, tmp_path):
    """Klara leads a club: an exchange with its history and a photo, a grant
    application, a notification; Bruno leads another club."""
    settings.MEDIA_ROOT = tmp_path
    klara = UserFactory(
        username="klara.k", first_name="Klarissa", last_name="Zwetschgenbaum", email="klara@example.org"
    )
    klara.groups.add(Group.objects.get_or_create(name="club_leader")[0])
    club = ClubFactory(name="Friends of Kraków e.V.", partnerships=[PartnershipFactory()])
    club.leaders.add(klara)
    exchange = ExchangeFactory(club=club, title="Choir trip to Kraków", created_by=klara)
    ExchangeEvent.objects.create(exchange=exchange, action="submitted", by=klara, comment="Off we go")
    photo = ExchangePhotoFactory(exchange=exchange, uploaded_by=klara, caption="The choir on stage")
    GrantApplicationFactory(club=club, destination="Kraków choir festival", created_by=klara)
    Notification.objects.create(user=klara, text="Your exchange was accepted.")
    bruno = UserFactory(username="bruno.b", first_name="Bruno", last_name="Brotkorb", role="club_leader")
    other_club = ClubFactory(partnerships=[PartnershipFactory()])
    other_club.leaders.add(bruno)
    ExchangeFactory(club=other_club, title="Football in Lyon", created_by=bruno)
    return {"user": klara, "club": club, "exchange": exchange, "photo": photo}


def test_the_club_leaders_page_lists_their_accounts_with_the_actions(admin_client, club_leader):
    page = admin_client.get(reverse("partners:leader-list")).content.decode()

    assert "Klarissa Zwetschgenbaum" in page
    assert reverse("partners:leader-export", args=[club_leader["user"].pk]) in page
    assert reverse("partners:leader-anonymise", args=[club_leader["user"].pk]) in page
    assert reverse("partners:leader-list") in admin_client.get(reverse("partners:club-list")).content.decode()


def test_the_leader_list_reads_in_a_fixed_number_of_queries(admin_client, club_leader, django_assert_max_num_queries):
    for _ in range(10):
        ClubFactory().leaders.add(UserFactory(role="club_leader"))

    with django_assert_max_num_queries(14):
        assert admin_client.get(reverse("partners:leader-list")).status_code == 200


def test_a_club_leaders_export_holds_their_account_exchanges_photos_and_applications(
    admin_client, admin_api, club_leader
):
    user = club_leader["user"]

    page = admin_client.get(reverse("partners:leader-export", args=[user.pk])).content.decode()
    data = admin_api.get(reverse("api:club-leader-export", args=[user.pk])).json()

    sections = {section["key"]: section["records"] for section in data["sections"]}
    assert sections["account"][0]["email"] == "klara@example.org"
    assert sections["account"][0]["roles"] == "Club leader"
    assert [c["name"] for c in sections["clubs"]] == ["Friends of Kraków e.V."]
    assert [e["title"] for e in sections["exchanges"]] == ["Choir trip to Kraków"]
    assert [e["comment"] for e in sections["exchange_events"]] == ["Off we go"]
    assert [p["image"] for p in sections["photos"]] == [club_leader["photo"].image.name]
    assert [a["destination"] for a in sections["grant_applications"]] == ["Kraków choir festival"]
    assert [n["text"] for n in sections["notifications"]] == ["Your exchange was accepted."]
    assert "Zwetschgenbaum" in page
    assert "Football in Lyon" not in page
    assert "Brotkorb" not in json.dumps(data)


def test_anonymising_a_club_leader_deactivates_the_account_and_keeps_the_clubs_records(
    admin_client, admin_user_oia, club_leader, security_log
):
    user = club_leader["user"]
    url = reverse("partners:leader-anonymise", args=[user.pk])
    assert "former club leader" in admin_client.get(url).content.decode()

    response = admin_client.post(url, {"reason": "Stepped down and asked to be erased"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name, user.email) == (f"anonymised-{user.pk}", "", "", "")
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.clubs_led.exists()
    assert not Notification.objects.filter(user=user).exists()
    assert Exchange.objects.get(pk=club_leader["exchange"].pk).created_by == user
    assert ExchangePhoto.objects.filter(uploaded_by=user).count() == 1
    assert GrantApplication.objects.filter(created_by=user).count() == 1
    record = AnonymisedAccount.objects.get(user=user)
    assert record.anonymised_by == admin_user_oia
    assert record.anonymisation_reason == "Stepped down and asked to be erased"
    for trace in ("Zwetschgenbaum", "Klarissa", "klara@example.org"):
        assert columns_containing(trace) == {}
    event = next(r for r in security_log if r["event"] == "club_leader_anonymised")
    assert event["target_user_id"] == user.pk
    review = admin_client.get(reverse("partners:exchange-review", args=[club_leader["exchange"].pk])).content.decode()
    assert "former club leader" in review
    with pytest.raises(ValidationError, match="already anonymised"):
        anonymise_club_leader(user, by=admin_user_oia, reason="Again")


def test_the_api_lists_club_leaders_accounts_in_a_fixed_number_of_queries(
    admin_api, staff_api, club_leader, django_assert_max_num_queries
):
    for _ in range(5):
        ClubFactory().leaders.add(UserFactory(role="club_leader"))

    with django_assert_max_num_queries(6):
        answer = admin_api.get(reverse("api:club-leader-list"))

    rows = {row["username"]: row for row in answer.json()["results"]}
    assert rows["klara.k"]["clubs"] == ["Friends of Kraków e.V."]
    assert rows["klara.k"]["anonymised"] is False
    assert len(rows) == 7
    assert staff_api.get(reverse("api:club-leader-list")).status_code == 403


def test_the_club_leader_api_for_administrators_only(admin_api, staff_api, club_leader):
    url = reverse("api:club-leader-anonymise", args=[club_leader["user"].pk])

    assert staff_api.post(url, {"reason": "x"}, format="json").status_code == 403
    assert staff_api.get(reverse("api:club-leader-export", args=[club_leader["user"].pk])).status_code == 403
    assert admin_api.post(url, {}, format="json").status_code == 400
    assert admin_api.post(url, {"reason": "Asked"}, format="json").status_code == 200
    assert admin_api.post(url, {"reason": "Asked"}, format="json").status_code == 400
    # Accounts that never led a club are not served here.
    office = UserFactory(role="oia_staff")
    assert admin_api.get(reverse("api:club-leader-export", args=[office.pk])).status_code == 404
