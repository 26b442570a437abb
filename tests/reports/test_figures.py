"""The report's figures on a hand-built year whose answers are known."""

import datetime
from decimal import Decimal

import pytest

from partners.models import StatusChange
from reports.sections import build_figures
from reports.services import read_figures
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    ExpenseFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    SupplementaryRequestFactory,
)
from tests.reports.figures import figure, rows, section

D = datetime.date


@pytest.fixture
def year_2025(db):
    """2025 and a little of 2024:

    Trips abroad 2025 (completed): Kraków (the mayor + deputy, +2 unnamed), Lyon (the mayor),
    Guangzhou across New Year (officer, +4 unnamed). Not counted: a cancelled trip, an approved one.
    2024: one completed trip to Lyon that ran into 2025.
    Visitors 2025: a hosted group from Kraków (3 named + 18 students), one person from Lyon.
    """
    culture, mayors_office = DepartmentFactory(name="Culture"), DepartmentFactory(name="Mayor's Office")
    krakow = CityFactory(name="Kraków", country="PL", latitude=50.06, longitude=19.94)
    lyon = CityFactory(name="Lyon", country="FR", latitude=45.76, longitude=4.84)
    guangzhou = CityFactory(name="Guangzhou", country="CN", latitude=23.13, longitude=113.26)
    p_krakow = PartnershipFactory(partner_city=krakow, formalised_on=D(2001, 6, 1))
    p_lyon = PartnershipFactory(partner_city=lyon, formalised_on=D(1960, 3, 1))
    p_guangzhou = PartnershipFactory(partner_city=guangzhou, formalised_on=D(1988, 1, 1))
    # Guangzhou is frozen on the last day of 2025; Lyon goes dormant on 1 January 2026.
    StatusChange.objects.create(
        partnership=p_guangzhou, status="frozen", effective_on=D(2025, 12, 31), reason="Council removed."
    )
    StatusChange.objects.create(partnership=p_lyon, status="dormant", effective_on=D(2026, 1, 1), reason="No contact.")

    mayor = PersonFactory(name="Dr. Markus Winter", title="Lord Mayor", department=mayors_office)
    deputy = PersonFactory(name="Katharina Vogel", title="Deputy Mayor", department=culture)
    officer = PersonFactory(name="Officer", title="Desk officer", department=culture)

    def trip(city, start, end, people, status="completed", **kwargs):
        delegation = DelegationFactory(
            city=city, country=city.country, start_on=start, end_on=end, status=status, **kwargs
        )
        for person in people:
            ParticipantFactory(delegation=delegation, person=person)
        return delegation

    to_krakow = trip(
        krakow,
        D(2025, 3, 1),
        D(2025, 3, 3),
        [mayor, deputy],
        head_count=2,
        partnership=p_krakow,
        department=mayors_office,
        purpose="partner_city_visit",
    )
    trip(lyon, D(2025, 6, 1), D(2025, 6, 2), [mayor], department=mayors_office, purpose="network_meeting")
    trip(guangzhou, D(2025, 12, 30), D(2026, 1, 2), [officer], head_count=4, department=culture, purpose="trade_fair")
    trip(lyon, D(2025, 9, 1), D(2025, 9, 2), [mayor], status="cancelled", head_count=10)
    trip(lyon, D(2025, 10, 1), D(2025, 10, 2), [deputy], status="approved")
    trip(lyon, D(2024, 12, 30), D(2025, 1, 3), [deputy], head_count=1, purpose="network_meeting", department=culture)
    CostFactory(delegation=to_krakow, category="travel", estimated=Decimal("900"), actual=Decimal("1000.50"))
    CostFactory(delegation=to_krakow, category="gifts", estimated=Decimal("200"))
    CostFactory(delegation=to_krakow, category="hosting", estimated=Decimal("5000"), payer="partner")

    hosted = DelegationFactory(
        direction="inbound",
        status="completed",
        official_guest=True,
        city=krakow,
        country="PL",
        start_on=D(2025, 5, 5),
        end_on=D(2025, 5, 7),
        head_count=18,
        partnership=p_krakow,
        purpose="partner_city_visit",
    )
    ParticipantFactory.create_batch(3, delegation=hosted)
    single = DelegationFactory(
        direction="inbound",
        status="completed",
        city=lyon,
        country="FR",
        start_on=D(2025, 10, 1),
        end_on=D(2025, 10, 1),
        purpose="study_tour",
    )
    ParticipantFactory(delegation=single)

    budget = BudgetFactory(year=2025)
    krakow_line = BudgetLineFactory(budget=budget, name="Kraków", partnership=p_krakow, planned=13000)
    ExpenseFactory(line=krakow_line, date=D(2025, 3, 5), amount=Decimal("1200.00"))
    ExpenseFactory(line=krakow_line, date=D(2025, 5, 6), amount=Decimal("800.00"))
    next_budget = BudgetFactory(year=2026)
    SupplementaryRequestFactory(
        line=BudgetLineFactory(budget=next_budget, partnership=p_krakow), amount_requested=20000
    )

    eurocities = NetworkFactory(name="Eurocities", acronym="EC")
    MembershipFactory(network=eurocities, since=D(2005, 1, 1), yearly_fee=16000)
    NetworkRoleFactory(network=eurocities, person=deputy, starts_on=D(2024, 1, 1), ends_on=D(2025, 2, 1))
    NetworkRoleFactory(network=eurocities, person=mayor, starts_on=D(2026, 1, 1))
    return {"krakow": p_krakow, "lyon": p_lyon, "guangzhou": p_guangzhou}


