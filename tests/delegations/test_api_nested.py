"""A delegation's own records through the API, nested under it: programme
items, costs, gifts and outcomes (list, add, read, change, remove) and
removing a participant. Office staff only; the same rules as the pages
(services.records): versions, the programme within the trip's dates, no
negative amounts, an approved trip keeps its programme."""

import datetime
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
    ProgrammeItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# name in the URL, factory, a valid new record, a change
RESOURCES = {
    "programme": (
        ProgrammeItemFactory,
        {"date": "2026-04-21", "starts_at": "09:30", "ends_at": "11:00", "kind": "meeting", "title": "Mayor"},
        {"title": "Mayor and the tram company"},
    ),
    "cost": (
        CostFactory,
        {"category": "travel", "description": "Train", "estimated": "480.00", "payer": "city"},
        {"actual": "455.50"},
    ),
    "gift": (
        GiftFactory,
        {"direction": "received", "description": "Porcelain vase", "counterpart": "Mayor of Lyon", "value": "120.00"},
        {"value": "150.00"},
    ),
    "outcome": (
        OutcomeFactory,
        {"kind": "agreement", "description": "Letter of intent on trams", "due_on": "2026-06-30"},
        {"done": True},
    ),
}
MODELS = {"programme": ProgrammeItem, "cost": Cost, "gift": Gift, "outcome": Outcome}
# Role check, the delegation, count, page.
LIST_QUERIES = 4


def list_url(name, delegation):
    return reverse(f"api:delegation-{name}-list", kwargs={"delegation_pk": delegation.pk})


def detail_url(name, record, delegation=None):
    delegation_pk = delegation.pk if delegation else record.delegation_id
    return reverse(f"api:delegation-{name}-detail", kwargs={"delegation_pk": delegation_pk, "pk": record.pk})


def participant_url(participant, delegation=None):
    delegation_pk = delegation.pk if delegation else participant.delegation_id
    return reverse("api:delegation-participant-detail", kwargs={"delegation_pk": delegation_pk, "pk": participant.pk})


# --- lists ---------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 40])
@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, name, count):
    make = RESOURCES[name][0]
    delegation = DelegationFactory()
    for _ in range(count):
        record = make(delegation=delegation)
        if name == "outcome":
            Outcome.objects.filter(pk=record.pk).update(owner=UserFactory(role=Role.STAFF))
    make()  # another delegation's

    with django_assert_max_num_queries(LIST_QUERIES):
        response = staff_api.get(list_url(name, delegation), {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] == count


def test_the_list_holds_only_the_delegations_records_in_programme_order(staff_api):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))
    later = ProgrammeItemFactory(delegation=delegation, date=datetime.date(2026, 4, 22), title="Farewell")
    first = ProgrammeItemFactory(delegation=delegation, date=datetime.date(2026, 4, 20), title="Welcome")
    ProgrammeItemFactory(title="Someone else's")

    rows = staff_api.get(list_url("programme", delegation)).json()["results"]

    assert [row["id"] for row in rows] == [first.pk, later.pk]


def test_an_unknown_delegation_answers_404(staff_api):
    assert staff_api.get(reverse("api:delegation-cost-list", kwargs={"delegation_pk": 999999})).status_code == 404


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_a_record_asked_for_under_another_delegation_answers_404(staff_api, name):
    record = RESOURCES[name][0]()
    other = DelegationFactory()
    url = detail_url(name, record, delegation=other)

    assert staff_api.get(url).status_code == 404
    assert staff_api.patch(url, {"version": record.version}, format="json").status_code == 404
    assert staff_api.delete(f"{url}?version={record.version}").status_code == 404
    assert MODELS[name].objects.filter(pk=record.pk).exists()


