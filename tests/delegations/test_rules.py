"""Single-record and participant rules: bad input is refused in plain words."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from delegations import services
from delegations.models import Cost, Delegation, Gift, Person
from tests.factories import CityFactory, DelegationFactory, ParticipantFactory, PersonFactory


def test_end_before_start_is_refused(db):
    delegation = DelegationFactory.build(
        city=CityFactory(),
        department=DelegationFactory().department,
        start_on=datetime.date(2026, 5, 4),
        end_on=datetime.date(2026, 5, 3),
    )

    with pytest.raises(ValidationError) as error:
        delegation.full_clean()

    assert "before the start date" in error.value.message_dict["end_on"][0]


def test_a_person_added_twice_is_refused(db):
    participant = ParticipantFactory()

    with pytest.raises(ValidationError, match="already a participant"):
        services.participant_add(delegation=participant.delegation, person=participant.person)


def test_the_lead_must_be_a_participant(db):
    delegation = DelegationFactory()
    outsider = PersonFactory()

    with pytest.raises(ValidationError) as error:
        services.delegation_update(delegation=delegation, version=delegation.version, lead=outsider)

    assert "lead" in error.value.message_dict
    assert Delegation.objects.get(pk=delegation.pk).lead is None


def test_adding_a_lead_participant_makes_them_head_of_delegation(db):
    delegation = DelegationFactory()
    mayor = PersonFactory(name="Mayor")

    services.participant_add(delegation=delegation, person=mayor, role="lead")

    assert Delegation.objects.get(pk=delegation.pk).lead == mayor


def test_a_whole_party_is_added_in_one_step_and_its_lead_heads_it(db):
    delegation = DelegationFactory()
    mayor, aide, interpreter = PersonFactory(name="Mayor"), PersonFactory(), PersonFactory()

    services.participants_add(
        delegation=delegation,
        members=[
            (aide, "member", "government"),
            (mayor, "lead", "government"),
            (interpreter, "interpreter", "government"),
        ],
    )

    saved = Delegation.objects.get(pk=delegation.pk)
    assert set(saved.participants.values_list("person", flat=True)) == {mayor.pk, aide.pk, interpreter.pk}
    assert saved.lead == mayor
    assert delegation.lead_id == mayor.pk
    assert delegation.version == saved.version


def test_a_party_costs_the_same_queries_whatever_its_size(db):
    def queries_for(size):
        delegation = DelegationFactory()
        members = [(PersonFactory(), "member", "government") for _ in range(size)]
        with CaptureQueriesContext(connection) as captured:
            services.participants_add(delegation=delegation, members=members)
        return len(captured)

    assert queries_for(2) == queries_for(8)


def test_a_party_with_one_traveller_on_another_trip_adds_nobody(db):
    delegation = DelegationFactory(start_on=datetime.date(2026, 5, 4), end_on=datetime.date(2026, 5, 6))
    busy = PersonFactory(name="Busy Bee")
    ParticipantFactory(
        person=busy,
        delegation=DelegationFactory(start_on=datetime.date(2026, 5, 5), end_on=datetime.date(2026, 5, 8)),
    )

    with pytest.raises(ValidationError, match="Busy Bee is already travelling"):
        services.participants_add(
            delegation=delegation, members=[(PersonFactory(), "lead", "government"), (busy, "member", "government")]
        )

    assert not delegation.participants.exists()
    assert Delegation.objects.get(pk=delegation.pk).lead is None


def test_the_same_person_twice_in_a_party_is_refused(db):
    delegation = DelegationFactory()
    person = PersonFactory()

    with pytest.raises(ValidationError, match="already a participant"):
        services.participants_add(
            delegation=delegation, members=[(person, "member", "government"), (person, "press", "government")]
        )

    assert not delegation.participants.exists()


def test_a_person_deleted_meanwhile_is_refused_in_words(db):
    delegation = DelegationFactory()
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).delete()

    with pytest.raises(ValidationError, match="no longer exists"):
        services.participant_add(delegation=delegation, person=person)


def test_removing_the_lead_clears_the_head_of_delegation(db):
    delegation = DelegationFactory()
    participant = services.participant_add(delegation=delegation, person=PersonFactory(), role="lead")

    services.participant_remove(participant=participant)

    assert Delegation.objects.get(pk=delegation.pk).lead is None


def test_head_count_below_zero_is_refused(db):
    delegation = DelegationFactory()

    with pytest.raises(ValidationError, match="below zero"):
        services.head_count_set(delegation=delegation, head_count=-1)


def test_total_size_is_named_plus_head_count(db):
    delegation = DelegationFactory(head_count=18, head_count_note="a group of students")
    ParticipantFactory.create_batch(3, delegation=delegation)

    annotated = Delegation.objects.with_size().get(pk=delegation.pk)

    assert (annotated.named_count, annotated.total_size) == (3, 21)


@pytest.mark.parametrize("model", [Cost, Gift])
def test_negative_amounts_are_refused(db, model):
    delegation = DelegationFactory()
    record = (
        Cost(delegation=delegation, category="travel", estimated=Decimal("-1"))
        if model is Cost
        else Gift(
            delegation=delegation, direction="given", description="Book", counterpart="Mayor", value=Decimal("-5")
        )
    )

    with pytest.raises(ValidationError) as error:
        record.full_clean()

    assert "greater than or equal to 0" in str(error.value) or "cannot be negative" in str(error.value)


def test_outbound_trips_cannot_be_official_guests(db):
    delegation = DelegationFactory.build(
        city=CityFactory(), department=DelegationFactory().department, official_guest=True
    )

    with pytest.raises(ValidationError) as error:
        delegation.full_clean()

    assert "official_guest" in error.value.message_dict


def test_stale_edit_of_a_delegation_is_refused(db):
    delegation = DelegationFactory(title="Original")
    version = delegation.version
    services.delegation_update(delegation=Delegation.objects.get(pk=delegation.pk), version=version, title="First")

    with pytest.raises(ValidationError, match="Someone else changed"):
        services.delegation_update(delegation=Delegation.objects.get(pk=delegation.pk), version=version, title="Second")

    assert Delegation.objects.get(pk=delegation.pk).title == "First"


def test_changes_by_services_advance_the_version_so_old_forms_are_refused(db):
    delegation = DelegationFactory()
    opened_at = delegation.version

    services.participant_add(delegation=delegation, person=PersonFactory(), role="lead")
    services.head_count_set(delegation=delegation, head_count=5)

    with pytest.raises(ValidationError, match="Someone else changed"):
        services.delegation_update(delegation=delegation, version=opened_at, title="Late edit")
    assert Delegation.objects.get(pk=delegation.pk).lead is not None
