"""Staff open the city ambassadors' list, an ambassador's page and log an
activity, in a real browser, without serious accessibility violations."""

import pytest
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from protocol.models import AmbassadorActivity
from tests.factories import AmbassadorActivityFactory, AmbassadorFactory, CityFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_open_an_ambassador_and_log_an_activity(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    ambassador = AmbassadorFactory(
        person=PersonFactory(name="Kenji Watanabe", department=None, title=""),
        city=CityFactory(name="Yokohama", country="JP"),
        areas=["culture", "education"],
    )
    AmbassadorActivityFactory(ambassador=ambassador, description="Opened the Japan Day")

    page.log_in("stefan")
    page.visit("/protocol/ambassadors/")
    page.check_accessibility()
    assert page.heading() == "City ambassadors"
    page.find("main table a").click()

    assert page.heading() == "Kenji Watanabe"
    assert "Yokohama" in page.find("main").text
    assert "Opened the Japan Day" in page.find("#activities").text
    page.check_accessibility()

    page.find("#activities a[href$='/activities/new/']").click()
    page.check_accessibility()
    page.set_value("#id_date", "2026-03-02")
    Select(page.find("#id_kind")).select_by_value("introduction")
    page.find("#id_description").send_keys("Arranged the students' visit")
    page.submit("main button[type=submit]")

    assert "The activity was logged." in page.find("main").text
    assert "Arranged the students' visit" in page.find("#activities").text
    assert AmbassadorActivity.objects.count() == 2
