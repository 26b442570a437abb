"""Central travel coordination: which trips are flagged, which are errors."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from delegations import services
from delegations.models import CoordinationCase
from oia.models import Notification
from tests.factories import (
    CityFactory,
    DelegationFactory,
    DepartmentFactory,
    ParticipantFactory,
    PersonFactory,
    UserFactory,
)

D = datetime.date


@pytest.fixture
def krakow(db):
    return CityFactory(name="Kraków", country="PL")


@pytest.fixture
def culture(db):
    return DepartmentFactory(name="Culture")


@pytest.fixture
def economy(db):
    return DepartmentFactory(name="Economic Development")


def trip(city, department, start, end, **fields):
    return DelegationFactory(city=city, department=department, start_on=start, end_on=end, **fields)


def matches(delegation):
    return {(other.pk, kind) for other, kind in services.coordination_matches(delegation)}


def test_overlapping_trips_of_two_departments_to_one_city_match(krakow, culture, economy):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    theirs = trip(krakow, economy, D(2026, 5, 5), D(2026, 5, 8))

    assert matches(mine) == {(theirs.pk, "same_city")}


@pytest.mark.parametrize(("gap_days", "flagged"), [(14, True), (15, False)])
def test_trips_within_the_window_match(krakow, culture, economy, gap_days, flagged):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    later_start = D(2026, 5, 6) + datetime.timedelta(days=gap_days)
    theirs = trip(krakow, economy, later_start, later_start + datetime.timedelta(days=2))

    assert bool(matches(mine)) is flagged
    if flagged:
        assert matches(mine) == {(theirs.pk, "same_city")}


def test_window_is_a_setting(krakow, culture, economy, settings):
    settings.OIA_COORDINATION_WINDOW_DAYS = 3
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    trip(krakow, economy, D(2026, 5, 12), D(2026, 5, 13))

    assert matches(mine) == set()


def test_same_country_other_city_is_a_weaker_match(krakow, culture, economy):
    warsaw = CityFactory(name="Warsaw", country="PL")
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    theirs = trip(warsaw, economy, D(2026, 5, 4), D(2026, 5, 6))
    trip(CityFactory(name="Prague", country="CZ"), economy, D(2026, 5, 4), D(2026, 5, 6))

    assert matches(mine) == {(theirs.pk, "same_country")}


def test_country_only_trip_matches_by_country(culture, economy):
    mine = DelegationFactory(city=None, country="JP", department=culture, start_on=D(2026, 9, 1), end_on=D(2026, 9, 5))
    theirs = trip(CityFactory(name="Yokohama", country="JP"), economy, D(2026, 9, 3), D(2026, 9, 4))

    assert matches(mine) == {(theirs.pk, "same_country")}


def test_visitors_from_that_city_in_the_window_match(krakow, culture, economy):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    visitors = trip(krakow, economy, D(2026, 5, 10), D(2026, 5, 12), direction="inbound")

    assert matches(mine) == {(visitors.pk, "inbound_from_city")}


def test_cancelled_trips_and_the_same_department_with_the_same_travellers_are_ignored(krakow, culture, economy):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    trip(krakow, economy, D(2026, 5, 4), D(2026, 5, 6), status="cancelled")
    person = PersonFactory(department=culture)
    ParticipantFactory(delegation=mine, person=person)
    own_follow_up = trip(krakow, culture, D(2026, 5, 6), D(2026, 5, 7))
    ParticipantFactory(delegation=own_follow_up, person=person)

    assert matches(mine) == set()


def test_same_traveller_on_two_overlapping_trips_is_an_error(krakow, culture, economy):
    mayor = PersonFactory(name="Mayor")
    first = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    second = trip(CityFactory(name="Lyon", country="FR"), economy, D(2026, 5, 5), D(2026, 5, 8))
    services.participant_add(delegation=first, person=mayor)

    with pytest.raises(ValidationError, match="already travelling"):
        services.participant_add(delegation=second, person=mayor)
    assert not second.participants.exists()


def test_back_to_back_trips_sharing_a_day_are_allowed(krakow, culture, economy):
    mayor = PersonFactory(name="Mayor")
    first = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    second = trip(CityFactory(name="Lyon", country="FR"), economy, D(2026, 5, 6), D(2026, 5, 8))
    services.participant_add(delegation=first, person=mayor)

    services.participant_add(delegation=second, person=mayor)

    assert second.participants.get().person == mayor


def test_moving_a_trip_onto_a_travellers_other_trip_is_refused(krakow, culture, economy):
    mayor = PersonFactory(name="Mayor")
    first = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    second = trip(CityFactory(name="Lyon", country="FR"), economy, D(2026, 6, 1), D(2026, 6, 3))
    services.participant_add(delegation=first, person=mayor)
    services.participant_add(delegation=second, person=mayor)

    with pytest.raises(ValidationError, match="already travelling"):
        services.delegation_update(
            delegation=second, version=second.version, start_on=D(2026, 5, 5), end_on=D(2026, 5, 7)
        )


def test_submitting_records_a_case_once_and_notifies_both_organisers(krakow, culture, economy):
    anna, ben = UserFactory(role="oia_staff"), UserFactory(role="oia_staff")
    theirs = trip(krakow, economy, D(2026, 5, 5), D(2026, 5, 8), created_by=ben, status="submitted")
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6), created_by=anna)

    services.delegation_transition(delegation=mine, to_status="submitted", by=anna)
    services.coordination_refresh(theirs)

    case = CoordinationCase.objects.get()
    assert {case.trip_id, case.other_id} == {mine.pk, theirs.pk}
    assert case.state == "open"
    assert Notification.objects.filter(user=anna).count() == 1
    assert Notification.objects.filter(user=ben).count() == 1


def test_moving_a_trip_away_drops_the_open_case(krakow, culture, economy):
    theirs = trip(krakow, economy, D(2026, 5, 5), D(2026, 5, 8))
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    services.coordination_refresh(mine)
    assert CoordinationCase.objects.count() == 1

    services.delegation_update(delegation=mine, version=mine.version, start_on=D(2026, 8, 1), end_on=D(2026, 8, 3))

    assert not CoordinationCase.objects.exists()
    assert theirs.pk


def test_a_case_is_marked_coordinated_with_a_comment(krakow, culture, economy):
    trip(krakow, economy, D(2026, 5, 5), D(2026, 5, 8))
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    case = services.coordination_refresh(mine)[0]
    staff = UserFactory(role="oia_staff")

    with pytest.raises(ValidationError):
        services.coordination_resolve(case=case, by=staff, comment=" ")
    services.coordination_resolve(case=case, by=staff, comment="Joint programme agreed; one car.")

    case.refresh_from_db()
    assert (case.state, case.resolved_by) == ("coordinated", staff)


def test_a_day_trip_clashes_with_a_trip_starting_that_day(krakow, culture, economy):
    mayor = PersonFactory(name="Mayor")
    day_trip = trip(krakow, culture, D(2026, 5, 6), D(2026, 5, 6))
    longer = trip(CityFactory(name="Lyon", country="FR"), economy, D(2026, 5, 6), D(2026, 5, 8))
    services.participant_add(delegation=day_trip, person=mayor)

    with pytest.raises(ValidationError, match="already travelling"):
        services.participant_add(delegation=longer, person=mayor)


def test_confirming_a_visit_keeps_the_case_found_from_the_trip(krakow, culture, economy):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    visitors = trip(krakow, economy, D(2026, 5, 10), D(2026, 5, 12), direction="inbound")
    services.coordination_refresh(mine)

    services.delegation_transition(delegation=visitors, to_status="confirmed", by=UserFactory(role="oia_staff"))

    assert CoordinationCase.objects.filter(match="inbound_from_city").count() == 1
    assert matches(visitors) == {(mine.pk, "inbound_from_city")}


def test_a_trip_of_the_same_department_with_other_travellers_matches(krakow, culture):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    ParticipantFactory(delegation=mine, person=PersonFactory(department=culture))
    colleagues = trip(krakow, culture, D(2026, 5, 5), D(2026, 5, 7))
    ParticipantFactory(delegation=colleagues, person=PersonFactory(department=culture))

    assert matches(mine) == {(colleagues.pk, "same_city")}


def test_without_a_trip_of_the_same_department_nearby_no_travellers_are_read(
    krakow, culture, economy, django_assert_num_queries
):
    mine = trip(krakow, culture, D(2026, 5, 4), D(2026, 5, 6))
    ParticipantFactory(delegation=mine)
    other = trip(krakow, economy, D(2026, 5, 4), D(2026, 5, 6))
    ParticipantFactory(delegation=other)

    with django_assert_num_queries(1):  # the delegations nearby, nothing about who travels
        found = matches(mine)

    assert found == {(other.pk, "same_city")}
