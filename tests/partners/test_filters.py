"""The partnership FilterSet shared by the HTML list, the export and the API."""

import datetime

import pytest

from partners.filters import PartnershipFilter
from partners.models import AreaOfCooperation, Partnership
from tests.factories import CityFactory, ClubFactory, PartnershipFactory


def names(data):
    queryset = PartnershipFilter(data, queryset=Partnership.objects.for_list()).qs
    return sorted(p.partner_city.name for p in queryset)


def test_search_ignores_accents_and_case(db):
    PartnershipFactory(partner_city=CityFactory(name="Łódź", country="PL"))
    PartnershipFactory(partner_city=CityFactory(name="Eskişehir", country="TR"))
    PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"))

    assert names({"q": "lodz"}) == ["Łódź"]
    assert names({"q": "ESKISEHIR"}) == ["Eskişehir"]
    assert names({"q": "krak"}) == ["Kraków"]


def test_search_finds_the_local_name(db):
    PartnershipFactory(partner_city=CityFactory(name="Yokohama", local_name="横浜市", country="JP"))

    assert names({"q": "横浜"}) == ["Yokohama"]


def test_filter_by_current_status_kind_country_and_region(db):
    PartnershipFactory(partner_city=CityFactory(name="Cairo", country="EG"), status="frozen")
    PartnershipFactory(partner_city=CityFactory(name="Dubai", country="AE"), status="dormant", kind="friendship")
    PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"))

    assert names({"status": ["frozen", "dormant"]}) == ["Cairo", "Dubai"]
    assert names({"kind": ["friendship"]}) == ["Dubai"]
    assert names({"country": "FR"}) == ["Lyon"]
    assert names({"region": "mena"}) == ["Cairo", "Dubai"]


def test_filter_by_formalised_years_area_and_club(db):
    culture = AreaOfCooperation.objects.get(name="Culture")
    old = PartnershipFactory(partner_city=CityFactory(name="Lyon"), formalised_on=datetime.date(1960, 1, 1))
    young = PartnershipFactory(partner_city=CityFactory(name="Yokohama"), formalised_on=datetime.date(2011, 4, 1))
    old.areas.add(culture, AreaOfCooperation.objects.get(name="Youth"))
    ClubFactory(partnerships=[old])

    assert names({"formalised_from": 2000}) == ["Yokohama"]
    assert names({"formalised_to": 1999}) == ["Lyon"]
    assert names({"area": culture.pk}) == ["Lyon"]
    assert names({"has_club": "true"}) == ["Lyon"]
    assert names({"has_club": "false"}) == [young.partner_city.name]


def test_sorting_by_formalisation_date(db):
    PartnershipFactory(partner_city=CityFactory(name="B"), formalised_on=datetime.date(2000, 1, 1))
    PartnershipFactory(partner_city=CityFactory(name="A"), formalised_on=datetime.date(1970, 1, 1))

    queryset = PartnershipFilter({"ordering": "-formalised"}, queryset=Partnership.objects.for_list()).qs

    assert [p.partner_city.name for p in queryset] == ["B", "A"]


YEAR_MESSAGE = "Enter a year from 1900 to 2200."


@pytest.mark.parametrize("value", ["0", "1899", "2201", "99999", "1e16", "2000.5", "-1", "99999999999999999999"])
@pytest.mark.parametrize("name", ["formalised_from", "formalised_to"])
def test_a_year_outside_the_bounds_is_a_form_error_naming_the_range(db, name, value):
    partnership_filter = PartnershipFilter({name: value}, queryset=Partnership.objects.for_list())

    assert not partnership_filter.is_valid()
    assert partnership_filter.errors[name] == [YEAR_MESSAGE]


def test_the_first_and_last_year_of_the_range_are_accepted(db):
    PartnershipFactory(partner_city=CityFactory(name="Lyon"), formalised_on=datetime.date(1960, 1, 1))

    assert names({"formalised_from": "1900", "formalised_to": "2200"}) == ["Lyon"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", ["Lyon"]),
        ("True", ["Lyon"]),
        ("1", ["Lyon"]),
        ("false", ["Yokohama"]),
        ("0", ["Yokohama"]),
        ("", ["Lyon", "Yokohama"]),
    ],
)
def test_a_yes_no_filter_accepts_true_false_one_and_zero(db, value, expected):
    ClubFactory(partnerships=[PartnershipFactory(partner_city=CityFactory(name="Lyon"))])
    PartnershipFactory(partner_city=CityFactory(name="Yokohama"))

    assert names({"has_club": value}) == expected


@pytest.mark.parametrize("value", ["2", "-1", "3", "yes", "on", "truee"])
def test_a_yes_no_filter_refuses_anything_else(db, value):
    partnership_filter = PartnershipFilter({"has_club": value}, queryset=Partnership.objects.for_list())

    assert not partnership_filter.is_valid()
    assert partnership_filter.errors["has_club"] == ["Enter true or false."]
