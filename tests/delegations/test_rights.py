"""A person's rights: the export of everything held about them (Art. 15) and
their anonymisation (Art. 17), for administrators only, keeping every count."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from delegations.models import Gift, Outcome, Person, Transition
from delegations.services import anonymise_person
from oia.rights import columns_containing
from reports.sections import build_figures
from tests.factories import (
    CostFactory,
    DelegationFactory,
    NetworkFactory,
    NetworkRoleFactory,
    ParticipantFactory,
    PersonFactory,
    ProgrammeItemFactory,
    ReportVersionFactory,
)
from tests.reports.test_figures import year_2025  # noqa: F401  (the hand-built year, as a fixture)

D = datetime.date
NAME = "Ottilie Brennecke-Sauerwein"
EMAIL = "ottilie.brennecke@example.org"


@pytest.fixture
def visitor(db):
    """A visitor on a completed visit, named in the visit's texts, with needs,
    next to another visitor whose data must stay out of her export."""
    person = PersonFactory(
        name=NAME,
        title="Head of the youth office",
        department=None,
        organisation="Stadt Kraków",
        email=EMAIL,
        dietary_needs="Vegan, no nuts",
        accessibility_needs="Wheelchair",
    )
    visit = DelegationFactory(
        direction="inbound",
        status="completed",
        title="Youth offices meet",
        start_on=D(2025, 5, 5),
        end_on=D(2025, 5, 7),
        internal_notes=f"{NAME} asked for a quiet room.",
        lead=person,
    )
    ParticipantFactory(delegation=visit, person=person, role="lead", sector="government")
    other = ParticipantFactory(
        delegation=visit, person=PersonFactory(name="Zbigniew Quellmalz", email="zq@example.org", department=None)
    ).person
    CostFactory(delegation=visit, category="hosting", description="Dinner at the town hall", estimated=Decimal("480"))
    Gift.objects.create(delegation=visit, direction="given", description="City chronicle", counterpart=NAME)
    ProgrammeItemFactory(delegation=visit, title="Youth centre visit", hosts=f"Mayor and {NAME}")
    Outcome.objects.create(delegation=visit, kind="follow_up", description=f"Send {NAME} the minutes")
    Transition.objects.create(delegation=visit, from_status="confirmed", to_status="completed", comment=f"{NAME} came")
    NetworkRoleFactory(network=NetworkFactory(name="Youth Cities"), person=person, body="Board", title="Member")
    return {"person": person, "other": other, "visit": visit}


def export_url(person, **query):
    url = reverse("delegations:person-export", args=[person.pk])
    return url + ("?format=json" if query.get("json") else "")


def test_the_export_holds_every_kind_of_record_and_nothing_of_another_person(admin_client, visitor):
    person = visitor["person"]

    page = admin_client.get(export_url(person))
    response = admin_client.get(export_url(person, json=True))

    assert page.status_code == 200
    html = page.content.decode()
    for shown in (NAME, EMAIL, "Vegan, no nuts", "Wheelchair", "Youth offices meet", "Dinner at the town hall"):
        assert shown in html
    assert response["Content-Type"].startswith("application/json")
    assert f"person-{person.pk}.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    sections = {section["key"]: section["records"] for section in data["sections"]}
    assert set(sections) >= {"person", "needs", "participations", "costs", "gifts", "network_roles"}
    assert sections["person"][0]["email"] == EMAIL
    assert sections["needs"][0]["dietary_needs"] == "Vegan, no nuts"
    assert [p["title"] for p in sections["participations"]] == ["Youth offices meet"]
    assert sections["participations"][0]["head_of_delegation"] is True
    assert [c["description"] for c in sections["costs"]] == ["Dinner at the town hall"]
    assert [g["description"] for g in sections["gifts"]] == ["City chronicle"]
    assert [r["network"] for r in sections["network_roles"]] == ["Youth Cities"]
    # The audit trail: the record's creation, field by field, first.
    assert data["history"][0]["action"] == "created"
    assert {"field": "email", "old": None, "new": EMAIL} in data["history"][0]["changes"]
    for text in (page.content, response.content):
        assert b"Quellmalz" not in text
        assert b"zq@example.org" not in text


def test_the_export_prints_as_a_pdf(admin_client, visitor):
    response = admin_client.get(export_url(visitor["person"]) + "?format=pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"person-{visitor['person'].pk}.pdf" in response["Content-Disposition"]


def test_the_api_export_is_the_same_and_for_administrators_only(admin_api, staff_api, visitor, security_log):
    url = reverse("api:person-export", args=[visitor["person"].pk])

    answer = admin_api.get(url)

    assert answer.status_code == 200
    assert answer.json()["subject"] == {"kind": "person", "id": visitor["person"].pk, "name": str(visitor["person"])}
    assert staff_api.get(url).status_code == 403
    assert any(r["event"] == "personal_data_exported" and r["format"] == "api" for r in security_log)


def test_staff_see_the_person_page_without_the_rights_actions(staff_client, visitor):
    url = reverse("delegations:person-detail", args=[visitor["person"].pk])

    staff_page = staff_client.get(url).content.decode()

    assert NAME in staff_page
    assert "Youth offices meet" in staff_page
    assert reverse("delegations:person-export", args=[visitor["person"].pk]) not in staff_page
    assert staff_client.get(export_url(visitor["person"])).status_code == 403
    assert staff_client.post(reverse("delegations:person-anonymise", args=[visitor["person"].pk])).status_code == 403


def test_the_confirmation_page_says_what_changes_and_what_stays(admin_client, visitor):
    person = visitor["person"]
    detail = admin_client.get(reverse("delegations:person-detail", args=[person.pk])).content.decode()
    assert reverse("delegations:person-anonymise", args=[person.pk]) in detail

    page = admin_client.get(reverse("delegations:person-anonymise", args=[person.pk])).content.decode()

    assert "What will be removed" in page
    assert "dietary and accessibility needs" in page
    assert "every count, cost and gift stays" in page
    assert "names in reports already published stay: they acted in public office" in page
    assert '<label for="id_reason"' in page


def test_a_reason_is_required(admin_client, visitor):
    url = reverse("delegations:person-anonymise", args=[visitor["person"].pk])

    response = admin_client.post(url, {"reason": "   "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Person.objects.get(pk=visitor["person"].pk).name == NAME


def test_anonymising_leaves_the_name_in_no_table_and_keeps_the_records(
    admin_client, admin_user_oia, visitor, security_log
):
    person, visit = visitor["person"], visitor["visit"]
    assert set(columns_containing(NAME)) >= {
        "delegations_person.name",
        "delegations_delegation.internal_notes",
        "delegations_gift.counterpart",
        "delegations_programmeitem.hosts",
        "delegations_outcome.description",
        "delegations_transition.comment",
    }

    response = admin_client.post(
        reverse("delegations:person-anonymise", args=[person.pk]), {"reason": "Her request of 2 March"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("delegations:person-detail", args=[person.pk])
    assert columns_containing(NAME) == {}
    assert columns_containing("Brennecke") == {}
    assert columns_containing(EMAIL) == {}
    assert columns_containing("Vegan, no nuts") == {}
    person.refresh_from_db()
    assert person.name == f"Anonymised person #{person.pk}"
    assert (person.email, person.dietary_needs, person.accessibility_needs) == ("", "", "")
    assert person.title == "Head of the youth office"  # the report counts by titles
    assert person.anonymised_by == admin_user_oia
    assert person.anonymisation_reason == "Her request of 2 March"
    assert person.anonymised_at is not None
    assert visit.participants.count() == 2
    assert visit.costs.count() == 1
    assert visit.gifts.get().counterpart == person.name
    assert Person.objects.get(pk=visitor["other"].pk).name == "Zbigniew Quellmalz"
    event = next(r for r in security_log if r["event"] == "person_anonymised")
    assert event["person_id"] == person.pk
    assert NAME not in json.dumps(security_log)


def test_a_frozen_report_keeps_the_name_it_was_published_with(admin_user_oia, visitor):
    version = ReportVersionFactory(status="published", html=f"<p>Visitors: {NAME}</p>")

    anonymise_person(visitor["person"], by=admin_user_oia, reason="Asked to be erased")

    assert columns_containing(NAME) == {"reports_reportversion.html": 1}
    version.refresh_from_db()
    assert NAME in version.html


def test_anonymising_twice_is_refused(admin_client, admin_user_oia, visitor):
    anonymise_person(visitor["person"], by=admin_user_oia, reason="Asked to be erased")

    with pytest.raises(ValidationError, match="already anonymised"):
        anonymise_person(visitor["person"], by=admin_user_oia, reason="Again")
    page = admin_client.get(reverse("delegations:person-anonymise", args=[visitor["person"].pk]))
    assert "was already anonymised" in page.content.decode()
    again = admin_client.post(reverse("delegations:person-anonymise", args=[visitor["person"].pk]), {"reason": "x"})
    assert "was already anonymised" in again.content.decode()
    assert Person.objects.get(pk=visitor["person"].pk).anonymisation_reason == "Asked to be erased"


def test_the_api_anonymises_for_administrators_with_a_reason(admin_api, staff_api, visitor):
    url = reverse("api:person-anonymise", args=[visitor["person"].pk])

    assert staff_api.post(url, {"reason": "Asked"}, format="json").status_code == 403
    missing = admin_api.post(url, {}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()
    done = admin_api.post(url, {"reason": "Asked to be erased"}, format="json")
    assert done.status_code == 200
    assert done.json()["name"].startswith(f"Anonymised person #{visitor['person'].pk}")
    twice = admin_api.post(url, {"reason": "Again"}, format="json")
    assert twice.status_code == 400
    assert "already anonymised" in json.dumps(twice.json())


def test_a_past_years_report_keeps_its_figures_and_checksum(year_2025, admin_user_oia):  # noqa: F811
    """Visitors and an official, each on counted trips of 2025, anonymised."""
    before, checksum = build_figures(2025, cut_off="2026-01-15T06:00:00+01:00")
    visitors = Person.objects.filter(participations__delegation__direction="inbound").distinct()
    officer = Person.objects.get(name="Officer")
    assert visitors.count() == 4

    for person in [*visitors, officer]:
        anonymise_person(person, by=admin_user_oia, reason="Asked to be erased")

    after, checksum_after = build_figures(2025, cut_off="2026-01-15T06:00:00+01:00")
    assert checksum_after == checksum
    assert after == before
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 5


def test_a_placeholder_longer_than_a_short_text_is_cut_to_the_column(db, admin_user_oia):
    """Found by the fuzzer: a person named "0" was anonymised while a contact's
    phone number (50 characters at most) recorded in the audit trail held a "0";
    the placeholder overflowed the column and the request failed with a 500."""
    from oia.audit import event_model_for
    from partners.models import Contact
    from tests.factories import ContactFactory

    phone = "0" * 50
    contact = ContactFactory(phone=phone)
    person = PersonFactory(name="0")
    delegation = DelegationFactory(internal_notes="Met 0 at the station")
    ParticipantFactory(delegation=delegation, person=person)

    anonymise_person(person, by=admin_user_oia, reason="Fuzzed")

    person.refresh_from_db()
    assert person.name == f"Anonymised person #{person.pk}"
    delegation.refresh_from_db()
    assert delegation.internal_notes == f"Met Anonymised person #{person.pk} at the station"
    contact.refresh_from_db()
    assert contact.phone == phone  # the record itself is not free text about a person
    events = list(event_model_for(Contact).objects.filter(pgh_obj_id=contact.pk))
    assert events
    for event in events:  # the audit trail's copy had the name replaced, cut to the column
        assert len(event.phone) == 50
        assert event.phone.startswith(f"Anonymised person #{person.pk}")
