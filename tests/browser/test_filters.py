"""Filters fold away so the results start above the fold (1280 x 900), the
active ones show as chips a keyboard user can remove one by one, and a choice
of several is a group of checkboxes."""

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from oia.roles import Role
from tests.factories import CityFactory, DelegationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser

IN_VIEWPORT = """
const box = arguments[0].getBoundingClientRect();
return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
"""


def first_row_in_view(page) -> bool:
    assert page.driver.execute_script("return [window.innerWidth, window.innerHeight];")[0] == 1280
    return page.driver.execute_script(IN_VIEWPORT, page.find("main tbody tr"))


def query(page) -> dict:
    return parse_qs(urlparse(page.driver.current_url).query)


def test_the_delegation_list_starts_above_the_fold_and_its_chips_remove_one_filter_each(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    for number in range(25):
        DelegationFactory(direction="inbound", status="confirmed", purpose="conference", title=f"Choir {number}")
    DelegationFactory(direction="inbound", status="requested", purpose="conference", title="Youth orchestra")
    page.log_in("stefan")

    page.visit("/delegations/")
    assert page.find("details.filter-details").get_attribute("open") is None
    assert first_row_in_view(page)

    page.visit("/delegations/?status=confirmed&status=requested&purpose=conference&ordering=title")
    assert first_row_in_view(page)
    assert page.find("details.filter-details summary").text == "Filters (3 active)"
    chips = page.find_all(".filter-chips a.filter-chip")
    names = [" ".join(chip.get_attribute("textContent").replace("×", "").split()) for chip in chips]
    assert names == [
        "Remove filter: Status: Confirmed",
        "Remove filter: Status: Requested",
        "Remove filter: Purpose: Conference",
    ]
    assert page.find(".filter-chips a.filter-clear").text == "Clear all"

    page.driver.execute_script("window.oiaPreviousPage = true;")
    chips[0].send_keys(Keys.ENTER)
    WebDriverWait(page.driver, 10).until(lambda d: d.execute_script("return !window.oiaPreviousPage;"))
    page.check_accessibility()
    assert query(page) == {"status": ["requested"], "purpose": ["conference"], "ordering": ["title"]}
    table = page.find("main tbody").text
    assert "Youth orchestra" in table
    assert "Choir" not in table

    page.find(".filter-chips a.filter-clear").click()
    page.check_accessibility()
    assert query(page) == {"ordering": ["title"]}
    assert page.find_all(".filter-chips") == []


def test_a_choice_of_several_is_a_group_of_checkboxes(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    DelegationFactory(direction="inbound", status="confirmed", title="Choir")
    DelegationFactory(direction="inbound", status="requested", title="Youth orchestra")
    page.log_in("stefan")

    page.visit("/delegations/")
    assert page.find_all(".filter-form select[multiple]") == []
    page.find("details.filter-details summary").click()
    status = page.find("fieldset.filter-choices:has(input[name=status])")
    assert status.find_element("css selector", "legend").text == "Status"
    status.find_element("css selector", "input[value=requested]").click()
    page.submit("details.filter-details button[type=submit]")

    assert query(page)["status"] == ["requested"]
    table = page.find("main tbody").text
    assert "Youth orchestra" in table
    assert "Choir" not in table
    assert page.find("input[name=status][value=requested]").is_selected()


def test_the_partnership_list_starts_above_the_fold(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    for name in ("Lyon", "Kraków", "Tel Aviv", "Guangzhou", "Milano", "Toronto"):
        PartnershipFactory(partner_city=CityFactory(name=name))
    page.log_in("stefan")

    page.visit("/partners/")
    assert first_row_in_view(page)
    page.visit("/partners/?status=active&q=o")
    assert first_row_in_view(page)
    assert "Remove filter: City name: o" in " ".join(
        chip.get_attribute("textContent") for chip in page.find_all(".filter-chip")
    )
