"""The searchable city filter of the delegation list, used with the keyboard only."""

import datetime

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from oia.roles import Role
from tests.factories import CityFactory, DelegationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_find_a_city_by_typing_pick_it_with_the_keyboard_and_see_its_delegations(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    lyon = CityFactory(name="Lyon", country="FR")
    CityFactory(name="Lymington", country="GB")
    CityFactory(name="Linz", country="AT")
    DelegationFactory(title="Festival of Lights", city=lyon, start_on=datetime.date(2026, 12, 8))
    DelegationFactory(title="Ars Electronica", city=CityFactory(name="Lille"), start_on=datetime.date(2026, 9, 3))

    page.log_in("stefan")
    page.visit("/delegations/?year=2026")
    page.find("details.filter-details summary").click()  # the filters are folded away
    field = page.find("#id_city")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    assert page.find("label[for=id_city]").text == "City"

    field.send_keys("ly")
    listbox = page.find("#id_city-listbox")
    WebDriverWait(page.driver, 10).until(lambda d: listbox.is_displayed())
    assert [option.text for option in listbox.find_elements("css selector", "[role=option]")] == [
        "Lymington (GB)",
        "Lyon (FR)",
    ]
    assert field.get_attribute("aria-expanded") == "true"
    status = page.find(".search-select [role=status]")
    assert status.get_attribute("textContent") == "2 matches."
    page.check_accessibility()  # with the list open

    field.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    active = page.find("#" + field.get_attribute("aria-activedescendant"))
    assert active.text == "Lyon (FR)"
    assert active.get_attribute("aria-selected") == "true"
    field.send_keys(Keys.ENTER)
    assert field.get_attribute("value") == "Lyon (FR)"
    assert field.get_attribute("aria-expanded") == "false"
    assert not listbox.is_displayed()

    page.submit(".filter-form button[type=submit]")
    assert "city=" + str(lyon.pk) in page.driver.current_url
    table = page.find("main table").text
    assert "Festival of Lights" in table
    assert "Ars Electronica" not in table
    assert page.find("#id_city").get_attribute("value") == "Lyon (FR)"


def test_escape_closes_the_matches_and_leaves_the_choice_as_it_was(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    CityFactory(name="Lyon", country="FR")

    page.log_in("stefan")
    page.visit("/delegations/")
    page.find("details.filter-details summary").click()  # the filters are folded away
    field = page.find("#id_city")
    field.send_keys("lyo")
    listbox = page.find("#id_city-listbox")
    WebDriverWait(page.driver, 10).until(lambda d: listbox.is_displayed())
    field.send_keys(Keys.ESCAPE)
    assert not listbox.is_displayed()
    assert field.get_attribute("aria-expanded") == "false"
    assert page.find("#id_city-value").get_attribute("value") == ""

    page.submit(".filter-form button[type=submit]")
    assert "city=&" in page.driver.current_url or page.driver.current_url.endswith("city=")
