"""The delegations API: office staff only, same filters as the UI, writes
through the services (so the API refuses what the forms refuse)."""

import datetime

import pytest
from django.urls import reverse

from delegations.models import CoordinationCase, Delegation, Participant, Person, Transition
from delegations.services import delegation_create
from oia.roles import Role
from tests.factories import (
    CityFactory,
    CoordinationCaseFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    ParticipantFactory,
    PersonFactory,
    ProgrammeItemFactory,
    UserFactory,
)

# Role check, count, page; the delegation list adds participants (with people), programme, costs.
API_LIST_QUERIES = {
    "api:delegation-list": 6,
    "api:person-list": 3,
    "api:department-list": 3,
    "api:coordination-case-list": 3,
}


def full_delegation(**fields):
    """A delegation with what its list row shows: participants, programme, costs."""
    delegation = DelegationFactory(**fields)
    ParticipantFactory(delegation=delegation, role="lead")
    ParticipantFactory(delegation=delegation)
    ProgrammeItemFactory(delegation=delegation)
    CostFactory(delegation=delegation, estimated=1000, actual=900)
    CostFactory(delegation=delegation, category="accommodation", estimated=500)
    return delegation


def transitions_url(delegation):
    return reverse("api:delegation-transitions", args=[delegation.pk])


def participants_url(delegation):
    return reverse("api:delegation-participants", args=[delegation.pk])


# --- lists and their query counts ----------------------------------------


