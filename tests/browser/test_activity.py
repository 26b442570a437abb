"""The Activity page in a browser: an administrator opens it from the navigation,
filters it by kind of record and follows a row to the record, whose History
section shows the change; both pages pass axe-core and the CSP detector."""

import pytest
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from partners.models import Partnership
from tests.factories import NetworkFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser


def test_an_administrator_filters_the_activity_and_opens_a_record(page, transactional_db):
    UserFactory(username="dana", role=Role.ADMIN)
    partnership = PartnershipFactory(notes="before")
    Partnership.objects.filter(pk=partnership.pk).update(notes="after")
    NetworkFactory(name="Eurocities")
    page.log_in("dana")

    page.visit("/")
    page.find("nav.main-nav a[href='/activity/']").click()
    page.check_accessibility()
    assert page.heading() == "Activity"

    Select(page.find("#id_kind")).select_by_value("partners.Partnership")
    page.submit("form.filter-form button[type='submit']")
    page.check_accessibility()
    rows = page.find_all("tbody tr")
    assert rows
    assert all("Partnership" in row.text for row in rows)
    assert "Eurocities" not in page.find("main").text

    assert page.find(f"tbody a[href='/partners/{partnership.pk}/']")
    page.visit(f"/partners/{partnership.pk}/")
    page.find("a[href='#record-history']").click()
    history = page.find("#record-history").text
    assert "after" in history
    assert "before" in history
    assert page.take_csp_violations() == []
