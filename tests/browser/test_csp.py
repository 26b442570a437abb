"""The browser tests' Content-Security-Policy detector detects: a page that
breaks the policy on purpose is caught (and the script did not run)."""

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from oia.roles import Role
from tests.browser.conftest import CSP_PROBE_PATH
from tests.factories import CityFactory, DelegationFactory, UserFactory

pytestmark = pytest.mark.browser

INJECT = """
const script = document.createElement("script");
script.textContent = "window.oiaInlineScriptRan = true;";
document.body.appendChild(script);
const style = document.createElement("style");
style.textContent = "body { background: red; }";
document.head.appendChild(style);
"""


def test_an_injected_inline_script_and_style_are_blocked_and_detected(page, transactional_db, security_log):
    page.driver.get(page.base_url + CSP_PROBE_PATH)  # our 404 page, under the policy

    page.driver.execute_script(INJECT)
    WebDriverWait(page.driver, 10).until(
        lambda d: len(d.execute_script("return JSON.parse(localStorage.getItem('oiaCspViolations') || '[]')")) >= 2
    )

    violations = page.take_csp_violations()
    assert sorted(v["directive"] for v in violations) == ["script-src-elem", "style-src-elem"]
    assert {v["blocked"] for v in violations} == {"inline"}
    assert all(v["document"].endswith(CSP_PROBE_PATH) for v in violations)
    assert page.driver.execute_script("return window.oiaInlineScriptRan === undefined")
    # The browser reported both to the endpoint, which logged them.
    deadline = time.monotonic() + 10
    while len(security_log.events("csp_violation")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    logged = security_log.events("csp_violation")
    assert sorted(event["violated_directive"] for event in logged) == ["script-src-elem", "style-src-elem"]
    assert {event["blocked_uri"] for event in logged} == {"inline"}
    assert all(event["document_uri"].endswith(CSP_PROBE_PATH) for event in logged)


def test_a_page_of_ours_passes_the_detector(page, transactional_db):
    page.visit("/accounts/login/")

    assert page.take_csp_violations() == []


def test_api_docs_browsable_api_admin_and_error_pages_keep_the_policy(page, transactional_db):
    """Third-party pages (Swagger UI, DRF, Django's admin) are not ours to make
    accessible, so only the policy is checked here (after each test, by the fixture)."""
    CityFactory.create_batch(2)
    UserFactory(username="alexandra", role=Role.ADMIN)
    page.log_in("alexandra")

    page.driver.get(page.base_url + "/api/docs/")
    WebDriverWait(page.driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))
    paths = ("/api/cities/", "/api/cities/?ordering=name", "/api/", "/admin/", "/admin/auth/user/", "/no-such-page/")
    for path in paths:
        page.driver.get(page.base_url + path)
        WebDriverWait(page.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    page.driver.get(page.base_url + "/api/cities/")
    page.find("button[data-target='#filtersModal']").click()
    WebDriverWait(page.driver, 10).until(lambda d: d.find_element(By.ID, "filtersModal").is_displayed())


def test_calendar_notifications_and_a_refusal_keep_the_policy(page, transactional_db):
    DelegationFactory()
    UserFactory(username="stefan", role=Role.STAFF)
    UserFactory(username="klaus", role=Role.CLUB_LEADER)
    page.log_in("stefan")
    for path in ("/delegations/calendar/", "/notifications/", "/partners/map/", "/budget/"):
        page.visit(path)
    page.driver.delete_all_cookies()

    page.log_in("klaus")
    page.visit("/budget/")

    assert page.heading() == "Access denied"
