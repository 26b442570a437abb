"""Editing and deleting a delegation's programme items, costs, gifts and
outcomes in the pages: at the version the user saw, with the rules the API
keeps too (services.records), from links next to each row of the detail page.
Deleting (and removing a participant) from the row itself, after the page's
dialog, answers with the section (htmx)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from delegations.models import Cost, Delegation, Gift, Outcome, Participant, ProgrammeItem
from oia.roles import Role
from tests.factories import (
    CostFactory,
    DelegationFactory,
    GiftFactory,
    OutcomeFactory,
    ParticipantFactory,
    PersonFactory,
    ProgrammeItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# url name prefix, factory, a valid form, the anchor of the detail page's section
RECORDS = {
    "programme-item": (
        ProgrammeItemFactory,
        {"date": "2026-04-21", "starts_at": "09:30", "ends_at": "11:00", "kind": "site_visit", "title": "Tram depot"},
        "programme",
    ),
    "cost": (
        CostFactory,
        {"category": "accommodation", "description": "Hotel", "estimated": "300", "actual": "280", "payer": "city"},
        "costs",
    ),
    "gift": (
        GiftFactory,
        {"direction": "received", "description": "Porcelain vase", "counterpart": "Mayor of Lyon", "value": "120"},
        "gifts",
    ),
    "outcome": (OutcomeFactory, {"kind": "agreement", "description": "Letter of intent", "done": "on"}, "outcomes"),
}
MODELS = {"programme-item": ProgrammeItem, "cost": Cost, "gift": Gift, "outcome": Outcome}
NOUNS = {"programme-item": "programme item", "cost": "cost", "gift": "gift", "outcome": "outcome"}
HTMX = {"HX-Request": "true"}


def url(name, action, record):
    return reverse(f"delegations:{name}-{action}", args=[record.pk])


def detail_url(delegation):
    return reverse("delegations:delegation-detail", args=[delegation.pk])


def make(name):
    return RECORDS[name][0](delegation=DelegationFactory(start_on=datetime.date(2026, 4, 20)))


# --- editing -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_edit_form_shows_the_record_and_its_version(staff_client, name):
    record = make(name)

    page = staff_client.get(url(name, "edit", record)).content.decode()

    assert f'name="version" value="{record.version}"' in page
    assert record.delegation.title in page


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_is_edited_at_its_version(staff_client, name):
    record = make(name)
    form = RECORDS[name][1]

    response = staff_client.post(url(name, "edit", record), {**form, "version": record.version})

    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(record.delegation)}#{RECORDS[name][2]}"
    record.refresh_from_db()
    assert record.version == 2
    text = "title" if name == "programme-item" else "description"
    assert getattr(record, text) == form[text]


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_stale_edit_is_refused_and_keeps_what_the_user_typed(staff_client, name):
    record = make(name)
    MODELS[name].objects.filter(pk=record.pk).update(version=2)  # someone saved in between
    form = RECORDS[name][1]

    response = staff_client.post(url(name, "edit", record), {**form, "version": 1})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this" in page
    assert form["description" if "description" in form else "title"] in page
    assert MODELS[name].objects.get(pk=record.pk).version == 2


def test_a_programme_item_moved_outside_the_trips_dates_is_refused(staff_client):
    item = make("programme-item")

    response = staff_client.post(
        url("programme-item", "edit", item), {"date": "2026-05-01", "kind": "meeting", "title": "Late", "version": 1}
    )

    assert "(20 April 2026 – 22 April 2026)" in response.content.decode()
    item.refresh_from_db()
    assert item.date == datetime.date(2026, 4, 20)


@pytest.mark.parametrize(("name", "field"), [("cost", "actual"), ("cost", "estimated"), ("gift", "value")])
def test_a_negative_amount_is_refused_on_edit(staff_client, name, field):
    record = make(name)

    response = staff_client.post(url(name, "edit", record), {**RECORDS[name][1], field: "-5", "version": 1})

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert MODELS[name].objects.get(pk=record.pk).version == 1


def test_adding_a_record_goes_through_the_same_rules(staff_client):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))

    staff_client.post(
        reverse("delegations:gift-create", args=[delegation.pk]),
        {"direction": "given", "description": "City chronicle", "counterpart": "Mayor of Lyon", "value": "45"},
    )

    gift = Gift.objects.get()
    assert (gift.delegation, gift.value, gift.version) == (delegation, Decimal("45"), 1)


# --- deleting ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_delete_asks_first_then_deletes(staff_client, name):
    record = make(name)

    question = staff_client.get(url(name, "delete", record))
    response = staff_client.post(url(name, "delete", record), {"version": record.version})

    assert "This cannot be undone." in question.content.decode()
    assert f'name="version" value="{record.version}"' in question.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(record.delegation)}#{RECORDS[name][2]}"
    assert not MODELS[name].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_changed_since_the_question_is_not_deleted(staff_client, name):
    record = make(name)
    MODELS[name].objects.filter(pk=record.pk).update(version=2)

    response = staff_client.post(url(name, "delete", record), {"version": 1})

    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert MODELS[name].objects.filter(pk=record.pk).exists()


def test_the_last_programme_item_of_an_approved_trip_is_not_deleted(staff_client):
    item = ProgrammeItemFactory(delegation=DelegationFactory(status="approved", title="Lyon"))

    response = staff_client.post(url("programme-item", "delete", item), {"version": item.version})

    assert response.status_code == 200
    assert "“Lyon” was approved or confirmed with its working programme" in response.content.decode()
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_roles_outside_the_office_can_neither_edit_nor_delete(client, role, name):
    record = make(name)
    client.force_login(UserFactory(role=role))

    edit = client.post(url(name, "edit", record), {**RECORDS[name][1], "version": 1})
    delete = client.post(url(name, "delete", record), {"version": 1})

    assert (edit.status_code, delete.status_code) == (403, 403)
    assert MODELS[name].objects.get(pk=record.pk).version == 1


# --- deleting in place (htmx) --------------------------------------------


def section_of(html, anchor):
    assert html.lstrip().startswith(f'<section aria-labelledby="{anchor}-heading" id="{anchor}"'), html[:200]
    assert "<html" not in html
    return html


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_deleted_in_place_comes_back_as_its_section_with_the_message(staff_client, name):
    record = make(name)
    kept = RECORDS[name][0](delegation=record.delegation)

    response = staff_client.post(url(name, "delete", record), {"version": record.version}, headers=HTMX)

    html = section_of(response.content.decode(), RECORDS[name][2])
    assert response.status_code == 200
    assert f"The {NOUNS[name]} was deleted." in html
    assert "data-section-focus" in html  # the row's button is gone: the message takes the focus
    assert url(name, "delete", record) not in html
    assert url(name, "delete", kept) in html
    assert not MODELS[name].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_changed_since_the_page_was_shown_is_not_deleted_in_place(staff_client, name):
    record = make(name)
    MODELS[name].objects.filter(pk=record.pk).update(version=2)

    response = staff_client.post(url(name, "delete", record), {"version": 1}, headers=HTMX)

    html = section_of(response.content.decode(), RECORDS[name][2])
    assert f"The {NOUNS[name]} was not deleted:" in html
    assert "Someone else changed this" in html
    assert 'role="alert"' in html
    assert MODELS[name].objects.filter(pk=record.pk).exists()


def test_the_last_programme_item_of_an_approved_trip_stays_and_the_section_says_why(staff_client):
    item = ProgrammeItemFactory(delegation=DelegationFactory(status="approved", title="Lyon"))

    response = staff_client.post(url("programme-item", "delete", item), {"version": item.version}, headers=HTMX)

    html = section_of(response.content.decode(), "programme")
    assert "The programme item was not deleted:" in html
    assert "“Lyon” was approved or confirmed with its working programme" in html
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("version", ["abc", "99999999999999999999", "-1"])
def test_a_malformed_version_is_refused_in_the_section(staff_client, version):
    gift = make("gift")

    response = staff_client.post(url("gift", "delete", gift), {"version": version}, headers=HTMX)

    assert response.status_code == 200
    assert "The gift was not deleted:" in section_of(response.content.decode(), "gifts")
    assert Gift.objects.filter(pk=gift.pk).exists()


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_roles_outside_the_office_cannot_delete_in_place(client, role, name):
    record = make(name)
    client.force_login(UserFactory(role=role))

    response = client.post(url(name, "delete", record), {"version": 1}, headers=HTMX)

    assert response.status_code == 403
    assert MODELS[name].objects.filter(pk=record.pk).exists()


def test_a_participant_removed_in_place_comes_back_as_the_section_and_is_no_longer_head(staff_client):
    participant = ParticipantFactory(role="lead", person=PersonFactory(name="Anna Berg"))
    delegation = participant.delegation
    Delegation.objects.filter(pk=delegation.pk).update(lead=participant.person)

    response = staff_client.post(reverse("delegations:participant-delete", args=[participant.pk]), headers=HTMX)

    html = section_of(response.content.decode(), "participants")
    assert "Anna Berg was removed from the delegation." in html
    assert "No named participants yet." in html
    assert not Participant.objects.exists()
    delegation.refresh_from_db()
    assert delegation.lead is None


def test_without_javascript_a_participant_removed_leads_back_to_the_section(staff_client):
    participant = ParticipantFactory()

    response = staff_client.post(reverse("delegations:participant-delete", args=[participant.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(participant.delegation)}#participants"
    assert not Participant.objects.exists()


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
def test_roles_outside_the_office_cannot_remove_a_participant(client, role, headers):
    participant = ParticipantFactory()
    client.force_login(UserFactory(role=role))

    response = client.post(reverse("delegations:participant-delete", args=[participant.pk]), headers=headers)

    assert response.status_code == 403
    assert Participant.objects.filter(pk=participant.pk).exists()


# --- the detail page -----------------------------------------------------


def test_each_row_links_to_its_edit_and_delete_pages_with_names_saying_which(staff_client):
    delegation = DelegationFactory()
    item = ProgrammeItemFactory(delegation=delegation, title="Tram depot")
    cost = CostFactory(delegation=delegation, category="travel", description="Train")
    gift = GiftFactory(delegation=delegation, description="Porcelain vase")
    outcome = OutcomeFactory(delegation=delegation, description="Letter of intent")

    page = staff_client.get(detail_url(delegation)).content.decode()

    for name, record, label in [
        ("programme-item", item, "programme item “Tram depot”"),
        ("cost", cost, "cost “Travel: Train”"),
        ("gift", gift, "gift “Porcelain vase”"),
        ("outcome", outcome, "outcome “Letter of intent”"),
    ]:
        for action, verb in [("edit", "Edit"), ("delete", "Delete")]:
            link = f'<a href="{url(name, action, record)}">{verb}<span class="visually-hidden"> {label}</span></a>'
            assert link in page, link


def test_the_actions_column_has_a_header_for_screen_readers(staff_client):
    delegation = DelegationFactory()
    ProgrammeItemFactory(delegation=delegation)
    GiftFactory(delegation=delegation)
    OutcomeFactory(delegation=delegation)

    page = staff_client.get(detail_url(delegation)).content.decode()

    for section in ("programme", "gifts", "outcomes"):
        body = re.search(rf'<section aria-labelledby="{section}-heading".*?</section>', page, re.S).group(0)
        assert '<span class="visually-hidden">Actions</span>' in body


def test_each_row_offers_a_delete_that_asks_in_the_dialog_and_posts_its_version(staff_client):
    delegation = DelegationFactory(title="Anniversary in Lyon")
    item = ProgrammeItemFactory(delegation=delegation, title="Tram depot")
    gift = GiftFactory(delegation=delegation, description="Porcelain vase")
    participant = ParticipantFactory(delegation=delegation, person=PersonFactory(name="Anna Berg"))

    page = staff_client.get(detail_url(delegation)).content.decode()

    for record, delete_url, section, question in [
        (item, url("programme-item", "delete", item), "programme", "Delete programme item “Tram depot”?"),
        (gift, url("gift", "delete", gift), "gifts", "Delete gift “Porcelain vase”?"),
        (
            participant,
            reverse("delegations:participant-delete", args=[participant.pk]),
            "participants",
            "Remove Anna Berg from “Anniversary in Lyon”?",
        ),
    ]:
        form = re.search(rf'<form method="post" action="{delete_url}" hidden.*?</form>', page, re.S).group(0)
        assert f'data-confirm="{question}' in form
        assert f'hx-post="{delete_url}" hx-target="#{section}" hx-swap="outerHTML"' in form
        assert 'name="csrfmiddlewaretoken"' in form
        if section != "participants":
            assert f'name="version" value="{record.version}"' in form
