"""Partner cities: identity, derived region, status history, validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partners.choices import Region
from partners.models import City, Partnership, StatusChange, status_on
from tests.factories import CityFactory, PartnershipFactory


def test_region_is_derived_from_the_country(db):
    assert CityFactory(name="Yokohama", country="JP").region == Region.EAST_ASIA
    assert CityFactory(name="Cairo", country="EG").region == Region.MENA
    assert CityFactory(name="Toronto", country="CA").region == Region.NORTH_AMERICA


def test_two_cities_may_share_a_name_in_different_countries(db):
    CityFactory(name="Frankfurt am Main", country="DE", latitude=50.11, longitude=8.68)
    CityFactory(name="Frankfurt (Oder)", country="DE", latitude=52.34, longitude=14.55)
    CityFactory(name="Cairo", country="EG")
    CityFactory(name="Cairo", country="US", latitude=37.0, longitude=-89.18)

    assert City.objects.filter(name="Cairo").count() == 2


def test_the_same_city_cannot_be_recorded_twice(db):
    CityFactory(name="Cairo", country="EG", latitude=None, longitude=None)

    with pytest.raises(IntegrityError):
        CityFactory(name="Cairo", country="EG", latitude=None, longitude=None)


def test_current_status_is_the_latest_entry(db):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))
    StatusChange.objects.create(
        partnership=partnership, status="dormant", effective_on=datetime.date(2015, 1, 1), reason="Nothing happens."
    )
    StatusChange.objects.create(
        partnership=partnership,
        status="active",
        effective_on=datetime.date(2020, 1, 1),
        reason="Revived by the anniversary.",
    )

    annotated = Partnership.objects.get(pk=partnership.pk)

    assert annotated.current_status == "active"
    assert [c.status for c in partnership.status_history()] == ["active", "dormant", "active"]


def test_formalisation_date_cannot_be_in_the_future(db):
    partnership = PartnershipFactory.build(
        partner_city=CityFactory(), formalised_on=datetime.date.today() + datetime.timedelta(days=1)
    )

    with pytest.raises(ValidationError) as error:
        partnership.full_clean()

    assert "formalised_on" in error.value.message_dict


def test_end_date_must_follow_formalisation_and_only_for_projects(db):
    city = CityFactory()
    before = Partnership(
        partner_city=city, kind="project", formalised_on=datetime.date(2020, 5, 1), ends_on=datetime.date(2020, 4, 1)
    )
    not_project = Partnership(
        partner_city=city, kind="twinning", formalised_on=datetime.date(2020, 5, 1), ends_on=datetime.date(2025, 4, 1)
    )

    with pytest.raises(ValidationError) as first:
        before.full_clean()
    with pytest.raises(ValidationError) as second:
        not_project.full_clean()

    assert "after" in first.value.message_dict["ends_on"][0]
    assert "project" in second.value.message_dict["ends_on"][0]


def test_no_second_open_partnership_with_the_same_city(db):
    existing = PartnershipFactory()
    duplicate = Partnership(partner_city=existing.partner_city, formalised_on=datetime.date(2001, 1, 1))

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "partner_city" in error.value.message_dict


def test_a_new_partnership_may_follow_an_ended_one_with_the_same_city(db):
    ended = PartnershipFactory(status="ended")
    renewed = Partnership(partner_city=ended.partner_city, formalised_on=datetime.date(2001, 1, 1))

    renewed.full_clean()


def test_the_current_status_change_is_the_same_with_or_without_prefetched_changes(db, django_assert_num_queries):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))
    for status in ("frozen", "active"):  # two changes on the same day: the one entered last is in force
        StatusChange.objects.create(
            partnership=partnership, status=status, effective_on=datetime.date(2022, 3, 1), reason="Council decision."
        )
    prefetched = Partnership.objects.prefetch_related("status_changes").get(pk=partnership.pk)

    with django_assert_num_queries(0):
        from_prefetched = prefetched.current_status_change()

    assert from_prefetched.status == "active"
    assert Partnership.objects.get(pk=partnership.pk).current_status_change() == from_prefetched
    assert Partnership.objects.get(pk=partnership.pk).current_status == "active"


def test_the_status_on_a_day_is_the_latest_change_on_or_before_it(db):
    partnership = PartnershipFactory(formalised_on=datetime.date(1991, 1, 1))
    StatusChange.objects.create(
        partnership=partnership, status="frozen", effective_on=datetime.date(2022, 12, 31), reason="Council decision."
    )

    statuses = Partnership.objects.annotate(
        end_2021=status_on(datetime.date(2021, 12, 31)), end_2022=status_on(datetime.date(2022, 12, 31))
    ).get(pk=partnership.pk)
    changes = StatusChange.objects.filter(partnership=partnership).with_previous_status().order_by("effective_on")

    assert (statuses.end_2021, statuses.end_2022) == ("active", "frozen")
    assert [(c.previous, c.status) for c in changes] == [(None, "active"), ("active", "frozen")]
