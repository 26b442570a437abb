"""The workflow of outbound trips and inbound visits, step by step."""

import datetime
from decimal import Decimal

import pytest

from delegations import services
from delegations.models import Delegation, Transition
from delegations.services import TransitionNotAllowed
from tests.factories import (
    CityFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    ProgrammeItemFactory,
    UserFactory,
)

OUTBOUND_STEPS = [
    # (from, to, allowed)
    ("draft", "submitted", True),
    ("draft", "cancelled", True),
    ("draft", "approved", False),
    ("draft", "completed", False),
    ("submitted", "approved", True),
    ("submitted", "rejected", True),
    ("submitted", "draft", True),
    ("submitted", "cancelled", True),
    ("submitted", "completed", False),
    ("approved", "completed", True),
    ("approved", "cancelled", True),
    ("approved", "submitted", True),
    ("approved", "rejected", False),
    ("rejected", "draft", True),
    ("rejected", "approved", False),
    ("completed", "cancelled", False),
    ("completed", "draft", False),
    ("cancelled", "draft", False),
    ("draft", "confirmed", False),
]

INBOUND_STEPS = [
    ("requested", "confirmed", True),
    ("requested", "cancelled", True),
    ("requested", "completed", False),
    ("confirmed", "completed", True),
    ("confirmed", "cancelled", True),
    ("completed", "cancelled", False),
    ("cancelled", "confirmed", False),
    ("requested", "approved", False),
]


def ready_trip(status, **fields):
    """A trip that meets every rule except the one under test."""
    trip = DelegationFactory(status=status, trip_report="Signed a youth exchange agreement.", **fields)
    ProgrammeItemFactory(delegation=trip)
    return trip


@pytest.mark.parametrize(("current", "target", "allowed"), OUTBOUND_STEPS)
def test_outbound_transitions(admin, current, target, allowed):
    trip = ready_trip(current)

    if allowed:
        step = services.delegation_transition(delegation=trip, to_status=target, by=admin, comment="ok")
        assert (step.from_status, step.to_status, step.by) == (current, target, admin)
        assert Delegation.objects.get(pk=trip.pk).status == target
    else:
        with pytest.raises(TransitionNotAllowed, match="cannot become"):
            services.delegation_transition(delegation=trip, to_status=target, by=admin)
        assert Delegation.objects.get(pk=trip.pk).status == current
        assert not Transition.objects.filter(delegation=trip).exists()


@pytest.mark.parametrize(("current", "target", "allowed"), INBOUND_STEPS)
def test_inbound_transitions(admin, current, target, allowed):
    visit = ready_trip(current, direction="inbound")

    if allowed:
        services.delegation_transition(delegation=visit, to_status=target, by=admin)
        assert Delegation.objects.get(pk=visit.pk).status == target
    else:
        with pytest.raises(TransitionNotAllowed):
            services.delegation_transition(delegation=visit, to_status=target, by=admin)
        assert Delegation.objects.get(pk=visit.pk).status == current


def test_a_new_trip_starts_as_draft_with_its_first_history_entry(db):
    staff = UserFactory(role="oia_staff")

    trip = services.delegation_create(
        created_by=staff,
        direction="outbound",
        title="Mayor to Kraków",
        purpose="partner_city_visit",
        city=CityFactory(name="Kraków", country="PL"),
        start_on=datetime.date(2026, 5, 4),
        end_on=datetime.date(2026, 5, 6),
        department=DepartmentFactory(name="Mayor's Office"),
    )

    assert trip.country == "PL"

    assert trip.status == "draft"
    assert trip.transitions.get().to_status == "draft"


def test_only_an_admin_approves(db):
    trip = ready_trip("submitted")

    with pytest.raises(TransitionNotAllowed, match="Only an OIA administrator"):
        services.delegation_transition(delegation=trip, to_status="approved", by=UserFactory(role="oia_staff"))


def test_no_approval_without_a_working_programme(admin):
    trip = DelegationFactory(status="submitted")

    with pytest.raises(TransitionNotAllowed, match="working programme"):
        services.delegation_transition(delegation=trip, to_status="approved", by=admin)


def test_an_official_visit_is_not_confirmed_without_a_programme(admin):
    visit = DelegationFactory(direction="inbound", status="requested", official_guest=True)
    informal = DelegationFactory(direction="inbound", status="requested", official_guest=False)

    with pytest.raises(TransitionNotAllowed, match="official visit"):
        services.delegation_transition(delegation=visit, to_status="confirmed", by=admin)
    services.delegation_transition(delegation=informal, to_status="confirmed", by=admin)


def test_completing_a_trip_needs_a_trip_report(admin):
    trip = ready_trip("approved")
    trip.trip_report = "  "
    trip.save()

    with pytest.raises(TransitionNotAllowed, match="trip report"):
        services.delegation_transition(delegation=trip, to_status="completed", by=admin)


def test_approval_records_the_estimate(admin):
    trip = ready_trip("submitted")
    CostFactory(delegation=trip, estimated=Decimal("1200.00"))
    CostFactory(delegation=trip, category="accommodation", estimated=Decimal("800.00"))

    services.delegation_transition(delegation=trip, to_status="approved", by=admin)

    assert Delegation.objects.get(pk=trip.pk).approved_estimate == Decimal("2000.00")


@pytest.mark.parametrize(("actual", "needs_reapproval"), [("2200.00", False), ("2200.01", True)])
def test_costs_more_than_ten_percent_over_the_estimate_need_reapproval(admin, actual, needs_reapproval):
    trip = ready_trip("submitted")
    cost = CostFactory(delegation=trip, estimated=Decimal("2000.00"))
    services.delegation_transition(delegation=trip, to_status="approved", by=admin)
    cost.actual = Decimal(actual)
    cost.save()
    trip.refresh_from_db()

    assert services.needs_reapproval(trip) is needs_reapproval
    if needs_reapproval:
        with pytest.raises(TransitionNotAllowed, match="re-approval"):
            services.delegation_transition(delegation=trip, to_status="completed", by=admin)
        services.delegation_transition(delegation=trip, to_status="submitted", by=admin, comment="Costs rose")
        services.delegation_transition(delegation=trip, to_status="approved", by=admin)
        trip.refresh_from_db()
        assert trip.approved_estimate == Decimal(actual)
    services.delegation_transition(delegation=trip, to_status="completed", by=admin)
    assert Delegation.objects.get(pk=trip.pk).status == "completed"


def test_threshold_is_a_setting(admin, settings):
    settings.OIA_REAPPROVAL_THRESHOLD_PERCENT = 50
    trip = ready_trip("submitted")
    cost = CostFactory(delegation=trip, estimated=Decimal("1000"))
    services.delegation_transition(delegation=trip, to_status="approved", by=admin)
    cost.actual = Decimal("1400")
    cost.save()

    assert services.needs_reapproval(Delegation.objects.get(pk=trip.pk)) is False
