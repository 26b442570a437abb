"""Feedback where the eye is: after a save, a refusal and a form error the
message is inside the window (the page may have opened at a section far down)
and is announced (role=status for news, role=alert for a refusal or an error)."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from delegations.models import ProgrammeItem
from oia.roles import Role
from tests.factories import DelegationFactory, ParticipantFactory, ProgrammeItemFactory, UserFactory

pytestmark = pytest.mark.browser

IN_VIEWPORT = """
const box = arguments[0].getBoundingClientRect();
return box.height > 0 && box.top >= 0 && box.left >= 0
  && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
"""


def in_viewport(page, element) -> bool:
    return page.driver.execute_script(IN_VIEWPORT, element)


def scrolled_down(page) -> bool:
    return page.driver.execute_script("return window.scrollY > 0;")


def a_long_delegation(**fields):
    """A trip whose page is several windows long, so its sections lie far below the top."""
    delegation = DelegationFactory(**fields)
    ParticipantFactory.create_batch(30, delegation=delegation)
    ProgrammeItemFactory.create_batch(10, delegation=delegation)
    return delegation


def test_the_confirmation_of_a_save_is_in_view_where_the_page_opens(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    delegation = a_long_delegation()
    page.log_in("stefan")

    page.visit(f"/delegations/{delegation.pk}/programme/new/")
    page.find("#id_title").send_keys("Visit of the harbour")
    page.submit("main button[type=submit]")

    assert page.driver.current_url.endswith("#programme")
    assert scrolled_down(page), "the page opened at the programme, further down"
    message = page.find(".message")
    assert message.get_attribute("role") == "status"
    assert "The programme item was added." in message.text
    assert in_viewport(page, message)
    assert in_viewport(page, page.find("#programme-heading")), "the section is not hidden under the message"

    page.find(".message button[data-dismiss-message]").click()
    assert page.find_all(".message") == []


def test_a_refused_workflow_step_is_in_view_and_read_out(page, transactional_db):
    UserFactory(username="dana", role=Role.ADMIN)
    delegation = a_long_delegation(status="submitted")
    page.log_in("dana")
    page.visit(f"/delegations/{delegation.pk}/")
    # Someone removes the programme while the page is open: the rules now refuse the approval.
    ProgrammeItem.objects.filter(delegation=delegation).delete()

    page.submit("form:has(input[name=to_status][value=approved]) button[type=submit]")

    assert page.driver.current_url.endswith("#workflow")
    assert scrolled_down(page)
    message = page.find(".message")
    assert message.get_attribute("role") == "alert"
    assert "A trip cannot be approved without a working programme." in message.text
    assert in_viewport(page, message)


def test_a_form_with_errors_shows_the_summary_in_view_focused_and_linked_to_the_fields(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    delegation = a_long_delegation()
    page.log_in("stefan")

    page.visit(f"/delegations/{delegation.pk}/programme/new/")
    page.set_value("#id_date", "")
    page.submit("main button[type=submit]")

    summary = page.find(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "There is a problem" in summary.text
    assert in_viewport(page, summary)
    assert page.driver.execute_script("return document.activeElement === arguments[0];", summary)
    links = [link.get_attribute("href").split("#")[1] for link in summary.find_elements("css selector", "a")]
    assert links == ["id_date", "id_title"]

    title = page.find("#id_title")
    assert title.get_attribute("aria-invalid") == "true"
    assert "id_title_error" in title.get_attribute("aria-describedby").split()
    summary.find_element("css selector", "a[href='#id_title']").click()
    assert page.driver.execute_script("return document.activeElement.id;") == "id_title"
    assert in_viewport(page, page.find("label[for=id_title]"))


def test_deleting_a_row_someone_else_deleted_meanwhile_says_so_instead_of_nothing(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    delegation = a_long_delegation()
    gone = ProgrammeItemFactory(delegation=delegation, title="Visit of the tram depot")
    page.log_in("stefan")
    page.visit(f"/delegations/{delegation.pk}/")
    # A colleague deletes the item while the page is open: its delete answers 404.
    ProgrammeItem.objects.filter(pk=gone.pk).delete()

    delete = f"#programme form[action='/delegations/programme/{gone.pk}/delete/'] button"
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", page.find(delete))
    page.find(delete).click()
    page.find("#confirm-dialog-yes").click()

    WebDriverWait(page.driver, 10).until(lambda d: page.find_all(".message[role=alert]"))
    message = page.find(".message[role=alert]")
    assert "This is no longer there: someone else may have deleted it." in message.text
    assert in_viewport(page, message)
    page.check_accessibility()

    page.find(".message button[data-dismiss-message]").click()
    assert page.find_all(".message") == []
