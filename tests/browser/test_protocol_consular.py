"""The Consular Corps in a real browser: staff open the list of posts, a
post, the order of precedence and the national days, and record a greeting;
every page passes axe with no serious or critical violation."""

import datetime

import pytest
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from protocol.models import NationalDayObservance
from tests.factories import ConsularPostFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_browse_the_consular_corps_and_record_a_greeting(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    france = ConsularPostFactory(
        name="Consulate-General of France",
        head=PersonFactory(name="Marie Laurent", department=None),
        national_day_name="Fête nationale",
        email="info@fr.example",
    )
    ConsularPostFactory(
        name="Honorary Consulate of Ireland",
        country="IE",
        kind="honorary_consulate",
        head=PersonFactory(name="Sean Byrne", department=None),
        head_category="honorary",
        head_class=2,
        national_day_month=3,
        national_day_day=17,
        exequatur_on=datetime.date(2010, 1, 1),
    )

    page.log_in("stefan")
    page.visit("/protocol/consular-posts/")
    assert page.heading() == "Consular Corps"
    assert "Honorary Consulate of Ireland" in page.find("main table").text

    page.find(f"a[href='/protocol/consular-posts/{france.pk}/']").click()
    page.check_accessibility()
    assert page.heading() == "Consulate-General of France"
    assert "Marie Laurent" in page.find("#head").text

    page.visit("/protocol/consular-posts/new/")
    page.visit("/protocol/precedence/")
    rows = page.find_all("main table tbody tr")
    assert "Marie Laurent" in rows[0].text
    assert "Sean Byrne" in rows[1].text

    page.visit("/protocol/national-days/")
    row = page.find(f"#national-day-{france.pk}")
    Select(row.find_element("css selector", "select")).select_by_value("greeting")
    page.submit(f"#national-day-{france.pk} button[type=submit]")

    assert "Recorded for the national day of Consulate-General of France." in page.find("main").text
    assert "greeting sent" in page.find(f"#national-day-{france.pk}").text
    assert NationalDayObservance.objects.get(post=france).kind == "greeting"
