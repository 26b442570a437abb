"""The object pages (partnership, network, budget line, event, consular post) in
a real browser: each passes axe with its summary and actions; a destructive step
asks in a dialog first, Escape and "Go back" leave everything as it was, and yes
does it (a delete link posts its hidden form; a cancel form sends its reason)."""

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from oia.roles import Role
from partners.models import Contact
from protocol.choices import EventStatus
from tests.factories import (
    BudgetLineFactory,
    CityFactory,
    ConsularPostFactory,
    ContactFactory,
    EventFactory,
    GuestFactory,
    MembershipFactory,
    NetworkActivityFactory,
    NetworkFactory,
    PartnershipFactory,
    SubPartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def dialog_closed(page):
    dialog = page.find("dialog.confirm-dialog")
    WebDriverWait(page.driver, 5).until(lambda d: dialog.get_attribute("open") is None)


def test_every_object_page_shows_summary_and_actions_and_passes_axe(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    partnership = PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"), status="dormant")
    SubPartnershipFactory(partnership=partnership)
    ContactFactory(partnership=partnership)
    network = NetworkFactory(name="Eurocities")
    MembershipFactory(network=network)
    NetworkActivityFactory(network=network)
    line = BudgetLineFactory(partnership=partnership)
    event = EventFactory(title="Europe Day")
    GuestFactory(event=event)
    post = ConsularPostFactory(name="Consulate-General of France")

    page.log_in("stefan")
    for path in (
        f"/partners/{partnership.pk}/",
        f"/networks/{network.pk}/",
        f"/budget/lines/{line.pk}/",
        f"/protocol/events/{event.pk}/",
        f"/protocol/consular-posts/{post.pk}/",
    ):
        page.visit(path)
        assert page.find(".object-header h1").text, path
        assert page.find("#summary .facts").is_displayed(), path
        assert page.find("#actions .actions a[role=button]").is_displayed(), path
        assert page.find("nav.section-nav").is_displayed(), path


def test_deleting_a_contact_asks_first_escape_and_going_back_keep_it_yes_deletes(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    contact = ContactFactory(name="Anna Nowak")
    page.log_in("stefan")
    page.visit(f"/partners/{contact.partnership.pk}/")
    delete = f"#contacts a[data-confirm-form='partners-contact-delete-{contact.pk}']"
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", page.find(delete))

    page.find(delete).click()
    dialog = page.find("dialog.confirm-dialog")
    assert dialog.get_attribute("open") is not None
    assert "Do you really want to delete “Anna Nowak”? This cannot be undone." in dialog.text
    assert page.driver.switch_to.active_element == page.find("#confirm-dialog-no")
    page.check_accessibility()
    page.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    dialog_closed(page)
    assert page.driver.switch_to.active_element == page.find(delete), "the focus is back on the link"
    assert page.driver.current_url.endswith(f"/partners/{contact.partnership.pk}/"), "no confirmation page opened"

    page.find(delete).click()
    page.find("#confirm-dialog-no").click()  # Go back
    dialog_closed(page)
    assert Contact.objects.filter(pk=contact.pk).exists()

    page.find(delete).click()
    page.submit("#confirm-dialog-yes")

    assert "The contact was deleted." in page.find("main").text
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_cancelling_an_event_asks_first_escape_keeps_it_yes_cancels_with_the_reason(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    event = EventFactory(title="Europe Day")
    page.log_in("stefan")
    page.visit(f"/protocol/events/{event.pk}/")
    cancel = "#cancel-event button[type=submit]"

    page.find("#cancel-reason").send_keys("The square is closed for works.")
    page.find(cancel).click()
    dialog = page.find("dialog.confirm-dialog")
    assert "Cancel “Europe Day”?" in dialog.text
    assert page.find("#confirm-dialog-yes").text == "Cancel the event"
    page.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    dialog_closed(page)
    assert page.driver.switch_to.active_element == page.find(cancel)
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED

    page.find(cancel).click()
    page.submit("#confirm-dialog-yes")

    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert event.cancellation_reason == "The square is closed for works."
    assert page.find(".object-header .status").text == "Cancelled"
    assert not page.find_all("#cancel-event")
