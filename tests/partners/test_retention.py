"""Retention rule of the partners app: contacts of partnerships that ended long ago go."""

import datetime

import pytest
from django.utils import timezone

from partners.models import Contact, StatusChange
from partners.retention import delete_contacts_of_ended_partnerships
from tests.factories import ContactFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 30, 3, 50))


def ended(on, *, revived_on=None):
    partnership = PartnershipFactory()
    StatusChange.objects.create(partnership=partnership, status="ended", effective_on=on, reason="Council decision.")
    if revived_on:
        StatusChange.objects.create(partnership=partnership, status="active", effective_on=revived_on, reason="Back.")
    ContactFactory(partnership=partnership)
    ContactFactory(partnership=partnership)
    return partnership


def test_contacts_go_the_day_after_the_period_since_the_end_and_stay_until_then():
    gone = ended(datetime.date(2024, 6, 29))
    kept = ended(datetime.date(2024, 6, 30))
    active = PartnershipFactory()
    ContactFactory(partnership=active)

    assert delete_contacts_of_ended_partnerships(NOW) == 2

    assert not Contact.objects.filter(partnership=gone).exists()
    assert Contact.objects.filter(partnership=kept).count() == 2
    assert Contact.objects.filter(partnership=active).count() == 1
    assert gone.status_changes.count() == 2  # the partnership and its history stay


def test_a_partnership_revived_since_it_ended_keeps_its_contacts():
    revived = ended(datetime.date(2010, 1, 1), revived_on=datetime.date(2015, 1, 1))

    assert delete_contacts_of_ended_partnerships(NOW) == 0
    assert Contact.objects.filter(partnership=revived).count() == 2


def test_the_period_is_the_setting_and_a_second_run_does_nothing(settings):
    settings.OIA_RETAIN_CONTACTS_AFTER_END_YEARS = 5
    gone = ended(datetime.date(2021, 6, 29))
    kept = ended(datetime.date(2021, 6, 30))

    assert delete_contacts_of_ended_partnerships(NOW) == 2
    assert delete_contacts_of_ended_partnerships(NOW) == 0
    assert not Contact.objects.filter(partnership=gone).exists()
    assert Contact.objects.filter(partnership=kept).count() == 2


def test_a_partnership_ended_again_after_a_revival_counts_from_its_last_end():
    again = ended(datetime.date(2010, 1, 1), revived_on=datetime.date(2015, 1, 1))
    StatusChange.objects.create(partnership=again, status="ended", effective_on=datetime.date(2024, 6, 30), reason="-")

    assert delete_contacts_of_ended_partnerships(NOW) == 0
    assert Contact.objects.filter(partnership=again).count() == 2
