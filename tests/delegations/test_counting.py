"""The counting rules of the council report, on a hand-built year whose
answers are known."""

import datetime

from delegations.filters import DelegationFilter
from delegations.models import Delegation
from delegations.selectors import travel_figures
from tests.factories import DelegationFactory, ParticipantFactory, PersonFactory

D = datetime.date


def build_2025():
    mayor, deputy, officer = PersonFactory(name="Mayor"), PersonFactory(name="Deputy"), PersonFactory(name="Officer")
    # Three completed trips abroad in 2025: the mayor twice, so 3 distinct people, plus 2 + 0 + 4 unnamed.
    first = DelegationFactory(status="completed", start_on=D(2025, 3, 1), end_on=D(2025, 3, 3), head_count=2)
    second = DelegationFactory(status="completed", start_on=D(2025, 6, 1), end_on=D(2025, 6, 2))
    across_new_year = DelegationFactory(
        status="completed", start_on=D(2025, 12, 30), end_on=D(2026, 1, 2), head_count=4
    )
    for delegation, people in [(first, [mayor, deputy]), (second, [mayor]), (across_new_year, [officer])]:
        for person in people:
            ParticipantFactory(delegation=delegation, person=person)
    # Not counted: approved (not completed), cancelled, and a trip that started in 2024.
    DelegationFactory(status="approved", start_on=D(2025, 9, 1), end_on=D(2025, 9, 2), head_count=10)
    DelegationFactory(status="cancelled", start_on=D(2025, 9, 1), end_on=D(2025, 9, 2), head_count=10)
    DelegationFactory(status="completed", start_on=D(2024, 12, 30), end_on=D(2025, 1, 3), head_count=10)
    # Inbound in 2025: two completed visits (3 named + 18 students; 1 named), one hosted; one only confirmed.
    hosted = DelegationFactory(
        direction="inbound",
        status="completed",
        official_guest=True,
        start_on=D(2025, 5, 5),
        end_on=D(2025, 5, 7),
        head_count=18,
    )
    ParticipantFactory.create_batch(3, delegation=hosted)
    informal = DelegationFactory(
        direction="inbound", status="completed", start_on=D(2025, 10, 1), end_on=D(2025, 10, 1)
    )
    ParticipantFactory(delegation=informal)
    DelegationFactory(
        direction="inbound", status="confirmed", start_on=D(2025, 11, 1), end_on=D(2025, 11, 2), head_count=40
    )


def test_counting_rules_on_a_known_year(db, django_assert_max_num_queries):
    build_2025()

    with django_assert_max_num_queries(3):
        figures = travel_figures(2025)

    assert figures.visits_abroad == 3
    assert figures.people_involved == 3 + 2 + 4
    assert figures.delegations_received == 2
    assert figures.visitors_received == 3 + 18 + 1
    assert figures.official_guest_delegations == 1
    assert figures.official_guest_visitors == 21


def test_trip_across_new_year_counts_in_its_start_year(db):
    build_2025()

    assert travel_figures(2026).visits_abroad == 0
    assert travel_figures(2024).visits_abroad == 1


def test_an_empty_year_counts_zero(db):
    figures = travel_figures(1999)

    assert (figures.visits_abroad, figures.people_involved, figures.visitors_received) == (0, 0, 0)


def test_counted_in_takes_completed_delegations_by_their_start_year(db):
    build_2025()

    counted = Delegation.objects.counted_in(2025)
    across_two_years = Delegation.objects.counted_in(2024, 2025)

    assert counted.count() == 5  # three trips and two visits
    assert set(counted.values_list("status", flat=True)) == {"completed"}
    assert across_two_years.count() == 6  # plus the trip that started on 30 December 2024
    assert Delegation.objects.in_years(2025).count() == 8  # any status: plus approved, cancelled, confirmed


def test_the_year_filter_of_the_list_uses_the_start_year(db):
    build_2025()

    found = DelegationFilter({"year": "2024"}, queryset=Delegation.objects.for_list()).qs

    assert [d.start_on for d in found] == [D(2024, 12, 30)]
