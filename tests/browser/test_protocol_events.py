"""An event from its form to a guest's answer by link and its public page, in a real browser."""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.support.ui import Select

from oia.roles import Role
from protocol import services
from protocol.choices import Answer
from protocol.models import Event, Guest
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_plan_an_event_a_guest_answers_by_link_and_the_public_sees_it(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    PersonFactory(name="Claire Dupont", department=None, title="Consul General")
    day = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()

    page.log_in("stefan")
    page.visit("/protocol/events/")
    page.visit("/protocol/events/new/")
    page.find("#id_title").send_keys("Europe Day")
    Select(page.find("#id_kind")).select_by_value("europe_day")
    page.set_value("#id_starts_at", f"{day}T11:00")
    page.find("#id_place").send_keys("Market square")
    page.find("#id_is_public").click()
    page.find("#id_programme").send_keys("11:00 Ode to Joy")
    page.find("#id_internal_notes").send_keys("Ask the fire brigade")
    page.submit("main button[type=submit]")
    assert page.heading() == "Europe Day"

    page.find("a[href$='/guests/new/']").click()
    page.check_accessibility()
    page.choose("#id_person", "dupont")
    page.submit("main button[type=submit]")
    assert "Claire Dupont" in page.find("#guests").text
    page.visit(page.driver.current_url.removeprefix(page.base_url).split("#")[0].rstrip("/") + "/seating/")
    assert "Claire Dupont" in page.find("main").text

    event = Event.objects.get()
    token = services.guest_issue_token(guest=Guest.objects.get())
    page.submit("form[action='/accounts/logout/'] button")  # Sign out

    page.visit(f"/protocol/rsvp/{token}/")
    assert page.heading() == "Europe Day"
    page.find("input[name=answer][value=accepted]").click()
    page.submit("main button[type=submit]")
    assert page.heading() == "Thank you for your answer"
    assert Guest.objects.get().answer == Answer.ACCEPTED

    page.visit("/protocol/public/events/")
    assert "Europe Day" in page.find("main").text
    page.visit(f"/protocol/public/events/{event.pk}/")
    main = page.find("main").text
    assert "11:00 Ode to Joy" in main
    assert "fire brigade" not in main
    assert "Claire Dupont" not in main
