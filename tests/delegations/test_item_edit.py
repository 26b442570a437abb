"""Editing and deleting a delegation's programme items, costs, gifts and
outcomes in the pages: at the version the user saw, with the rules the API
keeps too (services.records), from links next to each row of the detail page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from delegations.models import Cost, Gift, Outcome, ProgrammeItem
from oia.roles import Role
from tests.factories import (
    CostFactory,
    DelegationFactory,
    GiftFactory,
    OutcomeFactory,
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
