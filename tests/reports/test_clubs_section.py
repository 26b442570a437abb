"""Section "Clubs and citizens" and the club columns of the partnership
activity, on a hand-built year whose answers are known."""

import datetime
from decimal import Decimal

import pytest

from reports.sections import build_figures
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    ClubFactory,
    ExchangeFactory,
    ExpenseFactory,
    GrantApplicationFactory,
    PartnershipFactory,
)
from tests.reports.figures import rows, section

D = datetime.date


def values(figures):
    return {f["key"]: (f["value"], f["previous"]) for f in section(figures, "clubs")["figures"]}


@pytest.fixture
def clubs_2025(db):
    """Two clubs of Kraków and Lyon.

    2025, accepted: a choir trip to Kraków (20 ours + 0 theirs, 12 young), a school exchange held in
    both cities (15 + 15, 30 young, reciprocity), a Lyon citizens' journey across New Year
    (10 + 2). Not counted: a returned and a submitted exchange, a draft. 2024: one accepted
    exchange of Lyon (8 + 8). Grants 2025: one paid (€800 approved, €750 booked), one approved
    (€500), one rejected, one submitted; 2024: one paid €300.
    """
    krakow, lyon = PartnershipFactory(partner_city__name="Kraków"), PartnershipFactory(partner_city__name="Lyon")
    choir = ClubFactory(name="Chor Frankfurt–Kraków", partnerships=[krakow])
    friends = ClubFactory(name="Freunde Lyons", partnerships=[lyon])
    accepted = {"review_status": "accepted"}
    ExchangeFactory(
        club=choir,
        partnership=krakow,
        kind="culture",
        starts_on=D(2025, 4, 1),
        ends_on=D(2025, 4, 5),
        participants_local=20,
        participants_partner=0,
        young_participants=12,
        **accepted,
    )
    ExchangeFactory(
        club=choir,
        partnership=krakow,
        kind="school",
        direction="both",
        starts_on=D(2025, 9, 1),
        ends_on=D(2025, 9, 10),
        participants_local=15,
        participants_partner=15,
        young_participants=30,
        reciprocity=True,
        **accepted,
    )
    ExchangeFactory(
        club=friends,
        partnership=lyon,
        kind="citizens",
        starts_on=D(2025, 12, 28),
        ends_on=D(2026, 1, 3),
        participants_local=10,
        participants_partner=2,
        young_participants=0,
        **accepted,
    )
    for status in ("returned", "submitted", "draft"):
        ExchangeFactory(club=choir, partnership=krakow, starts_on=D(2025, 6, 1), review_status=status)
    ExchangeFactory(
        club=friends,
        partnership=lyon,
        kind="citizens",
        starts_on=D(2024, 5, 1),
        ends_on=D(2024, 5, 3),
        participants_local=8,
        participants_partner=8,
        young_participants=0,
        **accepted,
    )

    line = BudgetLineFactory(budget=BudgetFactory(year=2025), category="grants", planned=Decimal("15000"))
    old_line = BudgetLineFactory(budget=BudgetFactory(year=2024), category="grants", planned=Decimal("15000"))
    paid = GrantApplicationFactory(
        club=choir,
        partnership=krakow,
        starts_on=D(2025, 4, 1),
        ends_on=D(2025, 4, 5),
        status="paid",
        approved_amount=Decimal("800.00"),
        budget_line=line,
    )
    ExpenseFactory(line=line, grant=paid, date=D(2025, 5, 2), amount=Decimal("750.00"))
    GrantApplicationFactory(
        club=friends,
        partnership=lyon,
        starts_on=D(2025, 12, 28),
        ends_on=D(2026, 1, 3),
        status="approved",
        approved_amount=Decimal("500.00"),
        budget_line=line,
    )
    GrantApplicationFactory(club=friends, partnership=lyon, starts_on=D(2025, 7, 1), status="rejected")
    GrantApplicationFactory(club=choir, partnership=krakow, starts_on=D(2025, 8, 1), status="submitted")
    old = GrantApplicationFactory(
        club=friends,
        partnership=lyon,
        starts_on=D(2024, 5, 1),
        ends_on=D(2024, 5, 3),
        status="paid",
        approved_amount=Decimal("300.00"),
        budget_line=old_line,
    )
    ExpenseFactory(line=old_line, grant=old, date=D(2024, 6, 1), amount=Decimal("300.00"))
    return {"krakow": krakow, "lyon": lyon}


def test_only_accepted_exchanges_count_in_the_year_they_start(clubs_2025):
    figures, _ = build_figures(2025, cut_off="x")

    got = values(figures)
    assert got["exchanges"] == (3, 1)
    assert got["clubs_active"] == (2, 1)
    assert got["participants"] == (62, 16)
    assert got["participants_local"] == (45, 8)
    assert got["participants_partner"] == (17, 8)
    assert got["young"] == (42, 0)


def test_reciprocity_counts_events_held_in_both_cities(clubs_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert values(figures)["reciprocity"] == (1, 0)


def test_grants_approved_by_trip_year_and_paid_by_booking_date(clubs_2025):
    figures, _ = build_figures(2025, cut_off="x")

    got = values(figures)
    assert got["grants_approved"] == (2, 1)
    assert got["grants_amount"] == ("1300.00", "300.00")
    assert got["grants_paid"] == ("750.00", "300.00")


def test_per_club_and_by_kind_tables(clubs_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert rows(figures, "clubs", "per_club") == [
        ["Chor Frankfurt–Kraków", 2, 50, 42, 1, "800.00", "750.00"],
        ["Freunde Lyons", 1, 12, 0, 0, "500.00", "0.00"],
    ]
    by_kind = {row[0]: row[1:] for row in rows(figures, "clubs", "by_kind")}
    assert by_kind["Citizens' journey"] == [1, 1, 0]
    assert by_kind["School exchange"] == [1, 0, 1]


def test_an_accepted_exchange_makes_a_partnership_active(clubs_2025):
    figures, _ = build_figures(2025, cut_off="x")

    activity = {row[0]: row[1:] for row in rows(figures, "partnerships", "activity")}
    # Trips there, visits from there, club exchanges, reciprocity events, money spent (2025, 2024).
    assert activity["Kraków"] == ["Active", 0, 0, 2, 1, "0.00", "0.00", "Active"]
    assert activity["Lyon"] == ["Active", 0, 0, 1, 0, "0.00", "0.00", "Active"]


def test_the_section_costs_a_fixed_number_of_queries(clubs_2025, django_assert_max_num_queries):
    for n in range(20):
        ExchangeFactory(review_status="accepted", starts_on=D(2025, 1 + n % 12, 1), ends_on=D(2025, 1 + n % 12, 2))

    from reports.sections import clubs

    with django_assert_max_num_queries(4):
        clubs.build(2025)
