"""Retention rules of the delegations app: needs cleared after the visit,
external people anonymised after years without a delegation, on PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from delegations.models import Participant, Person
from delegations.retention import anonymise_external_people, clear_needs
from oia.audit import history_for
from oia.retention import years_before
from oia.rights import columns_containing
from tests.factories import DelegationFactory, ParticipantFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 30, 3, 50))


def traveller(*, ended_on, external=False, **person):
    """A person who took part in a delegation that ended on ``ended_on``."""
    if external:
        person["department"] = None
    someone = PersonFactory(dietary_needs="halal", accessibility_needs="wheelchair", **person)
    ParticipantFactory(
        person=someone,
        delegation=DelegationFactory(start_on=ended_on - datetime.timedelta(days=2), end_on=ended_on),
    )
    return someone


def needs(person):
    person.refresh_from_db()
    return (person.dietary_needs, person.accessibility_needs)


def test_needs_are_cleared_the_day_after_the_retention_period_and_kept_until_then():
    kept = traveller(ended_on=TODAY - datetime.timedelta(days=30))
    cleared = traveller(ended_on=TODAY - datetime.timedelta(days=31))

    assert clear_needs(NOW) == 1

    assert needs(kept) == ("halal", "wheelchair")
    assert needs(cleared) == ("", "")
    assert cleared.participations.count() == 1  # only the needs go


def test_needs_stay_while_any_visit_of_the_person_is_recent_or_ahead_or_none_is_planned_yet():
    coming_again = traveller(ended_on=datetime.date(2020, 5, 1))
    ParticipantFactory(person=coming_again, delegation=DelegationFactory(start_on=datetime.date(2026, 9, 1)))
    not_yet_in_a_delegation = PersonFactory(dietary_needs="vegan")

    assert clear_needs(NOW) == 0

    assert needs(coming_again) == ("halal", "wheelchair")
    assert needs(not_yet_in_a_delegation) == ("vegan", "")


def test_needs_period_is_the_setting(settings):
    settings.OIA_RETAIN_NEEDS_DAYS = 10
    cleared = traveller(ended_on=TODAY - datetime.timedelta(days=11))
    kept = traveller(ended_on=TODAY - datetime.timedelta(days=10))

    assert clear_needs(NOW) == 1

    assert needs(cleared) == ("", "")
    assert needs(kept) == ("halal", "wheelchair")


def test_clearing_needs_twice_does_nothing_the_second_time():
    traveller(ended_on=datetime.date(2025, 1, 1))

    assert clear_needs(NOW) == 1
    assert clear_needs(NOW) == 0


def test_external_people_are_anonymised_after_the_period_and_kept_until_then():
    kept = traveller(ended_on=datetime.date(2023, 6, 30), external=True, name="Kept Visitor")
    gone = traveller(
        ended_on=datetime.date(2023, 6, 29),
        external=True,
        name="Amélie Gone-Visitor",
        email="amelie@example.fr",
        title="Deputy Mayor",
        organisation="Ville de Lyon",
    )
    official = traveller(ended_on=datetime.date(2010, 1, 1), name="Our Official")
    delegation = gone.participations.get().delegation

    assert anonymise_external_people(NOW) == 1

    gone.refresh_from_db()
    assert gone.name == f"Anonymised person #{gone.pk}"
    assert (gone.email, gone.dietary_needs, gone.accessibility_needs) == ("", "", "")
    assert gone.anonymised_at == NOW
    # What kind of visitor it was stays, and so does the participation (every count keeps).
    assert (gone.title, gone.organisation) == ("Deputy Mayor", "Ville de Lyon")
    assert Participant.objects.filter(person=gone, delegation=delegation).exists()
    assert not Person.objects.filter(name__contains="Gone-Visitor").exists()
    kept.refresh_from_db()
    official.refresh_from_db()
    assert (kept.name, kept.anonymised_at) == ("Kept Visitor", None)
    assert (official.name, official.anonymised_at) == ("Our Official", None)


def test_external_people_in_no_delegation_or_coming_again_keep_their_name():
    planned = PersonFactory(department=None, name="Planned Visitor")
    returning = traveller(ended_on=datetime.date(2015, 1, 1), external=True, name="Returning Visitor")
    ParticipantFactory(person=returning, delegation=DelegationFactory(start_on=datetime.date(2027, 1, 10)))

    assert anonymise_external_people(NOW) == 0

    assert set(Person.objects.values_list("name", flat=True)) == {"Planned Visitor", "Returning Visitor"}
    assert planned.pk


def test_external_people_period_is_the_setting_and_a_second_run_does_nothing(settings):
    settings.OIA_RETAIN_EXTERNAL_PEOPLE_YEARS = 1
    traveller(ended_on=datetime.date(2025, 6, 29), external=True)
    traveller(ended_on=datetime.date(2025, 6, 30), external=True)

    assert anonymise_external_people(NOW) == 1
    assert anonymise_external_people(NOW + datetime.timedelta(hours=1)) == 0
    assert Person.objects.filter(anonymised_at=NOW).count() == 1


def test_years_before_turns_29_february_into_the_28th():
    assert years_before(datetime.date(2028, 2, 29), 3) == datetime.date(2025, 2, 28)
    assert years_before(datetime.date(2026, 6, 30), 3) == datetime.date(2023, 6, 30)


def test_what_retention_removes_goes_from_the_audit_history_too():
    """The audit trail recorded the name and needs when they were entered; they go from it with the record's."""
    gone = traveller(
        ended_on=datetime.date(2023, 6, 1), external=True, name="Zdenka Historyless", email="zh@cz.example"
    )
    gone.dietary_needs = "kosher, no nuts"  # an edit: the history now holds two versions
    gone.save()
    kept = traveller(ended_on=TODAY, external=True, name="Kept Visitor")
    assert columns_containing("Zdenka Historyless")  # in the person and in its history
    assert columns_containing("kosher, no nuts")

    clear_needs(NOW)
    anonymise_external_people(NOW)

    assert columns_containing("Zdenka Historyless") == {}
    assert columns_containing("zh@cz.example") == {}
    assert columns_containing("kosher, no nuts") == {}
    assert len(history_for(gone)) == 4  # created, edited, needs cleared, anonymised: the history stays
    assert columns_containing("Kept Visitor") == {"audit_personevent.name": 1, "delegations_person.name": 1}
    assert needs(kept) == ("halal", "wheelchair")
