"""The partner-city world map in a real browser: every city is drawn and
listed, and the page passes the accessibility check."""

import pytest
from selenium.webdriver.common.by import By

from oia.roles import Role
from tests.factories import CityFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser

PARTNERS = [
    ("Lyon", "FR", 45.76, 4.84, "active"),
    ("Kraków", "PL", 50.06, 19.94, "dormant"),
    ("Guangzhou", "CN", 23.13, 113.26, "frozen"),
    ("Toronto", "CA", 43.65, -79.38, "ended"),
]


def test_staff_sees_every_partner_city_on_the_map_and_in_the_table(page, transactional_db, settings):
    settings.OIA_HOME_CITY = "Frankfurt am Main"
    CityFactory(name="Frankfurt am Main", country="DE", latitude=50.11, longitude=8.68)
    for name, country, latitude, longitude, status in PARTNERS:
        city = CityFactory(name=name, country=country, latitude=latitude, longitude=longitude)
        PartnershipFactory(partner_city=city, status=status)
    UserFactory(username="stefan", role=Role.STAFF)

    page.log_in("stefan")
    page.visit("/partners/map/")

    assert page.heading() == "Partner cities on the map"
    svg = page.find("svg.partner-map-svg[role=img]")
    titles = [
        title.get_attribute("textContent") for title in svg.find_elements(By.CSS_SELECTOR, "g.map-marker > title")
    ]
    assert len(titles) == len(PARTNERS)
    for name, *_ in PARTNERS:
        assert any(title.startswith(f"{name}, ") for title in titles), titles
    markers = svg.find_elements(By.CSS_SELECTOR, "g.map-marker use")
    assert all(marker.rect["width"] > 0 for marker in markers)
    assert len(svg.find_elements(By.CSS_SELECTOR, "path.map-line")) == len(PARTNERS)
    table_cities = [cell.text for cell in page.find_all("table.map-table tbody th[scope=row]")]
    assert sorted(table_cities) == sorted(name for name, *_ in PARTNERS)
