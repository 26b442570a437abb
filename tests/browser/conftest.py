"""Real headless Chromium (Debian's package) driven by Selenium against
``live_server``. Every page a test visits is checked with axe-core; a serious
or critical accessibility violation fails the test.

The Content-Security-Policy is on, as in production, and any violation fails
the test: a listener for ``securitypolicyviolation``, put into every document
before its own scripts run, keeps each violation in the origin's localStorage
(so one on a page left by a click or a redirect is kept too); the ``page``
fixture asserts after each test that there were none, and that the server's
report endpoint logged none."""

import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import TEST_PASSWORD
from tests.second_factor import code_for_secret, next_code

# Runs in every new document before the page's own scripts (DevTools, so the CSP does not apply to it).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const entry = {
    document: event.documentURI, directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  };
  try {
    const seen = JSON.parse(localStorage.getItem("oiaCspViolations") || "[]");
    seen.push(entry);
    localStorage.setItem("oiaCspViolations", JSON.stringify(seen));
  } catch (error) {
    console.error("CSP violation", JSON.stringify(entry));
  }
}, true);
"""
# A page the CSP detector's own test breaks on purpose; the server's reports about it are expected.
CSP_PROBE_PATH = "/csp-detector-probe/"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def driver():
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium download anything
    profile = tempfile.mkdtemp(prefix="oia-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--lang=en-GB",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.implicitly_wait(0)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Page:
    """A thin wrapper over the driver that checks accessibility on each page."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.axe_source = AXE.read_text()

    def visit(self, path):
        self.driver.get(self.base_url + path)
        self.check_accessibility()

    def take_csp_violations(self, visit_origin=True) -> list[dict]:
        """The violations recorded on this origin since the last call (and forgets them).
        Off the origin, with ``visit_origin`` false, there is nothing to read: []."""
        if not self.driver.current_url.startswith(self.base_url):
            if not visit_origin:
                return []
            # A page that sets the CSRF cookie itself: a bare document (a static
            # file, an error page) would make the browser ask for /favicon.ico
            # without a cookie, and that late answer could replace the next form's cookie.
            self.driver.get(self.base_url + "/accounts/login/")
        return json.loads(
            self.driver.execute_script(
                "const seen = localStorage.getItem('oiaCspViolations') || '[]';"
                "localStorage.removeItem('oiaCspViolations'); return seen;"
            )
        )

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def heading(self):
        return self.find("h1").text

    def set_value(self, css, value):
        """Set a field's value directly: date inputs are typed differently per
        locale, so a test gives the ISO value; a hidden select takes its value."""
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find(css), value)

    def submit(self, button_css):
        """Click a submit button and wait for the next page to load."""
        self.driver.execute_script("window.oiaPreviousPage = true;")
        button = self.find(button_css)
        # Into the middle of the window, as a user scrolls to it: at its edge the
        # messages region, which stays in view, may lie over it.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        WebDriverWait(self.driver, 10).until(
            lambda d: d.execute_script("return !window.oiaPreviousPage && document.readyState === 'complete';")
        )
        self.check_accessibility()

    def choose(self, css, text, label=None):
        """Pick in a searchable picker (static/js/search-select.js) as a user does:
        type ``text``, wait for the match ``label`` (the first one by default), move
        to it with the arrow keys and press Enter."""
        field = self.find(css)
        field.clear()
        field.send_keys(text)
        listbox = self.find("#" + field.get_attribute("aria-controls"))
        WebDriverWait(self.driver, 10).until(lambda d: listbox.is_displayed() and listbox.text)
        options = [option.text for option in listbox.find_elements(By.CSS_SELECTOR, "[role=option]")]
        for _ in range(options.index(label) + 1 if label else 1):
            field.send_keys(Keys.ARROW_DOWN)
        field.send_keys(Keys.ENTER)

    def log_in(self, username, password=TEST_PASSWORD):
        """Sign in with the password, then the second factor where asked: an
        administrator without an app sets one up from the page's secret (and
        goes on past the recovery codes); one with an app enters its code."""
        self.visit("/accounts/login/")
        self.find("#id_username").send_keys(username)
        self.find("#id_password").send_keys(password)
        self.submit("main button[type=submit]")
        path = urlparse(self.driver.current_url).path
        if path == reverse("two_factor_enrol"):
            self.find("#id_code").send_keys(code_for_secret(self.find("#otp-secret").text))
            self.submit("main button[type=submit]")
            assert len(self.find_all("#recovery-codes li")) == 10
            self.submit("main a[role=button]")
        elif path == reverse("two_factor_verify"):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            self.find("#id_code").send_keys(next_code(device))
            self.submit("main button[type=submit]")

    def check_accessibility(self):
        self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
            ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{error: String(e)}])));"
        )
        violations = json.loads(result)
        blocking = [v for v in violations if v.get("error") or v.get("impact") in ("serious", "critical")]
        assert not blocking, f"Accessibility violations on {self.driver.current_url}: " + json.dumps(
            [
                {
                    "id": v.get("id"),
                    "impact": v.get("impact"),
                    "help": v.get("help"),
                    "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
                    "error": v.get("error"),
                }
                for v in blocking
            ],
            indent=1,
        )


@pytest.fixture
def page(driver, live_server, security_log):
    driver.delete_all_cookies()
    page = Page(driver, live_server.url)
    page.take_csp_violations(visit_origin=False)  # none left over from another test (a fresh browser has none)
    yield page
    violations = page.take_csp_violations()
    assert not violations, "Content-Security-Policy violations:\n" + json.dumps(violations, indent=1)
    reported = [e for e in security_log.events("csp_violation") if CSP_PROBE_PATH not in e.get("document_uri", "")]
    assert not reported, "The CSP report endpoint logged violations:\n" + json.dumps(reported, indent=1)
