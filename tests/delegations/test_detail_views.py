"""The delegation pages for office staff: the forms, the detail page and the
workflow buttons."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from delegations import services
from delegations.models import Cost, Delegation, Gift, Outcome, Participant, ProgrammeItem, Transition
from oia.roles import Role
from partners.models import City
from tests.factories import (
    CityFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    ProgrammeItemFactory,
    UserFactory,
)
from tests.second_factor import sign_in

DETAIL_QUERIES = 19  # +1: the History section (oia.audit.history_for)


def detail_url(delegation):
    return reverse("delegations:delegation-detail", args=[delegation.pk])


def transition_url(delegation):
    return reverse("delegations:delegation-transition", args=[delegation.pk])


def trip_form(**overrides):
    city = City.objects.first() or CityFactory()
    return {
        "direction": "outbound",
        "title": "Anniversary in Lyon",
        "purpose": "anniversary",
        "city": city.pk,
        "country": "",
        "start_on": "2026-05-04",
        "end_on": "2026-05-07",
        "department": DepartmentFactory(name="Mayor's Office").pk,
        "travel_class": "rail_second",
        "head_count": "0",
        **overrides,
    }


def edit_form(delegation, **overrides):
    return {
        "title": delegation.title,
        "purpose": delegation.purpose,
        "city": delegation.city_id or "",
        "country": str(delegation.country),
        "start_on": delegation.start_on.isoformat(),
        "end_on": delegation.end_on.isoformat(),
        "department": delegation.department_id,
        "travel_class": delegation.travel_class,
        "head_count": delegation.head_count,
        "version": delegation.version,
        **overrides,
    }


# --- creating and editing ------------------------------------------------


def test_create_an_outbound_trip_through_the_form(staff_client, staff_user):
    city = CityFactory(name="Lyon", country="FR")
    partnership = PartnershipFactory(partner_city=city)

    response = staff_client.post(
        reverse("delegations:delegation-create"), trip_form(city=city.pk, partnership=partnership.pk)
    )

    delegation = Delegation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(delegation)
    assert (delegation.status, delegation.country.code, delegation.created_by) == ("draft", "FR", staff_user)
    assert delegation.transitions.get().to_status == "draft"


def test_create_form_has_no_lead_and_edit_form_no_direction(staff_client):
    delegation = DelegationFactory()

    create = staff_client.get(reverse("delegations:delegation-create")).context["form"]
    edit = staff_client.get(reverse("delegations:delegation-edit", args=[delegation.pk])).context["form"]

    assert set(create.fields) >= {"direction"}
    assert "lead" not in create.fields
    assert "direction" not in edit.fields
    assert set(edit.fields) >= {"lead", "version"}
    assert edit.fields["start_on"].widget.input_type == "date"


def test_end_before_start_is_refused_with_the_reason_and_nothing_is_written(staff_client):
    response = staff_client.post(
        reverse("delegations:delegation-create"), trip_form(start_on="2026-05-07", end_on="2026-05-04")
    )

    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Delegation.objects.exists()
    assert not Transition.objects.exists()


def test_stale_edit_is_refused_and_keeps_what_the_user_typed(staff_client):
    delegation = DelegationFactory(title="Study tour")
    url = reverse("delegations:delegation-edit", args=[delegation.pk])
    staff_client.post(url, edit_form(delegation, title="First edit"))

    response = staff_client.post(url, edit_form(delegation, title="Late edit"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this delegation" in html
    assert 'value="Late edit"' in html
    delegation.refresh_from_db()
    assert (delegation.title, delegation.version) == ("First edit", 2)


def test_lead_who_is_not_a_participant_is_refused_on_edit(staff_client):
    delegation = DelegationFactory()
    outsider = PersonFactory()

    response = staff_client.post(
        reverse("delegations:delegation-edit", args=[delegation.pk]), edit_form(delegation, lead=outsider.pk)
    )

    assert response.status_code == 200
    assert "The head of delegation must be one of its participants." in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.lead is None


def test_lead_among_the_participants_is_saved(staff_client):
    participant = ParticipantFactory()
    delegation = participant.delegation

    response = staff_client.post(
        reverse("delegations:delegation-edit", args=[delegation.pk]),
        edit_form(delegation, lead=participant.person.pk, head_count="18", head_count_note="Students"),
    )

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert (delegation.lead, delegation.head_count, delegation.version) == (participant.person, 18, 2)


# --- participants, programme, costs, gifts, outcomes --------------------


def test_participant_is_added_once(staff_client):
    delegation = DelegationFactory()
    person = PersonFactory()
    url = reverse("delegations:participant-create", args=[delegation.pk])
    form = {"person": person.pk, "role": "member", "sector": "government"}

    first = staff_client.post(url, form)
    second = staff_client.post(url, form)

    assert first.status_code == 302
    assert first["Location"].endswith("#participants")
    assert second.status_code == 200
    assert "This person is already a participant of this delegation." in second.content.decode()
    assert Participant.objects.count() == 1


def test_same_traveller_on_an_overlapping_trip_is_refused(staff_client):
    elsewhere = ParticipantFactory(delegation__title="Expo in Milan")
    delegation = DelegationFactory(start_on=elsewhere.delegation.start_on)

    response = staff_client.post(
        reverse("delegations:participant-create", args=[delegation.pk]),
        {"person": elsewhere.person.pk, "role": "member", "sector": "government"},
    )

    assert response.status_code == 200
    assert "is already travelling with “Expo in Milan”" in response.content.decode()
    assert not delegation.participants.exists()


def test_removing_the_lead_asks_first_and_clears_the_head_of_delegation(staff_client):
    participant = ParticipantFactory(role="lead")
    delegation = participant.delegation
    Delegation.objects.filter(pk=delegation.pk).update(lead=participant.person)
    url = reverse("delegations:participant-delete", args=[participant.pk])

    confirm = staff_client.get(url)
    response = staff_client.post(url)

    assert participant.person.name in confirm.content.decode()
    assert response.status_code == 302
    assert not Participant.objects.exists()
    delegation.refresh_from_db()
    assert delegation.lead is None


def test_programme_item_outside_the_dates_is_refused(staff_client):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))
    url = reverse("delegations:programme-item-create", args=[delegation.pk])

    refused = staff_client.post(url, {"date": "2026-05-01", "kind": "meeting", "title": "Too late"})
    added = staff_client.post(
        url, {"date": "2026-04-21", "starts_at": "09:30", "ends_at": "11:00", "kind": "meeting", "title": "Mayor"}
    )

    assert "(20 April 2026 – 22 April 2026)" in refused.content.decode()
    assert added.status_code == 302
    assert ProgrammeItem.objects.get().starts_at == datetime.time(9, 30)


@pytest.mark.parametrize("field", ["estimated", "actual"])
def test_negative_cost_is_refused(staff_client, field):
    delegation = DelegationFactory()
    form = {"category": "travel", "estimated": "100", "payer": "city", field: "-5"}

    response = staff_client.post(reverse("delegations:cost-create", args=[delegation.pk]), form)

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert not Cost.objects.exists()


def test_cost_is_edited_with_its_actual_amount(staff_client):
    cost = CostFactory(estimated=Decimal("900"))

    response = staff_client.post(
        reverse("delegations:cost-edit", args=[cost.pk]),
        {"category": "travel", "estimated": "900", "actual": "950.50", "payer": "city", "version": cost.version},
    )

    assert response.status_code == 302
    cost.refresh_from_db()
    assert cost.actual == Decimal("950.50")


def test_gift_and_outcome_are_recorded(staff_client, staff_user):
    delegation = DelegationFactory()

    staff_client.post(
        reverse("delegations:gift-create", args=[delegation.pk]),
        {"direction": "given", "description": "City chronicle", "counterpart": "Mayor of Lyon", "value": "45"},
    )
    staff_client.post(
        reverse("delegations:outcome-create", args=[delegation.pk]),
        {"kind": "follow_up", "description": "Send the tram study", "owner": staff_user.pk, "due_on": "2026-06-01"},
    )

    assert Gift.objects.get().value == Decimal("45")
    assert Outcome.objects.get().owner == staff_user


# --- the detail page -----------------------------------------------------


def test_detail_shows_participants_programme_costs_gifts_and_history(staff_client, staff_user):
    city = CityFactory(name="Lyon", country="FR")
    delegation = DelegationFactory(title="Anniversary in Lyon", city=city, head_count=3, head_count_note="Choir")
    ParticipantFactory(
        delegation=delegation,
        person=PersonFactory(name="Anna Berg", title="Mayor", dietary_needs="Vegetarian"),
        role="lead",
    )
    ParticipantFactory(
        delegation=delegation,
        person=PersonFactory(name="Jean Martin", department=None, organisation="Lyon Chamber of Commerce"),
    )
    ProgrammeItemFactory(delegation=delegation, title="Reception at the Hôtel de Ville", date=delegation.start_on)
    ProgrammeItemFactory(delegation=delegation, title="Visit of the tram depot", date=delegation.end_on)
    CostFactory(delegation=delegation, category="travel", estimated=Decimal("1000"), actual=Decimal("1100"))
    CostFactory(delegation=delegation, category="travel", estimated=Decimal("500"))
    CostFactory(delegation=delegation, category="accommodation", estimated=Decimal("800"), actual=Decimal("750"))
    Gift.objects.create(delegation=delegation, direction="given", description="City chronicle", counterpart="Mayor")
    Transition.objects.create(
        delegation=delegation, from_status="", to_status="draft", by=staff_user, comment="Created by hand."
    )

    response = staff_client.get(detail_url(delegation))

    html = response.content.decode()
    assert html.count("<h1>") == 1
    for text in (
        "Anna Berg",
        "Vegetarian",
        "Lyon Chamber of Commerce",
        "Head of delegation",
        "Reception at the Hôtel de Ville",
        "Visit of the tram depot",
        "City chronicle",
        "Created by hand.",
        "Briefing sheet",
        reverse("delegations:briefing", args=[delegation.pk]),
        reverse("delegations:delegation-edit", args=[delegation.pk]),
    ):
        assert text in html, text
    totals = {row["category"]: (row["estimated"], row["actual"]) for row in response.context["cost_totals"]}
    assert totals == {
        "travel": (Decimal("1500"), Decimal("1100")),
        "accommodation": (Decimal("800"), Decimal("750")),
    }
    assert response.context["cost_overall"] == {"estimated": Decimal("2300"), "actual": Decimal("1850")}
    assert "€2,300.00" in html  # money with its currency (issue 20), was "2300.00"
    assert response.context["delegation"].total_size == 5


def test_detail_warns_of_another_departments_trip_to_the_same_city(staff_client):
    city = CityFactory(name="Lyon")
    delegation = DelegationFactory(city=city)
    DelegationFactory(
        city=city, department=DepartmentFactory(name="Culture"), title="Festival of Lights", status="submitted"
    )

    response = staff_client.get(detail_url(delegation))

    html = response.content.decode()
    # Dates in words (issue 20), were "2026-04-20 – 2026-04-22".
    assert "Another trip of Culture to Lyon: Festival of Lights, 20 April 2026 – 22 April 2026" in html
    assert reverse("delegations:coordination-list") in html


def test_trip_and_visitors_from_the_same_city_are_worded_for_each_side(staff_client):
    city = CityFactory(name="Lyon")
    trip = DelegationFactory(city=city, title="Anniversary in Lyon")
    visit = DelegationFactory(direction="inbound", city=city, title="Lyon choir")
    services.coordination_refresh(trip)

    trip_page = staff_client.get(detail_url(trip)).content.decode()
    visit_page = staff_client.get(detail_url(visit)).content.decode()

    assert "Visitors from Lyon at about the same time: Lyon choir" in trip_page
    assert f"Another trip of {trip.department.name} to Lyon: Anniversary in Lyon" in visit_page


def test_coordinated_trips_are_no_longer_a_warning(staff_client, staff_user):
    city = CityFactory(name="Lyon")
    trip = DelegationFactory(city=city)
    DelegationFactory(city=city, department=DepartmentFactory(name="Culture"))
    case = services.coordination_refresh(trip)[0]
    services.coordination_resolve(case=case, by=staff_user, comment="One joint programme.")

    response = staff_client.get(detail_url(trip))

    assert response.context["coordination_warnings"] == []


def test_detail_warns_when_actual_costs_need_reapproval(staff_client):
    delegation = DelegationFactory(status="approved")
    Delegation.objects.filter(pk=delegation.pk).update(approved_estimate=Decimal("1000"))
    CostFactory(delegation=delegation, estimated=Decimal("1000"), actual=Decimal("1200"))

    html = staff_client.get(detail_url(delegation)).content.decode()

    assert "Submit the trip for re-approval." in html
    assert "Submit for re-approval" in html


def make_full_delegation(count):
    delegation = DelegationFactory(city=CityFactory(), start_on=datetime.date(2026, 4, 20))
    for index in range(count):
        person = ParticipantFactory(delegation=delegation).person
        ProgrammeItemFactory(delegation=delegation, date=delegation.start_on + datetime.timedelta(days=index % 3))
        CostFactory(delegation=delegation, category=["travel", "hosting", "other"][index % 3], actual=10)
        Gift.objects.create(delegation=delegation, direction="given", description=f"Gift {index}", counterpart="X")
        Outcome.objects.create(delegation=delegation, kind="contact", description=f"Contact {index}")
        Transition.objects.create(delegation=delegation, to_status="draft", by=UserFactory())
    Delegation.objects.filter(pk=delegation.pk).update(lead=person, approved_estimate=Decimal("1"))
    other = DelegationFactory(city=delegation.city, department=DepartmentFactory())
    ParticipantFactory(delegation=other)
    return delegation


@pytest.mark.parametrize("count", [1, 50])
def test_detail_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    delegation = make_full_delegation(count)

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(detail_url(delegation))

    assert response.status_code == 200
    assert len(response.context["delegation"].participants.all()) == count
    assert len(response.context["coordination_warnings"]) == 1


# --- the workflow --------------------------------------------------------


def post_step(client, delegation, to_status, comment=""):
    return client.post(transition_url(delegation), {"to_status": to_status, "comment": comment})


@pytest.mark.parametrize(
    ("direction", "status", "label", "to_status"),
    [
        ("outbound", "draft", "Submit for approval", "submitted"),
        ("outbound", "submitted", "Approve", "approved"),
        ("outbound", "submitted", "Reject", "rejected"),
        ("outbound", "submitted", "Back to draft", "draft"),
        ("outbound", "approved", "Complete", "completed"),
        ("outbound", "approved", "Submit for re-approval", "submitted"),
        ("outbound", "draft", "Cancel the delegation", "cancelled"),
        ("inbound", "requested", "Confirm visit", "confirmed"),
        ("inbound", "confirmed", "Complete", "completed"),
    ],
)
def test_each_workflow_button_posts_its_step(admin_client, admin_user_oia, direction, status, label, to_status):
    delegation = DelegationFactory(direction=direction, status=status, trip_report="Signed a school exchange.")
    ProgrammeItemFactory(delegation=delegation)

    page = admin_client.get(detail_url(delegation)).content.decode()
    response = post_step(admin_client, delegation, to_status, comment="As agreed.")

    assert f'<input type="hidden" name="to_status" value="{to_status}">' in page
    assert f">{label}</button>" in page
    assert response.status_code == 302
    assert response["Location"] == detail_url(delegation) + "#workflow"
    delegation.refresh_from_db()
    assert delegation.status == to_status
    step = delegation.transitions.get()
    assert (step.from_status, step.to_status, step.by, step.comment) == (
        status,
        to_status,
        admin_user_oia,
        "As agreed.",
    )


def test_page_shows_the_new_status_and_the_history_entry_after_a_step(staff_client, staff_user):
    delegation = DelegationFactory()

    response = staff_client.post(
        transition_url(delegation), {"to_status": "submitted", "comment": "Budget checked."}, follow=True
    )

    html = response.content.decode()
    assert "The delegation is now “Submitted”." in html
    assert "Draft → Submitted" in html
    assert "Budget checked." in html


@pytest.mark.parametrize(
    ("role", "with_programme", "reason"),
    [
        (Role.ADMIN, False, "A trip cannot be approved without a working programme."),
        (Role.STAFF, True, "Only an OIA administrator can approve a trip."),
    ],
)
def test_refused_step_shows_the_reason(client, db, role, with_programme, reason):
    sign_in(client, UserFactory(role=role))
    delegation = DelegationFactory(status="submitted")
    if with_programme:
        ProgrammeItemFactory(delegation=delegation)

    response = post_step(client, delegation, "approved")
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert reason in page.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == "submitted"
    assert not delegation.transitions.exists()


def test_step_the_workflow_does_not_offer_is_refused_in_words(staff_client):
    delegation = DelegationFactory(status="draft")

    response = post_step(staff_client, delegation, "completed")
    html = staff_client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "This step is not possible from the delegation&#x27;s current status." in html
    delegation.refresh_from_db()
    assert delegation.status == "draft"


def test_transition_answers_only_post(staff_client):
    delegation = DelegationFactory()

    assert staff_client.get(transition_url(delegation)).status_code == 405
