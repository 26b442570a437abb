"""The demo budget: Frankfurt's €280,000 for the current year, the year's
money consistent with the demo delegations, loaded twice without change.
The demo follows today's date, so the main fixture fixes it (late November:
most trips have taken place, two approved trips lie ahead)."""

import datetime
import time
from decimal import Decimal

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from budget.models import Budget, BudgetChange, BudgetLine, Commitment, Expense, SupplementaryRequest
from delegations.choices import DelegationStatus, Payer
from delegations.models import Cost, Delegation
from demo import load_demo

M = Decimal


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Budget, BudgetLine, Expense, Commitment, BudgetChange, SupplementaryRequest)
    }


def line_amounts():
    return list(BudgetLine.objects.with_amounts().order_by("pk").values_list("pk", "current", "spent", "committed"))


def on(monkeypatch, month, day) -> datetime.date:
    today = datetime.date(timezone.localdate().year, month, day)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    return today


@pytest.fixture
def demo(db, monkeypatch):
    today = on(monkeypatch, 11, 23)
    load_demo()
    return Budget.objects.get(year=today.year)


def test_loading_twice_changes_nothing(demo):
    first = counts()
    amounts = line_amounts()

    started = time.monotonic()
    load_demo()
    assert time.monotonic() - started < 5

    assert counts() == first
    assert line_amounts() == amounts
    assert first["Budget"] == 4  # this year's and the three earlier years' (demo/past_years.py)
    assert first["Expense"] > 20


def test_frankfurt_programme_budget_is_280000_adopted_by_admin(demo):
    lines = demo.lines.all()

    assert (demo.mode, demo.status, demo.currency, demo.adopted_by.username) == ("line_item", "adopted", "EUR", "admin")
    assert lines.exclude(category="grants").aggregate(total=Sum("planned"))["total"] == M("280000.00")
    partner_lines = lines.filter(category="partner_cities")
    assert partner_lines.count() == 16
    assert partner_lines.filter(partnership__isnull=False).count() == 16
    assert partner_lines.aggregate(total=Sum("planned"))["total"] == M("208000.00")
    assert set(partner_lines.values_list("planned", flat=True)) == {M("13000.00")}
    assert {(line.name, line.category, line.planned) for line in lines.exclude(category="partner_cities")} == {
        ("Europe and networks", "europe_networks", M("20000.00")),
        ("America and development cooperation", "development", M("47000.00")),
        ("Public relations", "public_relations", M("5000.00")),
        ("Club and community grants", "grants", M("15000.00")),
    }


def test_every_programme_cost_paid_by_the_city_is_booked_once_on_the_right_line(demo):
    """Partner-city, network and America/Africa trips are the programme budget's;
    trade fairs and study tours are paid from the departments' own budgets."""
    costs = Cost.objects.filter(
        delegation__start_on__year=demo.year, actual__isnull=False, payer=Payer.CITY
    ).select_related("delegation")
    assert costs.exists()
    expenses = Expense.objects.filter(line__budget=demo, delegation__isnull=False)
    programme_costs = costs.filter(Q(delegation__partnership__isnull=False) | Q(delegation__purpose="network_meeting"))

    assert expenses.count() >= programme_costs.count() > 0
    assert expenses.count() < costs.count()
    for expense in expenses.select_related("line", "delegation"):
        if expense.delegation.partnership_id:
            assert expense.line.partnership_id == expense.delegation.partnership_id
        elif expense.delegation.purpose == "network_meeting":
            assert expense.line.name == "Europe and networks"
    assert not expenses.filter(delegation__purpose="trade_fair", delegation__partnership__isnull=True).exists()
    # A hotel abroad is booked in the local currency, converted to exactly the actual cost.
    assert expenses.exclude(original_currency="").exists()
    assert not expenses.filter(line__name="Public relations").exists()


def test_the_year_has_a_jubilee_grant_a_fee_and_commitments_for_trips_ahead(demo):
    request = SupplementaryRequest.objects.get(line__budget=demo)
    assert request.status == "granted"
    assert request.line.partnership.partner_city.name == "Yokohama"
    assert BudgetChange.objects.get(line=request.line).amount == request.granted_amount == M("11000.00")

    fee = Expense.objects.filter(line__budget=demo, membership__network__name="Eurocities")
    if fee.exists():  # the networks demo makes the membership
        assert fee.get().amount == M("7000.00")
        assert fee.get().line.name == "Europe and networks"

    today = timezone.localdate()
    ahead = Delegation.objects.filter(
        start_on__year=demo.year, direction="outbound", status=DelegationStatus.APPROVED, end_on__gte=today
    )
    for trip in ahead.exclude(budget_line=None):
        if trip.approved_estimate is not None:
            commitment = Commitment.objects.get(delegation=trip, status="open")
            assert commitment.amount == trip.approved_estimate
            assert commitment.line == trip.budget_line


@pytest.mark.parametrize(("month", "day"), [(1, 2), (6, 30), (12, 31)])
def test_the_demo_budget_loads_on_any_day_of_the_year(db, monkeypatch, month, day):
    """Before anything was spent, half-way, and after every trip took place."""
    today = on(monkeypatch, month, day)

    load_demo()
    first = counts()
    load_demo()

    assert counts() == first
    budget = Budget.objects.get(year=today.year)
    assert budget.lines.exclude(category="grants").aggregate(total=Sum("planned"))["total"] == M("280000.00")
    assert budget.lines.filter(category="partner_cities").aggregate(total=Sum("planned"))["total"] == M("208000.00")
    assert not Expense.objects.filter(date__gt=today).exists()
    city_paid = Cost.objects.filter(delegation__start_on__year=today.year, actual__isnull=False, payer=Payer.CITY)
    assert Expense.objects.filter(delegation__isnull=False, line__budget=budget).count() <= city_paid.count()
    ahead = Delegation.objects.filter(direction="outbound", status=DelegationStatus.APPROVED, end_on__gte=today)
    on_the_budget = ahead.exclude(approved_estimate=None).exclude(budget_line=None)
    assert Commitment.objects.filter(status="open", grant__isnull=True).count() == on_the_budget.count()
