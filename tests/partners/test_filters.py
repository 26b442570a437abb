"""The partnership FilterSet shared by the HTML list, the export and the API."""

import datetime

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
