"""The report's work grows no faster than the office's history, measured
without a clock: the same number of queries at every size, and Python work
that grows in step with the rows. A test on a membership in a list of models
inside a loop over the partnerships (``p in idle_now``) made the figures'
work grow with the square of the partnerships; these tests fail on it."""

import datetime
import sys
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from partners.models import StatusChange
from reports.sections import build_figures
from tests.factories import (
    BudgetLineFactory,
    ClubFactory,
    CostFactory,
    DelegationFactory,
    ExchangeFactory,
    ExpenseFactory,
    GiftFactory,
    MembershipFactory,
    NetworkActivityFactory,
    NetworkRoleFactory,
    ParticipantFactory,
    PartnershipFactory,
)

D = datetime.date
YEAR = 2025
SIZES = (20, 40, 80)  # partnerships; two in three of them idle


def add_partnerships(first: int, last: int) -> None:
    """Partnerships ``first`` to ``last - 1``, every third one with a year's
    worth of work in every section, the others idle (as most are in a busy
    office's long history; idle partnerships take a path of their own)."""
    for i in range(first, last):
        partnership = PartnershipFactory(formalised_on=D(1990 + i % 30, 5, 1))
        if i % 2:
            StatusChange.objects.create(
                partnership=partnership, status="dormant", effective_on=D(YEAR, 1 + i % 12, 1), reason="Quiet."
            )
        if i % 3:
            continue
        city, month = partnership.partner_city, 1 + i % 12
        trip = DelegationFactory(
            partnership=partnership, city=city, status="completed", start_on=D(YEAR, month, 2), end_on=D(YEAR, month, 4)
        )
        ParticipantFactory(delegation=trip, person__title="Lord Mayor" if i % 4 else "Officer")
        CostFactory(delegation=trip, actual=300)
        GiftFactory(delegation=trip, value=100 + i)
        DelegationFactory(
            direction="inbound",
            partnership=partnership,
            city=city,
            status="completed",
            start_on=D(YEAR - 1, month, 10),
            end_on=D(YEAR - 1, month, 12),
            head_count=i,
        )
        club = ClubFactory(partnerships=[partnership])
        ExchangeFactory(
            club=club,
            partnership=partnership,
            review_status="accepted",
            reciprocity=bool(i % 2),
            starts_on=D(YEAR, month, 5),
            ends_on=D(YEAR, month, 9),
        )
        line = BudgetLineFactory(budget__year=YEAR, partnership=partnership)
        ExpenseFactory(line=line, date=D(YEAR, month, 20), amount=50 + i)
        membership = MembershipFactory(since=D(2010 + i % 10, 1, 1))
        NetworkRoleFactory(network=membership.network)
        NetworkActivityFactory(network=membership.network, date=D(YEAR, month, 15))


ROOT = str(Path(__file__).resolve().parents[2])


def ours(filename: str) -> bool:
    return filename.startswith(ROOT) and "site-packages" not in filename


def python_calls(work) -> int:
    """How many Python functions ``work()`` calls, our own and Django's: a
    count of work done, the same on every run, unlike a timing."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call" and frame.f_back is not None and ours(frame.f_back.f_code.co_filename):
            calls += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return calls


def model_comparisons(work) -> int:
    """How often ``work()`` compares two model instances (``==``, ``in`` on a list)."""
    compare, comparisons = Model.__eq__, 0

    def counted(self, other):
        nonlocal comparisons
        comparisons += 1
        return compare(self, other)

    Model.__eq__ = counted
    try:
        work()
    finally:
        Model.__eq__ = compare
    return comparisons


@dataclass(frozen=True)
class Work:
    queries: int
    python_calls: int
    model_comparisons: int


def figures_work() -> Work:
    def figures():
        build_figures(YEAR, cut_off="")

    with CaptureQueriesContext(connection) as captured:
        comparisons = model_comparisons(figures)
    return Work(len(captured), python_calls(figures), comparisons)


def test_the_figures_work_grows_linearly_with_the_partnerships(db):
    """At 20, 40 and 80 partnerships: the same queries; model comparisons
    that grow no faster than the partnerships; and Python work whose step
    from 40 to 80 is about twice the step from 20 to 40 (linear), not four
    times (square). The fixed work, building the queries, cancels out."""
    build_figures(YEAR, cut_off="")  # translations, content types and other caches that fill once
    work, built = [], 0
    for size in SIZES:
        add_partnerships(built, size)
        built = size
        work.append(figures_work())
    smallest, middle, largest = work

    assert smallest.queries == middle.queries == largest.queries
    assert largest.model_comparisons <= 4 * smallest.model_comparisons
    first_step = middle.python_calls - smallest.python_calls
    second_step = largest.python_calls - middle.python_calls
    assert first_step > 0  # the rows are read
    assert second_step <= 2.5 * first_step
