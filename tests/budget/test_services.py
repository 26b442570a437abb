"""The money rules of the programme budget, through the services."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from budget import services
from budget.models import BudgetLine, Commitment, Expense
from delegations import services as delegation_services
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CostFactory,
    DelegationFactory,
    PartnershipFactory,
    ProgrammeItemFactory,
    SupplementaryRequestFactory,
    UserFactory,
)

D = datetime.date
M = Decimal


def amounts(line):
    row = BudgetLine.objects.with_amounts().get(pk=line.pk)
    return row.current, row.committed, row.spent, row.available


def book(line, amount, by, **kwargs):
    return services.expense_book(
        line=line, date=D(2026, 3, 1), payee="Hotel", description="Rooms", amount=M(amount), by=by, **kwargs
    )


def test_available_follows_commitments_expenses_and_cancellations(admin, staff):
    line = BudgetLineFactory(planned=M("13000.00"))
    trip = DelegationFactory(status="submitted", budget_line=line)
    ProgrammeItemFactory(delegation=trip)
    CostFactory(delegation=trip, estimated=M("2500.00"))

    delegation_services.delegation_transition(delegation=trip, to_status="approved", by=admin)
    assert amounts(line) == (M("13000.00"), M("2500.00"), M("0.00"), M("10500.00"))

    book(line, "2300.00", staff, delegation=trip)
    assert amounts(line) == (M("13000.00"), M("0.00"), M("2300.00"), M("10700.00"))
    assert Commitment.objects.get(delegation=trip).status == "replaced"

    other = DelegationFactory(status="submitted", budget_line=line)
    ProgrammeItemFactory(delegation=other)
    CostFactory(delegation=other, estimated=M("1000.00"))
    delegation_services.delegation_transition(delegation=other, to_status="approved", by=admin)
    assert amounts(line)[3] == M("9700.00")
    delegation_services.delegation_transition(delegation=other, to_status="cancelled", by=admin)
    assert amounts(line) == (M("13000.00"), M("0.00"), M("2300.00"), M("10700.00"))


def test_reapproval_replaces_the_commitment(admin):
    line = BudgetLineFactory(planned=M("5000"))
    trip = DelegationFactory(status="submitted", budget_line=line)
    ProgrammeItemFactory(delegation=trip)
    cost = CostFactory(delegation=trip, estimated=M("1000"))
    delegation_services.delegation_transition(delegation=trip, to_status="approved", by=admin)
    cost.estimated = M("1500")
    cost.save()

    delegation_services.delegation_transition(delegation=trip, to_status="submitted", by=admin)
    delegation_services.delegation_transition(delegation=trip, to_status="approved", by=admin)

    assert list(Commitment.objects.filter(delegation=trip, status="open").values_list("amount", flat=True)) == [
        M("1500.00")
    ]


def test_line_item_budget_refuses_an_overdraft(staff):
    line = BudgetLineFactory(planned=M("1000.00"))
    book(line, "800.00", staff)

    with pytest.raises(ValidationError, match="would overdraw") as error:
        book(line, "300.00", staff)

    assert "200.00" in str(error.value)
    assert Expense.objects.filter(line=line).count() == 1


def test_staff_cannot_override_but_an_admin_can_with_a_reason(staff, admin):
    line = BudgetLineFactory(planned=M("1000.00"))

    with pytest.raises(ValidationError, match="Only an OIA administrator"):
        book(line, "1200.00", staff, override_reason="Urgent")
    with pytest.raises(ValidationError, match="would overdraw"):
        book(line, "1200.00", admin)
    booking = book(line, "1200.00", admin, override_reason="Mayor's gift for the jubilee, agreed by phone.")

    assert booking.expense.override_reason.startswith("Mayor's gift")
    assert amounts(line)[3] == M("-200.00")


def test_discretionary_budget_books_with_a_warning(staff):
    line = BudgetLineFactory(planned=M("100.00"), budget=BudgetFactory(year=2027, mode="discretionary"))

    booking = book(line, "150.00", staff)

    assert "overdrawn by €50.00" in booking.warning
    assert amounts(line)[3] == M("-50.00")


def test_discretionary_transfer_moves_money_and_is_recorded(admin, staff):
    budget = BudgetFactory(year=2027, mode="discretionary")
    source = BudgetLineFactory(budget=budget, planned=M("5000"))
    target = BudgetLineFactory(budget=budget, planned=M("1000"))

    services.transfer_record(source=source, target=target, amount=M("1500"), reason="Extra visit", by=admin)

    assert amounts(source)[0] == M("3500.00")
    assert amounts(target)[0] == M("2500.00")
    with pytest.raises(ValidationError, match="Only an OIA administrator"):
        services.transfer_record(source=source, target=target, amount=M("1"), reason="x", by=staff)
    with pytest.raises(ValidationError, match="available"):
        services.transfer_record(source=source, target=target, amount=M("4000"), reason="Too much", by=admin)


def test_transfers_are_refused_in_a_line_item_budget(admin):
    budget = BudgetFactory(year=2028, mode="line_item")
    source, target = BudgetLineFactory(budget=budget), BudgetLineFactory(budget=budget)

    with pytest.raises(ValidationError, match="cannot be changed by transfers"):
        services.transfer_record(source=source, target=target, amount=M("10"), reason="x", by=admin)


def test_amendment_changes_a_line_item_line(admin):
    line = BudgetLineFactory(planned=M("13000"))

    services.amendment_record(
        line=line,
        amount=M("2000"),
        council_reference="Council 2026/117",
        decided_on=D(2026, 4, 1),
        reason="Jubilee programme",
        by=admin,
    )

    assert amounts(line)[0] == M("15000.00")
    with pytest.raises(ValidationError) as error:
        services.amendment_record(
            line=line, amount=M("100"), council_reference=" ", decided_on=D(2026, 4, 1), reason="x", by=admin
        )
    assert "council_reference" in error.value.message_dict


def test_granted_supplementary_request_raises_the_line(admin):
    request = SupplementaryRequestFactory(amount_requested=M("25000"), line=BudgetLineFactory(planned=M("13000")))

    services.supplementary_request_decide(
        request=request, status="granted", granted_amount=M("20000"), council_reference="Council 2026/201", by=admin
    )

    assert amounts(request.line)[0] == M("33000.00")
    with pytest.raises(ValidationError, match="already been decided"):
        services.supplementary_request_decide(request=request, status="refused", by=admin)


def test_refused_supplementary_request_changes_nothing(admin):
    request = SupplementaryRequestFactory(line=BudgetLineFactory(planned=M("13000")))

    services.supplementary_request_decide(request=request, status="refused", by=admin)

    assert amounts(request.line)[0] == M("13000.00")


@pytest.mark.parametrize(
    ("original", "rate", "booked"),
    [
        ("100.00", "0.853150", "85.32"),  # 85.315 rounds half up
        ("1999.99", "1.000000", "1999.99"),
        ("333.33", "0.333333", "111.11"),
        ("12345.67", "4.300000", "53086.38"),  # 53086.381
    ],
)
def test_foreign_currency_is_converted_and_rounded_once(staff, original, rate, booked):
    line = BudgetLineFactory(planned=M("100000"))

    expense = services.expense_book(
        line=line,
        date=D(2026, 3, 1),
        payee="Hôtel",
        description="Nuits",
        by=staff,
        original_amount=M(original),
        original_currency="chf",
        exchange_rate=M(rate),
    ).expense

    assert expense.amount == M(booked)
    assert (expense.original_amount, expense.original_currency, expense.exchange_rate) == (M(original), "CHF", M(rate))


def test_negative_or_missing_amounts_are_refused(staff):
    line = BudgetLineFactory()

    with pytest.raises(ValidationError, match="cannot be negative"):
        book(line, "-1", staff)
    with pytest.raises(ValidationError, match="exchange rate"):
        services.expense_book(
            line=line,
            date=D(2026, 3, 1),
            payee="x",
            description="x",
            by=staff,
            original_amount=M("10"),
            original_currency="USD",
        )


def test_split_evenly_adds_up_to_the_cent(db):
    budget = BudgetFactory(year=2030, status="draft")
    partnerships = [PartnershipFactory() for _ in range(3)]

    lines = services.lines_split_evenly(
        budget=budget, total=M("1000.00"), category="partner_cities", partnerships=partnerships
    )

    assert [line.planned for line in lines] == [M("333.34"), M("333.33"), M("333.33")]


def test_lines_of_an_adopted_budget_cannot_be_edited(db):
    line = BudgetLineFactory()
    line.planned = M("99999")

    with pytest.raises(ValidationError, match="amendments or transfers"):
        services.line_save(line=line)


def test_two_simultaneous_bookings_cannot_both_overdraw_a_line(transactional_db):
    """Real PostgreSQL, two connections: the row lock makes the second
    booking see the first and be refused."""
    staff = UserFactory(role="oia_staff")
    line = BudgetLineFactory(planned=M("1000.00"))
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            book(line, "700.00", staff)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked", "refused"]
    assert amounts(line)[3] == M("300.00")
