"""Office staff work with partnerships in a real browser."""

import datetime

import pytest
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from tests.factories import CityFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_filters_opens_a_partnership_and_records_a_status_change(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    PartnershipFactory(partner_city=CityFactory(name="Łódź", country="PL"), formalised_on=datetime.date(1988, 1, 1))
    PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"))
    page.log_in("stefan")
    page.visit("/partners/")

    page.find("#id_q").send_keys("lodz")
    page.submit(".filter-form button[type=submit]")
    rows = page.find_all("tbody tr")
    assert len(rows) == 1
    assert "Łódź" in rows[0].text

    page.find("tbody tr a").click()
    page.check_accessibility()
    assert page.heading() == "Łódź"

    page.find("a[href$='/status/']").click()
    page.check_accessibility()
    Select(page.find("#id_status")).select_by_value("dormant")
    page.find("#id_reason").send_keys("No exchange since the last jubilee.")
    page.submit("main button[type=submit]")

    timeline = page.find("#timeline").text
    assert "Dormant" in timeline
    assert "No exchange since the last jubilee." in timeline
    assert "The status change was recorded." in page.find("main").text
    assert timeline.index("Dormant") < timeline.index("Active"), "newest entry first"