# --- add, change, remove -------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_a_record_is_added_changed_and_removed_at_its_version(staff_api, name):
    _, new, change = RESOURCES[name]
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))

    created = staff_api.post(list_url(name, delegation), new, format="json")
    assert created.status_code == 201, created.json()
    record = MODELS[name].objects.get(pk=created.json()["id"])
    assert record.delegation == delegation
    assert created.json()["version"] == 1

    changed = staff_api.patch(detail_url(name, record), {**change, "version": 1}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2
    for field, value in change.items():
        assert changed.json()[field] == value

    stale = staff_api.delete(f"{detail_url(name, record)}?version=1")
    assert stale.status_code == 400
    assert "Someone else changed this" in stale.json()["non_field_errors"][0]

    removed = staff_api.delete(f"{detail_url(name, record)}?version=2")
    assert removed.status_code == 204
    assert not MODELS[name].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_an_edit_on_an_old_version_is_refused_and_the_newer_one_kept(staff_api, name):
    record = RESOURCES[name][0]()
    MODELS[name].objects.filter(pk=record.pk).update(version=2)  # someone saved in between

    response = staff_api.patch(detail_url(name, record), {**RESOURCES[name][2], "version": 1}, format="json")

    assert response.status_code == 400
    assert "Someone else changed this" in response.json()["non_field_errors"][0]
    assert MODELS[name].objects.get(pk=record.pk).version == 2


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_an_edit_without_a_version_is_refused(staff_api, name):
    record = RESOURCES[name][0]()

    response = staff_api.patch(detail_url(name, record), RESOURCES[name][2], format="json")

    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you read, so no edit is lost."]}


@pytest.mark.parametrize("query", ["", "?version=", "?version=0", "?version=abc", "?version=99999999999"])
def test_a_removal_without_a_valid_version_is_refused(staff_api, query):
    cost = CostFactory()

    response = staff_api.delete(detail_url("cost", cost) + query)

    assert response.status_code == 400
    assert "version" in response.json()
    assert Cost.objects.filter(pk=cost.pk).exists()


def test_put_needs_every_required_field(staff_api):
    item = ProgrammeItemFactory(place="City Hall")
    payload = {"date": item.date.isoformat(), "kind": "site_visit", "title": "Tram depot", "version": item.version}

    incomplete = staff_api.put(detail_url("programme", item), {"kind": "site_visit", "version": 1}, format="json")
    replaced = staff_api.put(detail_url("programme", item), payload, format="json")

    assert incomplete.status_code == 400
    assert set(incomplete.json()) == {"date", "title"}
    assert replaced.status_code == 200, replaced.json()
    item.refresh_from_db()
    assert (item.kind, item.title, item.place, item.version) == ("site_visit", "Tram depot", "City Hall", 2)


def test_the_delegation_shows_the_changed_costs_and_their_totals(staff_api):
    delegation = DelegationFactory()
    cost = CostFactory(delegation=delegation, estimated=Decimal("1000"))

    staff_api.patch(detail_url("cost", cost), {"actual": "1200.00", "version": cost.version}, format="json")
    answer = staff_api.get(reverse("api:delegation-detail", args=[delegation.pk])).json()

    assert answer["actual_total"] == "1200.00"
    assert answer["costs"][0]["version"] == 2


# --- the rules of the pages ----------------------------------------------


def test_a_programme_item_outside_the_trips_dates_is_refused_with_the_dates(staff_api):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))
    item = ProgrammeItemFactory(delegation=delegation)

    added = staff_api.post(
        list_url("programme", delegation), {"date": "2026-05-01", "title": "Too late"}, format="json"
    )
    moved = staff_api.patch(
        detail_url("programme", item), {"date": "2026-04-19", "version": item.version}, format="json"
    )

    assert added.status_code == 400
    dates = "(20 April 2026 – 22 April 2026)"
    assert added.json() == {"date": [f"The date must lie within the delegation's dates {dates}."]}
    assert moved.status_code == 400
    assert "(20 April 2026 – 22 April 2026)" in moved.json()["date"][0]
    item.refresh_from_db()
    assert (item.date, item.version) == (datetime.date(2026, 4, 20), 1)


def test_a_programme_item_ending_before_it_starts_is_refused(staff_api):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))

    response = staff_api.post(
        list_url("programme", delegation),
        {"date": "2026-04-20", "starts_at": "11:00", "ends_at": "10:00", "title": "Backwards"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"ends_at": ["The end time must be after the start time."]}


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("cost", {"category": "travel", "estimated": "-5.00"}),
        ("cost", {"category": "travel", "estimated": "100.00", "actual": "-1.00"}),
        ("gift", {"direction": "given", "description": "Book", "counterpart": "Mayor", "value": "-10.00"}),
    ],
)
def test_a_negative_amount_is_refused(staff_api, name, payload):
    delegation = DelegationFactory()

    response = staff_api.post(list_url(name, delegation), payload, format="json")

    assert response.status_code == 400
    (field,) = [field for field, value in payload.items() if str(value).startswith("-")]
    assert response.json()[field] == ["Ensure this value is greater than or equal to 0."]
    assert not MODELS[name].objects.exists()


