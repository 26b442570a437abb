"""People and roles in a browser: an administrator invites a club leader, the
invitation leaves through a real Celery worker, the leader opens the link from
the e-mail, sets a password and signs in to their club's portal. Every page
passes axe-core and the CSP detector (the ``page`` fixture)."""

import email
import time
from urllib.parse import urlparse

import pytest
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from tests.factories import ClubFactory, UserFactory

pytestmark = pytest.mark.browser


def wait_for(condition, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


# A real worker process starts first: on a busy machine that alone takes minutes.
@pytest.mark.timeout(900)
def test_an_invited_club_leader_sets_a_password_from_the_mail_and_signs_in(page, celery_workers, tmp_path):
    celery_workers.start(
        "mail",
        OIA_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        OIA_TEST_EMAIL_FILE_PATH=tmp_path,
    )
    UserFactory(username="dana", role=Role.ADMIN)
    ClubFactory(name="Freundeskreis Kiel e.V.")
    page.log_in("dana")

    page.visit("/")
    page.find("nav.main-nav a[href='/people/']").click()
    page.check_accessibility()
    assert page.heading() == "People and roles"
    page.find("main a[href='/people/invite/']").click()
    page.check_accessibility()
    page.find("#id_first_name").send_keys("Jonas")
    page.find("#id_last_name").send_keys("Meier")
    page.find("#id_email").send_keys("jonas@example.org")
    page.find("input[name=role][value=club_leader]").click()
    Select(page.find("#id_affiliation")).select_by_visible_text("Freundeskreis Kiel e.V.")
    page.submit("main form button[type=submit]")

    assert page.heading() == "Jonas Meier"
    assert "invited, no password yet" in page.find("main").text
    assert wait_for(lambda: any(tmp_path.iterdir()))
    message = email.message_from_bytes(next(tmp_path.iterdir()).read_bytes().split(b"\n" + b"-" * 79)[0])
    assert message["To"] == "jonas@example.org"
    body = message.get_payload(decode=True).decode()
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line).strip()

    page.driver.delete_all_cookies()  # the leader's own browser
    page.visit(urlparse(link).path)
    assert page.heading() == "Set your password"
    page.find("#id_new_password1").send_keys("Kiel-Lyon-2026!")
    page.find("#id_new_password2").send_keys("Kiel-Lyon-2026!")
    page.submit("main button[type=submit]")
    page.log_in("jonas@example.org", password="Kiel-Lyon-2026!")

    page.visit("/portal/")
    assert "Freundeskreis Kiel e.V." in page.find("main").text
    assert page.find_all("nav.main-nav a[href='/people/']") == []
