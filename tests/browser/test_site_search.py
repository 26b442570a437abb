"""The header's search box, used with the keyboard only: type, move down to
a record with the arrow keys, Enter opens it; axe finds nothing serious with
the suggestions open, and the form still works without the suggestions."""

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from oia.roles import Role
from tests.factories import CityFactory, DelegationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def open_suggestions(page, text):
    field = page.find("#site-search-q")
    field.send_keys(text)
    listbox = page.find("#" + field.get_attribute("aria-controls"))
    WebDriverWait(page.driver, 10).until(lambda d: listbox.is_displayed() and listbox.text)
    return field, listbox


def test_staff_type_a_city_s_other_name_arrow_down_and_land_on_the_record(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    cologne = CityFactory(name="Köln", country="DE", alternative_names=["Cologne"])
    DelegationFactory(title="Cologne carnival visit", city=cologne)
    PersonFactory(name="Colin Firth")

    page.log_in("stefan")
    field = page.find("#site-search-q")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    field, listbox = open_suggestions(page, "colo")
    assert field.get_attribute("aria-expanded") == "true"
    groups = [
        group.get_attribute("textContent") for group in listbox.find_elements("css selector", ".site-search-heading")
    ]
    assert groups == ["Cities (1)", "Delegations (1)"]
    options = [option.text.splitlines()[0] for option in listbox.find_elements("css selector", "[role=option]")]
    assert options == ["Köln (DE)", "Cologne carnival visit", "All results for “colo”"]
    page.check_accessibility()  # with the suggestions open

    field.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    active = page.find("#" + field.get_attribute("aria-activedescendant"))
    assert active.text.startswith("Cologne carnival visit")
    assert active.get_attribute("aria-selected") == "true"
    field.send_keys(Keys.ARROW_UP)
    assert page.find("#" + field.get_attribute("aria-activedescendant")).text.startswith("Köln (DE)")

    page.driver.execute_script("window.oiaPreviousPage = true;")
    field.send_keys(Keys.ENTER)
    WebDriverWait(page.driver, 10).until(
        lambda d: d.execute_script("return !window.oiaPreviousPage && document.readyState === 'complete';")
    )
    assert page.driver.current_url.endswith(f"/partners/cities/{cologne.pk}/")
    page.check_accessibility()


def test_escape_closes_then_clears_and_enter_without_a_choice_shows_all_results(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    CityFactory(name="Lyon", country="FR")

    page.log_in("stefan")
    field, listbox = open_suggestions(page, "lyo")
    field.send_keys(Keys.ESCAPE)
    assert not listbox.is_displayed()
    assert field.get_attribute("aria-expanded") == "false"
    assert field.get_attribute("value") == "lyo"
    field.send_keys(Keys.ESCAPE)
    assert field.get_attribute("value") == ""

    field.send_keys("lyon")
    page.driver.execute_script("window.oiaPreviousPage = true;")
    field.send_keys(Keys.ENTER)
    WebDriverWait(page.driver, 10).until(
        lambda d: d.execute_script("return !window.oiaPreviousPage && document.readyState === 'complete';")
    )
    assert "/search/?q=lyon" in page.driver.current_url
    assert page.heading() == "Search"
    assert page.find("main h2").text == "Cities (1)"
    page.check_accessibility()


def test_council_members_see_no_search_box(page, transactional_db):
    UserFactory(username="clara", role=Role.COUNCIL)
    page.log_in("clara")
    assert page.find_all("#site-search-q") == []