def test_a_negative_actual_cost_is_refused_on_edit(staff_api):
    cost = CostFactory(estimated=Decimal("900"))

    response = staff_api.patch(detail_url("cost", cost), {"actual": "-900.00", "version": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"actual": ["Ensure this value is greater than or equal to 0."]}
    cost.refresh_from_db()
    assert cost.actual is None


def test_an_amount_sent_as_a_number_is_refused(staff_api):
    response = staff_api.post(
        list_url("cost", DelegationFactory()), {"category": "travel", "estimated": 100.1}, format="json"
    )

    assert response.status_code == 400
    assert "estimated" in response.json()


def test_the_outcome_owner_is_an_office_user_named_by_username(staff_api):
    delegation = DelegationFactory()
    officer = UserFactory(username="olga", role=Role.STAFF)
    UserFactory(username="klaus", role=Role.CLUB_LEADER)
    payload = {"kind": "follow_up", "description": "Send the tram study"}

    owned = staff_api.post(list_url("outcome", delegation), {**payload, "owner": "olga"}, format="json")
    by_a_leader = staff_api.post(list_url("outcome", delegation), {**payload, "owner": "klaus"}, format="json")

    assert owned.status_code == 201
    assert owned.json()["owner"] == "olga"
    assert Outcome.objects.get().owner == officer
    assert by_a_leader.status_code == 400
    assert "owner" in by_a_leader.json()


@pytest.mark.parametrize("status", ["approved", "completed"])
def test_an_approved_trip_keeps_its_last_programme_item(staff_api, status):
    delegation = DelegationFactory(status=status)
    item = ProgrammeItemFactory(delegation=delegation)

    response = staff_api.delete(f"{detail_url('programme', item)}?version={item.version}")

    assert response.status_code == 400
    assert "the last programme item stays" in response.json()["non_field_errors"][0]
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()


def test_an_approved_trip_may_drop_an_item_while_another_remains(staff_api):
    delegation = DelegationFactory(status="approved")
    item = ProgrammeItemFactory(delegation=delegation)
    ProgrammeItemFactory(delegation=delegation, title="Tram depot")

    response = staff_api.delete(f"{detail_url('programme', item)}?version={item.version}")

    assert response.status_code == 204
    assert list(delegation.programme.values_list("title", flat=True)) == ["Tram depot"]


@pytest.mark.parametrize(
    ("direction", "status", "official_guest", "kept"),
    [
        ("outbound", "draft", False, False),
        ("outbound", "submitted", False, False),
        ("inbound", "confirmed", True, True),
        ("inbound", "confirmed", False, False),
        ("inbound", "requested", True, False),
    ],
)
def test_which_delegations_keep_their_programme(direction, status, official_guest, kept):
    delegation = DelegationFactory(direction=direction, status=status, official_guest=official_guest)

    assert delegation.keeps_its_programme() is kept


# --- participants --------------------------------------------------------


def test_removing_the_head_of_delegation_clears_the_lead(staff_api):
    lead = ParticipantFactory(role="lead")
    delegation = lead.delegation
    Delegation.objects.filter(pk=delegation.pk).update(lead=lead.person)
    member = ParticipantFactory(delegation=delegation)

    response = staff_api.delete(participant_url(lead))

    assert response.status_code == 204
    delegation.refresh_from_db()
    assert delegation.lead is None
    assert delegation.version == 2
    assert list(Participant.objects.all()) == [member]


def test_a_participant_of_another_delegation_is_not_removed(staff_api):
    participant = ParticipantFactory()

    response = staff_api.delete(participant_url(participant, delegation=DelegationFactory()))

    assert response.status_code == 404
    assert Participant.objects.filter(pk=participant.pk).exists()


# --- who may -------------------------------------------------------------


def every_request(delegation, records, participant):
    """(method, url, body) for every operation of the nested endpoints."""
    requests = [("delete", participant_url(participant), None)]
    for name, (_, new, change) in RESOURCES.items():
        record = records[name]
        requests += [
            ("get", list_url(name, delegation), None),
            ("post", list_url(name, delegation), new),
            ("get", detail_url(name, record), None),
            ("patch", detail_url(name, record), {**change, "version": record.version}),
            ("put", detail_url(name, record), {**new, "version": record.version}),
            ("delete", f"{detail_url(name, record)}?version={record.version}", None),
        ]
    return requests


@pytest.fixture
def trip():
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))
    records = {name: make(delegation=delegation) for name, (make, _, _) in RESOURCES.items()}
    return delegation, records, ParticipantFactory(delegation=delegation)


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER, None])
def test_roles_outside_the_office_are_refused_everywhere_and_nothing_changes(api_client, trip, role):
    delegation, records, participant = trip
    api_client.force_authenticate(UserFactory(role=role))

    answers = {
        (method, url): getattr(api_client, method)(url, body, format="json").status_code
        for method, url, body in every_request(delegation, records, participant)
    }

    assert set(answers.values()) == {403}, answers
    for name, record in records.items():
        assert MODELS[name].objects.get(pk=record.pk).version == 1
    assert Participant.objects.filter(pk=participant.pk).exists()
    assert ProgrammeItem.objects.filter(delegation=delegation).count() == 1


def test_anonymous_gets_401_everywhere(api_client, trip):
    delegation, records, participant = trip

    answers = {
        getattr(api_client, method)(url, body, format="json").status_code
        for method, url, body in every_request(delegation, records, participant)
    }

    assert answers == {401}
