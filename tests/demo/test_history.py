"""The demo's earlier years: three years before this one, so the council
report compares every year with one that has data. Plausible, not copies;
the same rows on every load; every rule of the models and the budget holds."""

import datetime

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from budget.models import Budget, BudgetStatus, Commitment, Expense, GrantApplication
from delegations.choices import DelegationStatus, Direction, Payer
from delegations.models import Cost, Delegation, Participant, ProgrammeItem, Transition
from delegations.services import needs_reapproval, traveller_conflicts
from demo import load_demo
from demo.delegations import DelegationLoader
from demo.files import read_json
from demo.past_delegations import _Year, past_years
from networks.models import NetworkActivity
from partners.models import Exchange
from reports.sections import build_figures

MODELS = (Delegation, Participant, ProgrammeItem, Cost, Transition, Budget, Expense, Exchange, GrantApplication)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    load_demo()
    return timezone.localdate().year


def test_three_earlier_years_of_trips_and_visits_that_differ(demo):
    rows = (
        Delegation.objects.counted_in(demo - 3, demo - 1)
        .values_list("start_on__year", "direction")
        .annotate(n=Count("pk"), people=Count("participants"), groups=Sum("head_count"))
    )
    by_year = {(year, direction): (n, people, groups) for year, direction, n, people, groups in rows}

    for year in (demo - 3, demo - 2, demo - 1):
        assert by_year[(year, Direction.OUTBOUND)][0] >= 10, year
        assert by_year[(year, Direction.INBOUND)][0] >= 12, year
    assert len({by_year[(year, Direction.INBOUND)] for year in (demo - 3, demo - 2, demo - 1)}) == 3, "not copies"
    assert by_year[(demo - 3, Direction.OUTBOUND)][0] < by_year[(demo - 1, Direction.OUTBOUND)][0], "the office grows"
    for year in (demo - 3, demo - 2, demo - 1):  # everything in those years has happened
        statuses = set(Delegation.objects.in_years(year).values_list("status", flat=True))
        assert statuses == {DelegationStatus.COMPLETED, DelegationStatus.CANCELLED}, year
    assert Delegation.objects.filter(title="Partnership anniversary in Eskişehir", start_on__year=demo - 3).exists()


def test_loading_again_changes_nothing_and_the_draw_is_the_same(demo):
    first = counts()

    load_demo()

    assert counts() == first
    today = timezone.localdate()
    history = read_json("history.json")
    loader = DelegationLoader(read_json("delegations.json"), today.year, today)
    for row in past_years(today):
        titles = [[plan.title for plan in _Year(loader, row, history, today).plans()] for _ in range(2)]
        assert titles[0] == titles[1]
        assert set(Delegation.objects.in_years(row["year"]).values_list("title", flat=True)) <= set(titles[0])


def test_the_earlier_years_keep_the_rules_of_their_models(demo):
    earlier = Delegation.objects.in_years(demo - 3, demo - 1)
    for delegation in earlier.prefetch_related("transitions"):
        delegation.full_clean()
        history = list(delegation.transitions.all())
        assert history[0].from_status == ""
        assert history[-1].to_status == delegation.status
        assert all(a.to_status == b.from_status for a, b in zip(history, history[1:], strict=False))
        assert [step.at.date() for step in history] == sorted(step.at.date() for step in history)
        assert delegation.version == len(history)
        people = delegation.participants.values_list("person", flat=True)
        if delegation.status != DelegationStatus.CANCELLED:
            assert traveller_conflicts(delegation, people) == []
        if delegation.is_outbound and delegation.status == DelegationStatus.COMPLETED:
            assert delegation.trip_report
            assert not needs_reapproval(delegation)
    for model, rows in (
        (Participant, Participant.objects.filter(delegation__in=earlier)),
        (ProgrammeItem, ProgrammeItem.objects.filter(delegation__in=earlier)),
        (Cost, Cost.objects.filter(delegation__in=earlier)),
        (Exchange, Exchange.objects.filter(starts_on__year__lt=demo - 1)),
        (Expense, Expense.objects.filter(line__budget__year__lt=demo)),
    ):
        assert rows.exists(), model.__name__
        for row in rows:
            row.full_clean()


def test_each_earlier_year_has_an_adopted_budget_with_its_money(demo):
    for year in (demo - 3, demo - 2, demo - 1):
        budget = Budget.objects.get(year=year)
        assert budget.status == BudgetStatus.ADOPTED
        assert budget.adopted_on == datetime.date(year - 1, 12, 11)
        expenses = Expense.objects.filter(line__budget=budget)
        assert not expenses.exclude(date__year=year).exists()
        assert expenses.filter(membership__network__name="Eurocities").count() == 1
        city_paid = Cost.objects.filter(delegation__start_on__year=year, actual__isnull=False, payer=Payer.CITY)
        programme = city_paid.filter(
            Q(delegation__partnership__isnull=False) | Q(delegation__purpose="network_meeting")
        )
        booked = expenses.filter(delegation__isnull=False)
        assert programme.count() <= booked.count() <= city_paid.count()
        for expense in booked.select_related("line", "delegation"):
            assert expense.line.trip_refusal(expense.delegation) is None
        # A line-item line is overdrawn only with a reason.
        for line in budget.lines.with_amounts():
            if line.available < 0:
                assert line.expenses.exclude(override_reason="").exists(), line.name
        assert not Commitment.objects.filter(line__budget=budget, status="open").exists()
        assert GrantApplication.objects.filter(starts_on__year=year, status="reported").count() == 2
    assert (
        Budget.objects.get(year=demo - 3).lines.aggregate(total=Sum("planned"))["total"]
        < Budget.objects.get(year=demo).lines.aggregate(total=Sum("planned"))["total"]
    )
    assert NetworkActivity.objects.filter(date__year=demo - 2).exclude(kind="meeting").exists()


def test_the_council_report_compares_each_year_with_one_that_has_data(demo):
    for year in (demo - 2, demo - 1, demo):
        figures, _checksum = build_figures(year, cut_off="x")
        sections = {section["key"]: section for section in figures["sections"]}
        for key in ("travel", "visitors", "clubs", "budget"):
            previous = {figure["key"]: figure["previous"] for figure in sections[key]["figures"]}
            assert any(value not in (0, "0.00", None) for value in previous.values()), (year, key)
        visits_abroad, visitors = sections["travel"]["figures"][0], sections["visitors"]["figures"][0]
        assert visits_abroad["previous"] > 0, year
        assert visitors["previous"] > 0, year
