"""The building blocks that let a section read several figures in one query:
they must give what one query per figure gave, also over no rows at all."""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from budget.selectors import report_amounts_of
from delegations.models import Delegation
from networks.models import Membership
from reports.sections.breakdowns import breakdowns_by_year, counts, month_series
from reports.sections.common import ZERO, aggregate_together
from tests.factories import BudgetLineFactory, DelegationFactory, ExpenseFactory, MembershipFactory

D = datetime.date


def test_aggregates_together_give_one_row_each_even_over_no_rows(db, django_assert_num_queries):
    MembershipFactory(yearly_fee=Decimal("120.00"))

    with django_assert_num_queries(1):
        found = aggregate_together(
            held=(Membership.objects.all(), {"n": Count("pk"), "fees": Coalesce(Sum("yearly_fee"), ZERO)}),
            none=(Membership.objects.filter(yearly_fee__lt=0), {"n": Count("pk"), "fees": Sum("yearly_fee")}),
        )

    assert found == {"held": {"n": 1, "fees": Decimal("120.00")}, "none": {"n": 0, "fees": None}}


def test_breakdowns_by_year_count_each_key_in_each_year(db, django_assert_num_queries):
    DelegationFactory(country="PL", purpose="anniversary", start_on=D(2025, 3, 1), end_on=D(2025, 3, 2))
    DelegationFactory(country="PL", purpose="conference", start_on=D(2025, 3, 9), end_on=D(2025, 3, 10))
    DelegationFactory(country="FR", purpose="anniversary", start_on=D(2024, 7, 1), end_on=D(2024, 7, 2))

    with django_assert_num_queries(1):
        breakdowns = breakdowns_by_year(
            Delegation.objects.in_years(2024, 2025),
            2025,
            "country",
            "purpose",
            measures={"n": "COUNT(*)"},
            month=ExtractMonth("start_on"),
        )

    assert counts(breakdowns["country"]) == ({"PL": 2}, {"FR": 1})
    assert counts(breakdowns["purpose"]) == ({"anniversary": 1, "conference": 1}, {"anniversary": 1})
    series = month_series(breakdowns["month"])
    assert series["current"][2] == 2
    assert series["previous"][6] == 1
    assert sum(series["current"]) == 2


def test_report_amounts_sum_by_year_category_and_partnership_in_one_query(db, django_assert_num_queries):
    line = BudgetLineFactory(budget__year=2025, category="events", planned=Decimal("1000.00"))
    BudgetLineFactory(budget=line.budget, category="events", planned=Decimal("500.00"))
    ExpenseFactory(line=line, date=D(2025, 5, 1), amount=Decimal("200.00"))

    with django_assert_num_queries(1):
        amounts = report_amounts_of(2024, 2025)

    assert amounts[2025].totals["planned"] == Decimal("1500.00")
    assert amounts[2025].totals["spent"] == Decimal("200.00")
    assert amounts[2025].by_category["events"]["available"] == Decimal("1300.00")
    assert sorted(row["planned"] for row in amounts[2025].lines) == [Decimal("500.00"), Decimal("1000.00")]
    assert amounts[2024].totals["planned"] == ZERO
    assert amounts[2024].lines == []
