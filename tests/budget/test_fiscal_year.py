"""The fiscal year is the calendar year unless OIA_FISCAL_YEAR_START_MONTH shifts it."""

import datetime
from decimal import Decimal

from budget import selectors
from budget.models import fiscal_year_end, fiscal_year_of, fiscal_year_start
from tests.factories import BudgetFactory, BudgetLineFactory, ExpenseFactory


def test_by_default_the_fiscal_year_is_the_calendar_year():
    assert fiscal_year_start(2026) == datetime.date(2026, 1, 1)
    assert fiscal_year_end(2026) == datetime.date(2026, 12, 31)
    assert fiscal_year_of(datetime.date(2026, 1, 1)) == 2026
    assert fiscal_year_of(datetime.date(2026, 12, 31)) == 2026


def test_a_fiscal_year_from_april_is_named_after_the_year_it_starts_in(settings):
    settings.OIA_FISCAL_YEAR_START_MONTH = 4

    assert fiscal_year_start(2026) == datetime.date(2026, 4, 1)
    assert fiscal_year_end(2026) == datetime.date(2027, 3, 31)
    assert fiscal_year_of(datetime.date(2027, 3, 31)) == 2026
    assert fiscal_year_of(datetime.date(2027, 4, 1)) == 2027


def test_burn_series_follows_a_shifted_fiscal_year(db, settings):
    settings.OIA_FISCAL_YEAR_START_MONTH = 4
    budget = BudgetFactory(year=2026)
    line = BudgetLineFactory(budget=budget, planned=Decimal("12000.00"))
    ExpenseFactory(line=line, amount=Decimal("100.00"), date=datetime.date(2026, 2, 10))  # before: first month
    ExpenseFactory(line=line, amount=Decimal("500.00"), date=datetime.date(2026, 4, 30))
    ExpenseFactory(line=line, amount=Decimal("250.00"), date=datetime.date(2027, 1, 5))

    series = selectors.burn_series(budget, Decimal("12000.00"), today=datetime.date(2027, 1, 20))

    assert series[0].month == datetime.date(2026, 4, 1)
    assert series[-1].month == datetime.date(2027, 3, 1)
    assert series[0].spent_in_month == Decimal("600.00")
    assert series[9].month == datetime.date(2027, 1, 1)
    assert series[9].actual == Decimal("850.00")
    assert series[10].actual is None, "February 2027 is still to come"
    assert series[11].planned == Decimal("12000.00")