def _many(endpoint, count):
    for _ in range(count):
        if endpoint == "api:delegation-list":
            full_delegation()
        elif endpoint == "api:person-list":
            PersonFactory(city=CityFactory())
        elif endpoint == "api:department-list":
            DepartmentFactory()
        elif endpoint == "api:coordination-case-list":
            CoordinationCaseFactory(resolved_by=UserFactory())


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize("endpoint", sorted(API_LIST_QUERIES))
def test_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, endpoint, count):
    _many(endpoint, count)

    with django_assert_max_num_queries(API_LIST_QUERIES[endpoint]):
        response = staff_api.get(reverse(endpoint), {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] >= count


def test_delegation_shows_participants_size_programme_and_costs(staff_api):
    delegation = full_delegation(head_count=18, head_count_note="Students")
    lead = delegation.participants.get(role="lead")

    body = staff_api.get(reverse("api:delegation-detail", args=[delegation.pk])).json()

    assert body["status"] == "draft"
    assert body["city"]["name"] == delegation.city.name
    assert body["head_count"] == 18
    assert body["named_count"] == 2
    assert body["total_size"] == 20
    assert {"person": lead.person_id, "name": lead.person.name, "role": "lead", "sector": "government"} in [
        {key: row[key] for key in ("person", "name", "role", "sector")} for row in body["participants"]
    ]
    assert [item["title"] for item in body["programme"]] == ["Meeting with the mayor"]
    assert {(cost["estimated"], cost["actual"]) for cost in body["costs"]} == {("1000.00", "900.00"), ("500.00", None)}
    assert body["estimated_total"] == "1500.00"
    assert body["actual_total"] == "900.00"
    assert body["allowed_transitions"] == ["cancelled", "submitted"]


def test_delegation_filters_match_the_ui(staff_api):
    lyon = CityFactory(name="Lyon", country="FR")
    trip = DelegationFactory(title="Visit to Lyon", city=lyon)
    visit = DelegationFactory(
        title="Students from Kraków",
        direction="inbound",
        city=CityFactory(name="Kraków", country="PL"),
        start_on=datetime.date(2025, 5, 1),
    )
    url = reverse("api:delegation-list")

    def titles(**params):
        return [row["title"] for row in staff_api.get(url, params).json()["results"]]

    assert titles(direction="inbound") == [visit.title]
    assert titles(q="lyon") == [trip.title]
    assert titles(status="draft") == [trip.title]
    assert titles(year=2025) == [visit.title]
    assert titles(city=lyon.pk) == [trip.title]
    assert titles(ordering="start") == [visit.title, trip.title]
    assert staff_api.get(url, {"status": "nonsense"}).status_code == 400


# --- create and update ---------------------------------------------------


def test_create_delegation_starts_as_draft_with_history(staff_api, staff_user):
    city = CityFactory(name="Toronto", country="CA")
    department = DepartmentFactory(name="Economic Development")

    response = staff_api.post(
        reverse("api:delegation-list"),
        {
            "direction": "outbound",
            "title": "Toronto Tech Week",
            "purpose": "technical_exchange",
            "city_id": city.pk,
            "start_on": "2026-06-22",
            "end_on": "2026-06-26",
            "department": department.pk,
            "status": "approved",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["country"] == "CA"
    assert body["total_size"] == 0
    assert body["version"] == 1
    step = Transition.objects.get(delegation_id=body["id"])
    assert (step.from_status, step.to_status, step.by) == ("", "draft", staff_user)


def test_invalid_delegation_gets_field_messages(staff_api):
    response = staff_api.post(
        reverse("api:delegation-list"),
        {
            "direction": "outbound",
            "title": "Backwards",
            "purpose": "other",
            "country": "FR",
            "start_on": "2026-06-22",
            "end_on": "2026-06-20",
            "department": DepartmentFactory().pk,
            "official_guest": True,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "end date" in response.json()["end_on"][0]
    assert "official guests" in response.json()["official_guest"][0]


def test_the_lead_is_named_through_the_participants(staff_api):
    response = staff_api.post(
        reverse("api:delegation-list"),
        {
            "direction": "outbound",
            "title": "Trip",
            "purpose": "other",
            "country": "FR",
            "start_on": "2026-06-22",
            "end_on": "2026-06-23",
            "department": DepartmentFactory().pk,
            "lead": PersonFactory().pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "lead" in response.json()


def test_update_needs_the_current_version(staff_api):
    delegation = DelegationFactory()
    url = reverse("api:delegation-detail", args=[delegation.pk])

    missing = staff_api.patch(url, {"title": "x"}, format="json")
    stale = staff_api.patch(url, {"title": "x", "version": delegation.version + 5}, format="json")
    fresh = staff_api.patch(
        url, {"title": "New title", "head_count": 3, "status": "approved", "version": delegation.version}, format="json"
    )

    assert missing.status_code == 400
    assert stale.status_code == 400
    assert "Someone else changed" in str(stale.json())
    assert fresh.status_code == 200, fresh.json()
    assert fresh.json()["title"] == "New title"
    assert fresh.json()["total_size"] == 3
    assert fresh.json()["status"] == "draft"
    assert fresh.json()["version"] == delegation.version + 1


def test_update_refuses_what_the_service_refuses(staff_api):
    delegation = DelegationFactory()
    url = reverse("api:delegation-detail", args=[delegation.pk])

    direction = staff_api.patch(url, {"direction": "inbound", "version": delegation.version}, format="json")
    lead = staff_api.patch(url, {"lead": PersonFactory().pk, "version": delegation.version}, format="json")

    assert direction.status_code == 400
    assert "direction" in direction.json()
    assert lead.status_code == 400
    assert "participants" in lead.json()["lead"][0]


# --- workflow ------------------------------------------------------------


def test_transitions_list_the_history_and_take_allowed_steps(staff_api, staff_user):
    delegation = delegation_create(
        created_by=staff_user,
        direction="outbound",
        title="Trip",
        purpose="other",
        country="FR",
        start_on=datetime.date(2026, 6, 1),
        end_on=datetime.date(2026, 6, 2),
        department=DepartmentFactory(),
    )

    step = staff_api.post(transitions_url(delegation), {"to_status": "submitted", "comment": "Ready."}, format="json")
    history = staff_api.get(transitions_url(delegation)).json()

    assert step.status_code == 201, step.json()
    assert step.json()["to_status"] == "submitted"
    assert step.json()["by"] == staff_user.username
    assert [(row["from_status"], row["to_status"]) for row in history] == [("", "draft"), ("draft", "submitted")]
    assert history[1]["comment"] == "Ready."
    delegation.refresh_from_db()
    assert delegation.status == "submitted"


def test_a_refused_step_answers_409_with_the_reason(staff_api):
    delegation = DelegationFactory(status="submitted")
    ProgrammeItemFactory(delegation=delegation)

    not_admin = staff_api.post(transitions_url(delegation), {"to_status": "approved"}, format="json")
    not_allowed = staff_api.post(transitions_url(delegation), {"to_status": "completed"}, format="json")

    assert not_admin.status_code == 409
    assert not_admin.json() == {"detail": "Only an OIA administrator can approve a trip."}
    assert not_allowed.status_code == 409
    assert "cannot become" in not_allowed.json()["detail"]
    delegation.refresh_from_db()
    assert delegation.status == "submitted"


def test_an_admin_approves_a_trip_with_a_programme(admin_api):
    without = DelegationFactory(status="submitted")
    ready = DelegationFactory(status="submitted")
    ProgrammeItemFactory(delegation=ready)
    CostFactory(delegation=ready, estimated=1200)

    refused = admin_api.post(transitions_url(without), {"to_status": "approved"}, format="json")
    approved = admin_api.post(transitions_url(ready), {"to_status": "approved"}, format="json")

    assert refused.status_code == 409
    assert "working programme" in refused.json()["detail"]
    assert approved.status_code == 201
    body = admin_api.get(reverse("api:delegation-detail", args=[ready.pk])).json()
    assert body["status"] == "approved"
    assert body["approved_estimate"] == "1200.00"


def test_an_unknown_status_is_a_400(staff_api):
    delegation = DelegationFactory()

    response = staff_api.post(transitions_url(delegation), {"to_status": "teleported"}, format="json")

    assert response.status_code == 400
    assert "to_status" in response.json()


# --- participants --------------------------------------------------------


def test_add_participants_and_name_the_lead(staff_api):
    delegation = DelegationFactory()
    person = PersonFactory()

    added = staff_api.post(
        participants_url(delegation), {"person": person.pk, "role": "lead", "sector": "government"}, format="json"
    )
    listed = staff_api.get(participants_url(delegation)).json()

    assert added.status_code == 201, added.json()
    assert added.json()["name"] == person.name
    assert [row["person"] for row in listed] == [person.pk]
    delegation.refresh_from_db()
    assert delegation.lead == person


def test_participant_errors_get_messages(staff_api):
    delegation = DelegationFactory()
    already = ParticipantFactory(delegation=delegation).person
    traveller = ParticipantFactory(delegation=DelegationFactory(start_on=delegation.start_on)).person
    url = participants_url(delegation)

    twice = staff_api.post(url, {"person": already.pk}, format="json")
    clash = staff_api.post(url, {"person": traveller.pk}, format="json")
    unknown = staff_api.post(url, {"person": 999999}, format="json")
    bad_role = staff_api.post(url, {"person": PersonFactory().pk, "role": "mascot"}, format="json")

    assert twice.status_code == 400
    assert "already a participant" in twice.json()["person"][0]
    assert clash.status_code == 400
    assert "already travelling" in clash.json()["non_field_errors"][0]
    assert unknown.status_code == 400
    assert "person" in unknown.json()
    assert bad_role.status_code == 400
    assert "role" in bad_role.json()
    assert Participant.objects.filter(delegation=delegation).count() == 1


# --- coordination --------------------------------------------------------


def test_coordination_cases_are_listed_by_state_and_resolved(staff_api, staff_user):
    case = CoordinationCaseFactory()
    done = CoordinationCaseFactory(state="coordinated", comment="Travelling together.")
    url = reverse("api:coordination-case-list")

    open_cases = staff_api.get(url, {"state": "open"}).json()["results"]
    empty = staff_api.post(reverse("api:coordination-case-resolve", args=[case.pk]), {"comment": " "}, format="json")
    resolved = staff_api.post(
        reverse("api:coordination-case-resolve", args=[case.pk]),
        {"comment": "Culture joins the business forum."},
        format="json",
    )

    assert [row["id"] for row in open_cases] == [case.pk]
    assert open_cases[0]["trip"]["title"] == case.trip.title
    assert open_cases[0]["other"]["department_name"] == case.other.department.name
    assert empty.status_code == 400
    assert "coordinated" in empty.json()["comment"][0]
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["state"] == "coordinated"
    assert resolved.json()["resolved_by"] == staff_user.username
    assert CoordinationCase.objects.get(pk=case.pk).comment == "Culture joins the business forum."
    assert staff_api.get(url, {"state": "coordinated"}).json()["results"][0]["id"] == done.pk


# --- people and departments ----------------------------------------------


def test_people_crud_with_their_needs(staff_api):
    department = DepartmentFactory(name="Culture")
    url = reverse("api:person-list")

    created = staff_api.post(
        url,
        {
            "name": "Agnieszka Wójcik",
            "title": "Deputy Mayor",
            "organisation": "Urząd Miasta Krakowa",
            "country": "PL",
            "dietary_needs": "vegetarian",
            "accessibility_needs": "step-free access",
        },
        format="json",
    )
    official = PersonFactory(name="Katharina Vogel", department=department)
    detail = reverse("api:person-detail", args=[created.json()["id"]])
    changed = staff_api.patch(detail, {"dietary_needs": "vegan"}, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["is_official"] is False
    assert changed.json()["dietary_needs"] == "vegan"
    assert changed.json()["accessibility_needs"] == "step-free access"
    assert [row["id"] for row in staff_api.get(url, {"department": department.pk}).json()["results"]] == [official.pk]
    assert [row["name"] for row in staff_api.get(url, {"q": "wójcik"}).json()["results"]] == ["Agnieszka Wójcik"]
    assert staff_api.delete(detail).status_code == 204
    assert not Person.objects.filter(name="Agnieszka Wójcik").exists()


def test_a_person_on_a_delegation_cannot_be_deleted(staff_api):
    person = ParticipantFactory().person

    response = staff_api.delete(reverse("api:person-detail", args=[person.pk]))

    assert response.status_code == 409
    assert response.json()["detail"]


def test_departments_are_listed_and_created(staff_api):
    url = reverse("api:department-list")

    created = staff_api.post(url, {"name": "Sport", "short_name": "SPO"}, format="json")
    duplicate = staff_api.post(url, {"name": "Sport"}, format="json")

    assert created.status_code == 201
    assert "Sport" in [row["name"] for row in staff_api.get(url, {"page_size": 200}).json()["results"]]
    assert duplicate.status_code == 400


# --- who may -------------------------------------------------------------

ENDPOINTS = [
    ("api:department-list", None),
    ("api:person-list", None),
    ("api:person-detail", "person"),
    ("api:delegation-list", None),
    ("api:delegation-detail", "delegation"),
    ("api:delegation-transitions", "delegation"),
    ("api:delegation-participants", "delegation"),
    ("api:coordination-case-list", None),
    ("api:coordination-case-detail", "case"),
]


def _url(name, target):
    if target is None:
        return reverse(name)
    pk = {
        "person": lambda: PersonFactory().pk,
        "delegation": lambda: DelegationFactory().pk,
        "case": lambda: CoordinationCaseFactory().pk,
    }[target]()
    return reverse(name, args=[pk])


@pytest.mark.parametrize(("name", "target"), ENDPOINTS)
@pytest.mark.parametrize("role", [Role.CLUB_LEADER, Role.COUNCIL])
def test_roles_outside_the_office_are_refused(api_client, db, name, target, role):
    api_client.force_authenticate(UserFactory(role=role))

    assert api_client.get(_url(name, target)).status_code == 403


@pytest.mark.parametrize(("name", "target"), ENDPOINTS)
def test_anonymous_gets_401(api_client, db, name, target):
    assert api_client.get(_url(name, target)).status_code == 401


@pytest.mark.parametrize("role", [Role.CLUB_LEADER, Role.COUNCIL])
def test_roles_outside_the_office_cannot_write(api_client, db, role):
    delegation = DelegationFactory()
    case = CoordinationCaseFactory()
    api_client.force_authenticate(UserFactory(role=role))

    step = api_client.post(transitions_url(delegation), {"to_status": "submitted"}, format="json")
    resolve = api_client.post(reverse("api:coordination-case-resolve", args=[case.pk]), {"comment": "x"})
    person = api_client.post(reverse("api:person-list"), {"name": "Eve"}, format="json")

    assert (step.status_code, resolve.status_code, person.status_code) == (403, 403, 403)
    assert Delegation.objects.get(pk=delegation.pk).status == "draft"
    assert CoordinationCase.objects.get(pk=case.pk).state == "open"


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
def test_a_year_outside_1900_to_2200_answers_400_naming_the_range(staff_api, value):
    response = staff_api.get(reverse("api:delegation-list"), {"year": value})

    assert response.status_code == 400
    assert response.json() == {"year": ["Enter a year from 1900 to 2200."]}


@pytest.mark.parametrize(("name", "value"), [("official_guest", "2"), ("official_guest", "-1"), ("partnership", "1.5")])
def test_a_filter_value_of_the_wrong_kind_answers_400(staff_api, name, value):
    response = staff_api.get(reverse("api:delegation-list"), {name: value})

    assert response.status_code == 400
    assert name in response.json()
