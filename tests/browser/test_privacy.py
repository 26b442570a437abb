"""The record of processing activities in a browser: an administrator opens it
from the navigation; the page passes axe-core and the CSP detector (the fixture)."""

import pytest

from oia.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_an_administrator_opens_the_record_from_the_navigation(page, transactional_db):
    UserFactory(username="dana", role=Role.ADMIN)
    page.log_in("dana")

    page.visit("/")
    page.find("nav.main-nav a[href='/privacy/record/']").click()
    page.check_accessibility()

    assert page.heading() == "Record of processing activities (Art. 30 GDPR)"
    assert page.find("code").text == "auth.User.username"
    assert page.find("a[href='/privacy/record.pdf']").text == "Download as PDF"
    assert page.take_csp_violations() == []