def test_travel_abroad_follows_the_counting_rules(year_2025):
    figures, _ = build_figures(2025, cut_off="2026-01-15T06:00:00+01:00")

    visits = figure(figures, "travel", "visits_abroad")
    assert (visits["value"], visits["previous"], visits["change"]) == (3, 1, 2)
    # Mayor, deputy and officer once each (the mayor is on two trips) + 2 + 4 unnamed.
    assert figure(figures, "travel", "people_involved")["value"] == 3 + 2 + 4
    assert figure(figures, "travel", "people_involved")["previous"] == 1 + 1
    assert figure(figures, "travel", "mayor_trips")["value"] == 2


def test_trip_across_new_year_counts_in_its_start_year(year_2025):
    figures, _ = build_figures(2026, cut_off="x")

    assert figure(figures, "travel", "visits_abroad")["value"] == 0
    assert figure(figures, "travel", "visits_abroad")["previous"] == 3
    by_country = {row[0]: row[1:] for row in rows(build_figures(2025, cut_off="x")[0], "travel", "by_country")}
    assert by_country["China"] == [1, 0, 1]


def test_cancelled_and_planned_trips_never_count(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    by_country = {row[0]: row[1:] for row in rows(figures, "travel", "by_country")}
    # Lyon: one completed trip in 2025 (the cancelled and the approved ones do not count), one in 2024.
    assert by_country["France"] == [1, 1, 0]
    by_region = {row[0]: row[1:] for row in rows(figures, "travel", "by_region")}
    assert by_region["Europe"] == [2, 1, 1]
    assert by_region["East Asia"] == [1, 0, 1]


def test_breakdowns_by_purpose_department_and_the_mayors_trips(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    by_purpose = {row[0]: row[1:] for row in rows(figures, "travel", "by_purpose")}
    assert by_purpose["Network meeting"] == [1, 1, 0]
    assert by_purpose["Trade fair / expo"] == [1, 0, 1]
    by_department = {row[0]: row[1] for row in rows(figures, "travel", "by_department")}
    assert by_department == {"Mayor's Office": 2, "Culture": 1}
    mayor = rows(figures, "travel", "mayor_trips")
    assert [(r[0], r[2], r[4]) for r in mayor] == [("2025-03-01", "Kraków", "1200.50"), ("2025-06-01", "Lyon", "0.00")]


def test_cost_by_category_counts_what_the_city_paid(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    costs = {row[0]: row[1] for row in rows(figures, "travel", "cost_by_category")}
    # Actual where booked, else the estimate; the partner's hosting costs are not ours.
    assert costs == {"Travel": "1000.50", "Gifts": "200.00"}
    assert figure(figures, "travel", "travel_cost")["value"] == "1200.50"


def test_visitors_received_with_head_counts_and_official_guests(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert figure(figures, "visitors", "delegations_received")["value"] == 2
    assert figure(figures, "visitors", "visitors_received")["value"] == 3 + 18 + 1
    assert figure(figures, "visitors", "official_guest_delegations")["value"] == 1
    assert figure(figures, "visitors", "official_guest_visitors")["value"] == 21
    by_country = {row[0]: row[1:3] for row in rows(figures, "visitors", "by_country")}
    assert by_country == {"Poland": [1, 21], "France": [1, 1]}


def test_status_at_year_end_and_changes_on_the_last_and_first_day(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    # Frozen on 31 December counts for 2025; dormant on 1 January 2026 does not.
    assert figure(figures, "partnerships", "status_frozen")["value"] == 1
    assert figure(figures, "partnerships", "status_dormant")["value"] == 0
    assert figure(figures, "partnerships", "status_active")["value"] == 2
    changes = rows(figures, "partnerships", "status_changes")
    assert changes == [["2025-12-31", "Guangzhou", "Active", "Frozen", "Council removed."]]
    next_year, _ = build_figures(2026, cut_off="x")
    assert rows(next_year, "partnerships", "status_changes")[0][:4] == ["2026-01-01", "Lyon", "Active", "Dormant"]


def test_activity_per_partnership_flags_partnerships_without_activity(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    activity = {row[0]: row[1:] for row in rows(figures, "partnerships", "activity")}
    # Trips there, visits from there, club exchanges, reciprocity events, money spent (2025, 2024).
    assert activity["Kraków"] == ["Active", 1, 1, 0, 0, "2000.00", "0.00", "Active"]
    # Lyon: the completed trip was not linked to the partnership.
    assert activity["Lyon"][-1] == "No activity"
    assert figure(figures, "partnerships", "without_activity")["value"] == 2


def test_jubilees_of_the_coming_year_with_their_budget(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    # 2026: Kraków 25 years, Guangzhou 38 (no jubilee), Lyon 66 (no jubilee).
    # Not planned: the flat estimate, labelled (tests/reports/test_jubilee_section.py has planned ones).
    assert rows(figures, "partnerships", "jubilees") == [
        ["Kraków", "2001-06-01", 25, "25000.00", "20000.00", "Flat estimate, not yet planned"]
    ]
    assert figure(figures, "partnerships", "jubilee_budget")["value"] == "25000.00"


def test_networks_count_memberships_roles_and_fees(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert figure(figures, "networks", "memberships")["value"] == 1
    assert figure(figures, "networks", "fees_due")["value"] == "16000.00"
    # The deputy's role ended on 1 February 2025: it overlaps 2025; the mayor's starts in 2026.
    assert figure(figures, "networks", "roles")["value"] == 1
    assert rows(figures, "networks", "roles") == [["Eurocities", "Executive Committee", "Treasurer", "Katharina Vogel"]]


def test_budget_planned_against_spent(year_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert figure(figures, "budget", "planned")["value"] == "13000.00"
    assert figure(figures, "budget", "spent")["value"] == "2000.00"
    by_city = {row[0]: row[1:] for row in rows(figures, "budget", "by_partner_city")}
    assert by_city["Kraków"] == ["13000.00", "13000.00", "2000.00", "0.00"]


def test_trips_charged_to_a_line_are_counted_as_a_whole_number(year_2025):
    """The count of trips per line was summed into a decimal, which the figures' checksum could not serialise."""
    line = year_2025["krakow"].budget_lines.get(budget__year=2025)
    year_2025["krakow"].delegations.filter(start_on__year=2025, direction="outbound").update(budget_line=line)

    figures, checksum = read_figures(2025)[:2]

    assert rows(figures, "budget", "trips_by_line") == [["Kraków", 1, "0.00", "0.00"]]
    assert len(checksum) == 64


def test_same_data_gives_the_same_checksum_and_a_change_another(year_2025):
    first = read_figures(2025)
    second = read_figures(2025)

    assert first[1] == second[1]
    assert len(first[1]) == 64
    method = section(first[0], "method")
    assert {fact["key"]: fact["value"] for fact in method["facts"]}["checksum"] == first[1]

    ExpenseFactory(line=year_2025["krakow"].budget_lines.get(budget__year=2025), date=D(2025, 7, 1), amount=1)
    assert read_figures(2025)[1] != first[1]


@pytest.mark.parametrize("extra_trips", [0, 30])
def test_figures_cost_a_fixed_number_of_queries(year_2025, django_assert_max_num_queries, extra_trips):
    for n in range(extra_trips):
        trip = DelegationFactory(status="completed", start_on=D(2025, 1 + n % 12, 1), end_on=D(2025, 1 + n % 12, 2))
        ParticipantFactory(delegation=trip)
        CostFactory(delegation=trip)

    # 36 queries for the nine sections (four of them for "Clubs and citizens", two for "Gifts",
    # three for "Protocol and events", one when it has no records as here), whatever the row
    # count, with the snapshot's own statements.
    with django_assert_max_num_queries(36):
        read_figures(2025)
