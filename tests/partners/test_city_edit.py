"""The office edits a city on its page: names, coordinates, other names, and
a place chosen from the gazetteer's matches."""

from decimal import Decimal

from django.urls import reverse

from partners.models import City
from tests.factories import CityFactory, PartnershipFactory


def form_data(city, **changes):
    data = {
        "name": city.name,
        "local_name": city.local_name,
        "country": city.country.code,
        "latitude": "" if city.latitude is None else str(city.latitude),
        "longitude": "" if city.longitude is None else str(city.longitude),
        "population": city.population or "",
        "geonames_id": city.geonames_id or "",
        "alternative_names": "\n".join(city.alternative_names),
        "version": city.version,
    }
    data.update(changes)
    return data


def test_staff_edit_a_city_and_its_other_names(staff_client):
    city = CityFactory(name="Bratislava", country="SK")
    url = reverse("partners:city-edit", args=[city.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="alternative_names"' in page
    assert '<label for="id_alternative_names"' in page

    response = staff_client.post(
        url, form_data(city, local_name="Bratislava", alternative_names="Pressburg\n\n  Pozsony \nPressburg")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("partners:city-detail", args=[city.pk])
    city.refresh_from_db()
    assert city.alternative_names == ["Pressburg", "Pozsony"]
    assert city.version == 2
    assert "pressburg" in city.search_key
    detail = staff_client.get(response["Location"]).content.decode()
    assert "Pressburg, Pozsony" in detail


def test_a_stale_edit_is_refused(staff_client):
    city = CityFactory(name="Lyon", country="FR")
    url = reverse("partners:city-edit", args=[city.pk])
    staff_client.post(url, form_data(city, population=500000))
    response = staff_client.post(url, form_data(city, population=1))
    assert response.status_code == 200
    assert "Someone else changed this city while you were editing it" in response.content.decode()
    city.refresh_from_db()
    assert city.population == 500000


def test_an_api_change_makes_an_open_edit_page_stale(staff_client, staff_api):
    city = CityFactory(name="Lyon", country="FR")
    staff_api.patch(f"/api/cities/{city.pk}/", {"population": 7}, format="json")
    response = staff_client.post(reverse("partners:city-edit", args=[city.pk]), form_data(city, population=1))
    assert response.status_code == 200
    city.refresh_from_db()
    assert city.population == 7


def test_bad_input_is_a_form_error_not_a_500(staff_client):
    city = CityFactory(name="Lyon", country="FR")
    url = reverse("partners:city-edit", args=[city.pk])
    cases = [
        {"latitude": "91"},
        {"latitude": "45", "longitude": ""},
        {"alternative_names": "x" * 201},
        {"alternative_names": "\n".join(f"name {n}" for n in range(501))},
        {"alternative_names": "Lug\x0bdunum"},
        {"geonames_id": "-3"},
        {"population": "-1"},
    ]
    for change in cases:
        response = staff_client.post(url, form_data(city, **change))
        assert response.status_code == 200, change
        assert 'aria-invalid="true"' in response.content.decode() or "error" in response.content.decode(), change
    city.refresh_from_db()
    assert city.version == 1


def test_looking_up_lists_the_gazetteer_matches_to_choose_from(staff_client):
    city = CityFactory(name="Milan", country="US", latitude=None, longitude=None)
    page = staff_client.get(reverse("partners:city-edit", args=[city.pk]), {"lookup": "1"}).content.decode()
    assert page.count("?place=") > 3
    assert "Places in the gazetteer" in page


def test_choosing_a_place_fills_the_form_and_saving_keeps_it(staff_client):
    city = CityFactory(name="Lüttich", country="BE", latitude=None, longitude=None, alternative_names=["Luik"])
    url = reverse("partners:city-edit", args=[city.pk])
    page = staff_client.get(url, {"lookup": "1"}).content.decode()
    assert "?place=2792413" in page

    filled = staff_client.get(url, {"place": "2792413"})
    form = filled.context["form"]
    assert form.initial["geonames_id"] == 2792413
    assert round(form.initial["latitude"]) == 51
    assert form.initial["alternative_names"][0] == "Luik"
    assert "Liege" in form.initial["alternative_names"]

    data = form_data(
        city,
        latitude=str(form.initial["latitude"]),
        longitude=str(form.initial["longitude"]),
        population=form.initial["population"],
        geonames_id=form.initial["geonames_id"],
        alternative_names="\n".join(form.initial["alternative_names"]),
    )
    assert staff_client.post(url, data).status_code == 302
    city.refresh_from_db()
    assert city.geonames_id == 2792413
    assert city.latitude == Decimal("50.63373")


def test_no_match_says_so(staff_client):
    city = CityFactory(name="Nowhereville Xyz", country="DE")
    page = staff_client.get(reverse("partners:city-edit", args=[city.pk]), {"lookup": "1"}).content.decode()
    assert "The gazetteer knows no place of this name" in page


def test_the_partnership_page_links_to_the_city_edit(staff_client):
    partnership = PartnershipFactory()
    page = staff_client.get(reverse("partners:partnership-detail", args=[partnership.pk])).content.decode()
    assert reverse("partners:city-edit", args=[partnership.partner_city.pk]) in page


def test_adding_a_city_on_the_page_fills_it_from_the_gazetteer(staff_client):
    response = staff_client.post(reverse("partners:city-create"), {"name": "Krakau", "country": "PL"})
    assert response.status_code == 302
    city = City.objects.get(name="Krakau")
    assert city.geonames_id == 3094802
    assert city.latitude is not None
