"""The demo year of delegations: loaded through the services, idempotent, with
exactly one coordination case."""

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from delegations.choices import CaseState, DelegationStatus, Direction
from delegations.models import CoordinationCase, Delegation, Participant, Person, ProgrammeItem, Transition
from delegations.services import allowed_transitions, traveller_conflicts
from demo import load_demo


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Delegation, Participant, Person, ProgrammeItem, Transition, CoordinationCase)
    }


@pytest.fixture
def demo(db):
    load_demo()


def test_loading_twice_changes_nothing(demo):
    first = _counts()

    load_demo()

    assert _counts() == first


def test_a_year_of_trips_and_visits(demo):
    by_direction = dict(Delegation.objects.values_list("direction").annotate(n=Count("pk")))

    assert by_direction[Direction.OUTBOUND] >= 15
    assert by_direction[Direction.INBOUND] >= 25
    this_year = Delegation.objects.filter(start_on__year=timezone.localdate().year)
    assert this_year.filter(participants__person__name="Dr. Markus Winter").count() == 5
    assert Delegation.objects.filter(head_count=18, direction=Direction.INBOUND).exists()


def test_exactly_one_open_coordination_case(demo):
    case = CoordinationCase.objects.select_related("trip", "other").get()

    assert case.state == CaseState.OPEN
    assert case.trip.city_id == case.other.city_id
    assert case.trip.department_id != case.other.department_id
    assert case.trip.start_on <= case.other.end_on
    assert case.other.start_on <= case.trip.end_on


def test_states_follow_the_workflow(demo):
    for delegation in Delegation.objects.prefetch_related("transitions"):
        history = list(delegation.transitions.all())
        assert history[0].from_status == ""
        assert history[-1].to_status == delegation.status
        assert all(a.to_status == b.from_status for a, b in zip(history, history[1:], strict=False))
        assert [step.at for step in history] == sorted(step.at for step in history)
        if delegation.status == DelegationStatus.COMPLETED and delegation.is_outbound:
            assert delegation.trip_report
        assert allowed_transitions(delegation) is not None


def test_nobody_travels_twice_at_once(demo):
    for delegation in Delegation.objects.taking_place():
        people = delegation.participants.values_list("person", flat=True)
        assert traveller_conflicts(delegation, people) == []


def test_past_trips_are_completed(demo):
    assert Delegation.objects.filter(status=DelegationStatus.COMPLETED, direction=Direction.OUTBOUND).exists()
    assert Delegation.objects.filter(status=DelegationStatus.COMPLETED, direction=Direction.INBOUND).exists()


@pytest.mark.parametrize(("month", "day"), [(1, 2), (12, 6), (12, 31)])
def test_the_demo_loads_on_any_day_of_the_year(db, monkeypatch, month, day):
    """States follow the date: before anything happened, during the Lyon trips, after everything."""
    today = datetime.date(timezone.localdate().year, month, day)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)

    load_demo()

    assert CoordinationCase.objects.filter(state=CaseState.OPEN).count() == 1
    statuses = set(Delegation.objects.filter(start_on__year=today.year).values_list("status", flat=True))
    if month == 1:
        assert statuses <= {"draft", "submitted", "approved", "requested", "confirmed", "cancelled"}
    if (month, day) == (12, 31):
        assert statuses == {"completed", "cancelled"}
