"""Event costs by the budget's rules, the event's steps and the guest list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from budget.models import Commitment, CommitmentStatus, Expense
from oia.roles import Role
from protocol import services
from protocol.choices import Answer, EventStatus
from protocol.models import EventCost, Guest
from tests.factories import (
    AmbassadorFactory,
    BudgetFactory,
    BudgetLineFactory,
    ConsularPostFactory,
    EventFactory,
    GuestFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def soon(days=30):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def staff_member():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMIN)


def event_on(line, **fields):
    fields.setdefault("starts_at", timezone.make_aware(datetime.datetime(line.budget.year, 11, 9, 11)))
    return EventFactory(budget_line=line, **fields)


def test_a_cost_on_an_adopted_line_opens_a_commitment(staff_member):
    line = BudgetLineFactory(planned=5000)
    event = event_on(line)

    saving = services.event_cost_add(event=event, description="Stage", estimated=Decimal("2000"), by=staff_member)

    commitment = saving.cost.commitment
    assert (commitment.line, commitment.amount, commitment.status) == (line, Decimal("2000.00"), CommitmentStatus.OPEN)


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_draft_or_closed_budget_takes_no_cost(staff_member, status):
    line = BudgetLineFactory(budget=BudgetFactory(year=2031, status=status))
    event = EventFactory(starts_at=timezone.make_aware(datetime.datetime(2031, 5, 9, 11)))
    event.budget_line = line  # a closed budget cannot be chosen any more; set directly
    event.save()

    with pytest.raises(ValidationError) as refusal:
        services.event_cost_add(event=event, description="Stage", estimated=Decimal("10"), by=staff_member)

    assert "adopted budget" in str(refusal.value)
    assert not Commitment.objects.exists()


def test_an_overdraft_of_a_line_item_budget_needs_an_administrators_reason(staff_member, administrator):
    line = BudgetLineFactory(planned=1000)
    event = event_on(line)

    with pytest.raises(ValidationError) as refusal:
        services.event_cost_add(event=event, description="Gala", estimated=Decimal("1500"), by=staff_member)
    assert "overdraw" in str(refusal.value)
    with pytest.raises(ValidationError):
        services.event_cost_add(
            event=event, description="Gala", estimated=Decimal("1500"), by=staff_member, override_reason="Mayor"
        )

    saving = services.event_cost_add(
        event=event, description="Gala", estimated=Decimal("1500"), by=administrator, override_reason="Council vote"
    )
    assert saving.cost.commitment.override_reason == "Council vote"


def test_a_discretionary_budget_takes_an_overdraft_with_a_warning(staff_member):
    line = BudgetLineFactory(budget=BudgetFactory(year=2027, mode="discretionary"), planned=100)
    event = event_on(line)

    saving = services.event_cost_add(event=event, description="Gala", estimated=Decimal("150"), by=staff_member)

    assert "overdrawn" in saving.warning


def test_a_new_estimate_replaces_the_commitment(staff_member):
    line = BudgetLineFactory(planned=3000)
    cost = services.event_cost_add(
        event=event_on(line), description="Stage", estimated=Decimal("2000"), by=staff_member
    ).cost

    # 2000 + 2500 would not fit, but the old commitment is given back first
    saving = services.event_cost_update(
        cost=cost, version=cost.version, description="Stage", estimated=Decimal("2500"), by=staff_member
    )

    commitments = Commitment.objects.order_by("pk")
    assert [c.status for c in commitments] == [CommitmentStatus.RELEASED, CommitmentStatus.OPEN]
    assert saving.cost.commitment.amount == Decimal("2500.00")


def test_a_stale_edit_of_a_cost_is_refused(staff_member):
    cost = services.event_cost_add(
        event=event_on(BudgetLineFactory()), description="Stage", estimated=Decimal("20"), by=staff_member
    ).cost

    with pytest.raises(ValidationError, match="Someone else"):
        services.event_cost_update(
            cost=cost, version=cost.version - 1, description="x", estimated=Decimal("1"), by=staff_member
        )


def test_booking_the_cost_replaces_the_commitment_by_an_expense(staff_member):
    line = BudgetLineFactory(planned=2000)
    event = event_on(line, title="Europe Day 2026")
    cost = services.event_cost_add(event=event, description="Stage", estimated=Decimal("2000"), by=staff_member).cost

    saving = services.event_cost_book(
        cost=cost,
        version=cost.version,
        actual=Decimal("1900"),
        date=datetime.date(2026, 5, 10),
        payee="Bühnen GmbH",
        by=staff_member,
    )

    expense = saving.cost.expense
    assert (expense.amount, expense.event, expense.line) == (Decimal("1900.00"), "Europe Day 2026", line)
    assert Commitment.objects.get().status == CommitmentStatus.REPLACED
    assert saving.cost.actual == Decimal("1900.00")


def test_a_refused_booking_keeps_the_commitment_open(staff_member):
    line = BudgetLineFactory(planned=2000)
    cost = services.event_cost_add(
        event=event_on(line), description="Stage", estimated=Decimal("2000"), by=staff_member
    ).cost

    with pytest.raises(ValidationError):
        services.event_cost_book(
            cost=cost,
            version=cost.version,
            actual=Decimal("2500"),
            date=datetime.date(2026, 5, 10),
            payee="X",
            by=staff_member,
        )

    assert Commitment.objects.get().status == CommitmentStatus.OPEN
    assert not Expense.objects.exists()


def test_cancelling_the_event_releases_its_open_commitments(staff_member):
    event = event_on(BudgetLineFactory(), starts_at=soon())
    services.event_cost_add(event=event, description="Stage", estimated=Decimal("200"), by=staff_member)
    event.refresh_from_db()

    with pytest.raises(ValidationError):
        services.event_cancel(event=event, version=event.version, reason="  ")
    cancelled = services.event_cancel(event=event, version=event.version, reason="The hall is closed.")

    assert cancelled.status == EventStatus.CANCELLED
    assert cancelled.cancellation_reason == "The hall is closed."
    assert Commitment.objects.get().status == CommitmentStatus.RELEASED


def test_amounts_are_never_negative(staff_member):
    event = event_on(BudgetLineFactory())

    with pytest.raises(ValidationError):
        services.event_cost_add(event=event, description="Refund", estimated=Decimal("-1"), by=staff_member)
    cost = EventCost.objects.create(event=event, description="Stage")
    with pytest.raises(ValidationError):
        services.event_cost_book(
            cost=cost,
            version=cost.version,
            actual=Decimal("-5"),
            date=datetime.date(2026, 5, 1),
            payee="X",
            by=staff_member,
        )


def test_the_line_must_be_of_the_events_year():
    line = BudgetLineFactory(budget=BudgetFactory(year=2030))

    with pytest.raises(ValidationError) as refusal:
        services.event_create(
            by=None,
            title="Gala",
            kind="reception",
            starts_at=timezone.make_aware(datetime.datetime(2029, 5, 1, 18)),
            place="Town hall",
            budget_line=line,
        )

    assert "budget_line" in refusal.value.error_dict


def test_an_event_is_held_only_once_it_started():
    event = EventFactory(starts_at=soon())
    with pytest.raises(ValidationError):
        services.event_mark_held(event=event, version=event.version)

    past = EventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.event_mark_held(event=past, version=past.version).status == EventStatus.HELD


def test_inviting_the_consular_corps_and_the_ambassadors_sets_their_capacity():
    event = EventFactory(starts_at=soon())
    post = ConsularPostFactory()
    ConsularPostFactory(closed_on=datetime.date(2000, 1, 1))
    ambassador = AmbassadorFactory()

    assert services.guests_invite_consular_heads(event=event) == 1
    assert services.guests_invite_consular_heads(event=event) == 0
    assert services.guests_invite_ambassadors(event=event) == 1

    guests = {guest.person_id: guest for guest in Guest.objects.all()}
    assert guests[post.head_id].consular_post == post
    assert guests[ambassador.person_id].ambassador == ambassador


def test_the_seating_follows_precedence_then_ambassadors_officials_and_others():
    event = EventFactory(starts_at=soon())
    junior = ConsularPostFactory(exequatur_on=datetime.date(2022, 1, 1))
    senior = ConsularPostFactory(exequatur_on=datetime.date(2019, 1, 1))
    services.guests_invite_consular_heads(event=event)
    ambassador = AmbassadorFactory(person=PersonFactory(name="Zoe Ambassador", department=None))
    services.guests_invite_ambassadors(event=event)
    official = GuestFactory(event=event, person=PersonFactory(name="Anna Official"))
    other = GuestFactory(event=event, person=PersonFactory(name="Aaron Other", department=None))

    order = [guest.person_id for guest in services.guests_in_seating_order(event)]

    assert order == [senior.head_id, junior.head_id, ambassador.person_id, official.person_id, other.person_id]


def test_a_guest_is_on_the_list_once():
    guest = GuestFactory(event=EventFactory(starts_at=soon()))

    with pytest.raises(ValidationError):
        services.guest_add(event=guest.event, person=guest.person)


def test_an_answer_represented_needs_a_name():
    guest = GuestFactory(event=EventFactory(starts_at=soon()))

    with pytest.raises(ValidationError):
        services.guest_update(guest=guest, version=guest.version, answer=Answer.REPRESENTED, represented_by=" ")
    saved = services.guest_update(guest=guest, version=guest.version, answer=Answer.ACCEPTED, companions=1)
    assert (saved.answer, saved.companions) == (Answer.ACCEPTED, 1)
    assert saved.answered_at is not None


def test_a_new_token_kills_the_old_link():
    guest = GuestFactory(event=EventFactory(starts_at=soon()))

    first = services.guest_issue_token(guest=guest)
    second = services.guest_issue_token(guest=guest)

    assert services.guest_for_token(first) is None
    assert services.guest_for_token(second).pk == guest.pk
    guest.refresh_from_db()
    assert guest.token_hash != second
    assert len(guest.token_hash) == 64


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
def test_an_event_outside_the_years_the_app_knows_is_refused(field):
    """Year 370 in Berlin time is 00:53:28 off UTC: no client reads such a time back."""
    fields = {
        "title": "Reception",
        "kind": "reception",
        "place": "City Hall",
        "starts_at": datetime.datetime(2026, 5, 9, 11, tzinfo=datetime.UTC),
    }
    fields[field] = datetime.datetime(370, 8, 17, 22, 59, tzinfo=datetime.UTC)

    with pytest.raises(ValidationError) as refused:
        services.event_create(by=None, **fields)

    assert "Enter a date from 1900 to 2200." in refused.value.message_dict[field]
