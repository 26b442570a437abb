"""The first things a user does, in a real browser."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_staff_logs_in_and_sees_the_dashboard(page, transactional_db):
    UserFactory(username="stefan", first_name="Stefan", role=Role.STAFF)

    page.log_in("stefan")

    assert page.heading() == "Dashboard"
    assert "Welcome, Stefan" in page.find("main").text
    nav = page.find("nav.main-nav").text
    assert "Partner cities" in nav
    assert "Budget" in nav


def test_club_leader_finds_no_budget_link(page, transactional_db):
    UserFactory(username="klaus", role=Role.CLUB_LEADER)

    page.log_in("klaus")

    assert page.heading() == "Your club"
    links = [a.text for a in page.find_all("a")]
    assert "Budget" not in links
    assert not page.find_all("a[href='/budget/']")


def test_switching_to_german_shows_german_labels(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    page.log_in("stefan")

    Select(page.find("#language-select")).select_by_value("de")
    page.submit(".language-switch button")

    assert page.find("html").get_attribute("lang") == "de"
    assert page.heading() == "Übersicht"
    assert "Partnerstädte" in page.find("nav.main-nav").text


def test_wrong_password_is_explained_and_the_username_kept(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)

    page.log_in("stefan", password="not-the-password")

    assert page.heading() == "Sign in"
    assert "correct username and password" in page.find("[role=alert]").text
    assert page.find("#id_username").get_attribute("value") == "stefan"


def test_keyboard_user_can_skip_to_main_content(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    page.log_in("stefan")

    ActionChains(page.driver).send_keys(Keys.TAB).perform()
    focused = page.driver.switch_to.active_element

    assert focused.get_attribute("class") == "skip-link", focused.get_attribute("outerHTML")[:200]
    assert focused.is_displayed()
    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    assert page.driver.switch_to.active_element.get_attribute("id") == "main"


def test_five_wrong_passwords_lock_the_sign_in_with_a_clear_message(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    for _ in range(5):
        page.log_in("stefan", password="wrong-password-1")

    page.log_in("stefan")  # the right one, refused while the lockout lasts (checked for accessibility too)

    assert page.heading() == "Sign in"
    assert "Too many failed sign-ins" in page.find("[role=alert]").text
