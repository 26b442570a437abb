"""The offline gazetteer: lookups by name, other names and German spellings."""

import gc
import gzip

import pytest
from django.urls import reverse

from partners import gazetteer
from partners.models import City
from partners.services import city_create, home_city_record
from tests.factories import PartnershipFactory


def test_a_countrys_index_is_nothing_the_garbage_collector_walks():
    """Every web or worker process that looked up a country keeps its names
    for good: the collector must not walk them on every full collection."""
    gazetteer.lookup("Köln", "DE")
    index = gazetteer._shared()._index("DE")
    gc.collect()

    assert len(index) > 1000
    assert not any(gc.is_tracked(numbers) for numbers in index.values())
    assert not gc.is_tracked(index)


@pytest.mark.parametrize(
    ("name", "country", "found"),
    [
        ("Krakau", "PL", "Kraków"),
        ("Mailand", "IT", "Milan"),
        ("Breslau", "PL", "Wrocław"),
        ("Lüttich", "BE", "Liège"),
        ("Luettich", "BE", "Liège"),
        ("Peking", "CN", "Beijing"),
        ("koeln", "DE", "Köln"),
        ("KÖLN", "DE", "Köln"),
        ("  Frankfurt   am main ", "DE", "Frankfurt am Main"),
    ],
)
def test_lookup_finds_a_place_by_any_of_its_names(name, country, found):
    places = gazetteer.lookup(name, country)
    assert [place.name for place in places] == [found]
    assert places[0].latitude is not None
    assert places[0].geonames_id > 0


def test_lookup_without_country_lists_every_match_most_populous_first():
    places = gazetteer.lookup("Breslau")
    assert len(places) > 1
    assert places[0].name == "Wrocław"
    assert [p.population for p in places] == sorted((p.population for p in places), reverse=True)


def test_lookup_of_an_unknown_name_finds_nothing():
    assert gazetteer.lookup("Nowhereville Xyz", "DE") == []
    assert gazetteer.lookup("", None) == []


def test_enrich_fills_a_city_when_one_place_matches():
    city = City(name="Krakau", country="PL")
    place = gazetteer.enrich(city)
    assert place is not None
    assert city.geonames_id == place.geonames_id == 3094802
    assert round(city.latitude) == 50
    assert round(city.longitude) == 20
    assert city.population > 700_000
    assert "Cracovia" in city.alternative_names


def test_enrich_leaves_several_or_no_matches_for_the_user():
    several = City(name="Milan", country="US")
    assert len(gazetteer.lookup("Milan", "US")) > 1
    assert gazetteer.enrich(several) is None
    assert several.latitude is None
    unknown = City(name="Nowhereville Xyz", country="DE")
    assert gazetteer.enrich(unknown) is None
    assert unknown.geonames_id is None


def test_enrich_keeps_coordinates_a_person_gave():
    city = City(name="Krakau", country="PL", latitude=1, longitude=2)
    assert gazetteer.enrich(city) is None
    assert (city.latitude, city.longitude) == (1, 2)


def test_the_data_file_is_shipped_small_and_with_its_licence():
    assert gazetteer.DATA.stat().st_size < 8_000_000
    licence = (gazetteer.DATA.parent / "GAZETTEER_LICENCE.md").read_text()
    assert "CC BY 4.0" in licence
    assert "geonames.org" in licence
    with gzip.open(gazetteer.DATA, "rt", encoding="utf-8") as lines:
        assert lines.readline().startswith("# geonameid")


def test_the_service_fills_a_new_city_and_leaves_an_ambiguous_one(db):
    krakow = city_create(name="Krakau", country="PL")
    milan = city_create(name="Milan", country="US")
    krakow.refresh_from_db()
    assert krakow.geonames_id == 3094802
    assert krakow.latitude is not None
    assert milan.latitude is None
    assert milan.geonames_id is None


def test_a_city_posted_to_the_api_without_coordinates_is_filled(staff_api):
    response = staff_api.post(reverse("api:city-list"), {"name": "Lüttich", "country": "BE"}, format="json")
    assert response.status_code == 201, response.content
    city = City.objects.get(pk=response.json()["id"])
    assert city.geonames_id == 2792413
    assert response.json()["latitude"] is not None


def test_cities_created_without_coordinates_are_all_drawn_on_the_map(staff_client):
    """The import creates its cities through ``city_create``: a list without
    coordinates still puts every matched city on the map."""
    for name, country in [("Krakau", "PL"), ("Mailand", "IT"), ("Breslau", "PL"), ("Lüttich", "BE"), ("Peking", "CN")]:
        PartnershipFactory(partner_city=city_create(name=name, country=country))
    html = staff_client.get(reverse("partners:map")).content.decode()
    assert "5 of 5 partner cities are drawn" in html


def test_the_home_city_is_recorded_from_the_gazetteer_and_drawn_with_its_own_marker(staff_client, settings):
    settings.OIA_HOME_CITY = "Frankfurt am Main"
    settings.OIA_HOME_COUNTRY = "DE"
    PartnershipFactory(partner_city=city_create(name="Krakau", country="PL"))
    assert 'class="map-home"' not in staff_client.get(reverse("partners:map")).content.decode()

    home = home_city_record()

    assert home.geonames_id == 2925533
    assert home_city_record() == home
    html = staff_client.get(reverse("partners:map")).content.decode()
    assert 'class="map-home"' in html
    assert "1 of 1 partner city is drawn" in html
