"""Planning an outbound delegation in one place, counted as a user does it, and
the confirmation before a destructive workflow step, in a real browser.

The target of issue 20: a trip with two participants (one already recorded,
one new), a three-item programme and two costs in at most 25 actions on at
most 2 pages (it took about 61 actions over 9 forms). Gifts and outcomes are
recorded in place too, and a row is deleted after the page's dialog asked."""

import datetime
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from delegations.models import Delegation, Gift, Outcome, ProgrammeItem
from oia.roles import Role
from tests.factories import (
    CityFactory,
    DelegationFactory,
    DepartmentFactory,
    PartnershipFactory,
    PersonFactory,
    ProgrammeItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

ACTION_LIMIT = 25
PAGE_LIMIT = 2


class CountedUser:
    """Does what a user does on the pages and counts it: each click, each typed
    field, each selection, each key (Enter, an arrow) is one action; the pages
    are the distinct URL paths the browser went to (htmx swaps are not pages)."""

    def __init__(self, page):
        self.page = page
        self.actions = []
        self.paths = []

    def _did(self, action):
        self.actions.append(action)
        path = urlparse(self.page.driver.current_url).path
        if path not in self.paths:
            self.paths.append(path)

    def click(self, css, *, loads_page=False):
        if loads_page:
            self.page.submit(css)
        else:
            self.page.find(css).click()
        self._did(f"click {css}")

    def type(self, css, text):
        field = self.page.find(css)
        field.clear()
        field.send_keys(text)
        self._did(f"type {css}")

    def date(self, css, iso_day):
        """Typing a date (given as ISO: the typed form differs by locale)."""
        self.page.set_value(css, iso_day)
        self._did(f"type {css}")

    def select(self, css, value):
        Select(self.page.find(css)).select_by_value(value)
        self._did(f"select {css}")

    def press(self, css, key, name):
        self.page.find(css).send_keys(key)
        self._did(f"{name} in {css}")

    def pick(self, css, text, label):
        """Type into a searchable picker and take the first match starting with
        ``label``: with Enter if it is the first one, else the arrow keys and Enter."""
        self.type(css, text)
        field = self.page.find(css)
        listbox = self.page.find("#" + field.get_attribute("aria-controls"))
        WebDriverWait(self.page.driver, 10).until(lambda d: listbox.is_displayed() and label in listbox.text)
        options = [option.text for option in listbox.find_elements(By.CSS_SELECTOR, "[role=option]")]
        position = next(index for index, option in enumerate(options) if option.startswith(label))
        for _ in range(position):
            self.press(css, Keys.ARROW_DOWN, "arrow down")
        self.press(css, Keys.ENTER, "Enter")

    def wait_for(self, css, text):
        # htmx swaps the section: the element found may be replaced before its text is read.
        WebDriverWait(self.page.driver, 10, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: text in d.find_element(By.CSS_SELECTOR, css).text
        )


def test_staff_plan_a_trip_with_people_programme_and_costs_in_at_most_25_actions_on_2_pages(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    lyon = CityFactory(name="Lyon", country="FR")
    partnership = PartnershipFactory(partner_city=lyon)
    mayors_office = DepartmentFactory(name="Mayor's Office")
    anna = PersonFactory(name="Anna Berg", department=mayors_office)
    for index in range(80):
        PersonFactory(name=f"Colleague {index:02d}")
    page.log_in("stefan")
    page.visit("/delegations/")
    user = CountedUser(page)

    user.click("a[href='/delegations/new/?direction=outbound']", loads_page=True)
    user.type("#id_title", "Anniversary in Lyon")
    user.select("#id_purpose", "anniversary")
    user.pick("#id_city", "lyon", "Lyon")
    WebDriverWait(page.driver, 10).until(lambda d: page.find("#id_partnership").get_attribute("value"))
    user.date("#id_start_on", "2026-05-04")
    user.date("#id_end_on", "2026-05-07")
    user.select("#id_department", str(mayors_office.pk))
    user.click("main button[type=submit]", loads_page=True)
    assert page.heading() == "Anniversary in Lyon"

    user.pick("#participant-person", "berg", "Anna Berg")
    user.click("#participants .inline-add button[type=submit]")
    user.wait_for("#participants", "Anna Berg was added.")
    user.pick("#participant-person", "Maria Neumann", "New person: Maria Neumann")
    assert page.find("#id_new_person-name").get_attribute("value") == "Maria Neumann"
    user.click("#participants .inline-add button[type=submit]")
    user.wait_for("#participants", "Maria Neumann was added.")

    for title in ("Reception at the Hôtel de Ville", "Visit of the tram depot", "Meeting with the twinning club"):
        user.type("#programme-title", title)
        user.press("#programme-title", Keys.ENTER, "Enter")
        user.wait_for("#programme table", title)

    user.type("#cost-estimated", "7200")
    user.press("#cost-estimated", Keys.ENTER, "Enter")
    user.wait_for("#costs", "€7,200.00")
    user.type("#cost-estimated", "1450.50")
    user.press("#cost-estimated", Keys.ENTER, "Enter")
    user.wait_for("#costs", "€1,450.50")
    page.check_accessibility()

    assert len(user.actions) <= ACTION_LIMIT, user.actions
    assert len(user.paths) <= PAGE_LIMIT, user.paths
    trip = Delegation.objects.get(title="Anniversary in Lyon")
    assert (trip.direction, trip.purpose, trip.city, trip.partnership) == ("outbound", "anniversary", lyon, partnership)
    assert (trip.start_on, trip.end_on, trip.department) == (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 7),
        mayors_office,
    )
    people = {participant.person.name: participant.person for participant in trip.participants.all()}
    assert set(people) == {"Anna Berg", "Maria Neumann"}
    assert people["Anna Berg"] == anna
    assert people["Maria Neumann"].department == mayors_office
    assert sorted(trip.programme.values_list("title", flat=True)) == [
        "Meeting with the twinning club",
        "Reception at the Hôtel de Ville",
        "Visit of the tram depot",
    ]
    assert sorted(trip.costs.values_list("category", "estimated")) == [
        ("accommodation", Decimal("1450.50")),
        ("travel", Decimal("7200.00")),
    ]


def test_cancelling_asks_first_going_back_does_nothing_and_confirming_cancels(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    trip = DelegationFactory(title="Anniversary in Lyon")
    page.log_in("stefan")
    page.visit(f"/delegations/{trip.pk}/")
    cancel = "#workflow form[data-confirm]:has(input[value=cancelled]) button"

    page.find("#comment-cancelled").send_keys("The mayor cannot travel.")
    page.find(cancel).click()
    dialog = page.find("dialog.confirm-dialog")
    assert dialog.get_attribute("open") is not None
    assert "Cancel “Anniversary in Lyon”?" in dialog.text
    assert page.driver.switch_to.active_element == page.find("#confirm-dialog-no")
    page.check_accessibility()
    page.find("#confirm-dialog-no").click()  # Go back
    assert dialog.get_attribute("open") is None
    assert page.driver.switch_to.active_element == page.find(cancel)
    trip.refresh_from_db()
    assert trip.status == "draft"

    page.find(cancel).click()
    page.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(page.driver, 5).until(lambda d: dialog.get_attribute("open") is None)
    assert page.driver.switch_to.active_element == page.find(cancel)

    page.find(cancel).click()
    page.submit("#confirm-dialog-yes")

    assert page.find("#current-status").text == "Cancelled"
    assert "The mayor cannot travel." in page.find("#history").text
    trip.refresh_from_db()
    assert trip.status == "cancelled"


def test_gifts_and_outcomes_are_recorded_in_place_and_a_row_is_deleted_after_the_dialog(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    trip = DelegationFactory(title="Anniversary in Lyon")
    depot = ProgrammeItemFactory(delegation=trip, title="Visit of the tram depot")
    ProgrammeItemFactory(delegation=trip, title="Reception at the Hôtel de Ville")
    page.log_in("stefan")
    page.visit(f"/delegations/{trip.pk}/")
    wait = WebDriverWait(page.driver, 10, ignored_exceptions=[StaleElementReferenceException])  # htmx swaps sections

    def within(css, text):
        wait.until(lambda d: text in d.find_element(By.CSS_SELECTOR, css).text)

    Select(page.find("#gift-direction")).select_by_value("received")
    page.find("#gift-description").send_keys("Porcelain vase")
    page.find("#gift-counterpart").send_keys("Mayor of Lyon")
    page.find("#gift-value").send_keys("120", Keys.ENTER)
    within("#gifts", "The gift was recorded.")
    assert "Porcelain vase" in page.find("#gifts table").text
    assert page.driver.switch_to.active_element == page.find("#gift-description")  # ready for the next one

    Select(page.find("#outcome-kind")).select_by_value("agreement")
    page.find("#outcome-description").send_keys("Letter of intent", Keys.ENTER)
    within("#outcomes", "The outcome was recorded.")
    assert "Letter of intent" in page.find("#outcomes table").text

    delete_url = f"/delegations/programme/{depot.pk}/delete/"
    delete = f"#programme form[action='{delete_url}'] button"
    assert not page.find(f"#programme a[href='{delete_url}']").is_displayed()  # the link: without JavaScript
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", page.find(delete))
    page.find(delete).click()
    dialog = page.find("dialog.confirm-dialog")
    assert dialog.get_attribute("open") is not None
    assert "Delete programme item “Visit of the tram depot”?" in dialog.text
    assert page.driver.switch_to.active_element == page.find("#confirm-dialog-no")
    page.check_accessibility()
    page.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait.until(lambda d: dialog.get_attribute("open") is None)
    assert page.driver.switch_to.active_element == page.find(delete)
    assert ProgrammeItem.objects.filter(pk=depot.pk).exists()

    page.find(delete).click()
    page.find("#confirm-dialog-yes").click()
    within("#programme", "The programme item was deleted.")
    assert "Visit of the tram depot" not in page.find("#programme").text
    assert page.driver.switch_to.active_element == page.find("#programme [data-section-focus]")
    page.check_accessibility()

    assert list(trip.programme.values_list("title", flat=True)) == ["Reception at the Hôtel de Ville"]
    assert Gift.objects.get(delegation=trip).direction == "received"
    assert Outcome.objects.get(delegation=trip).description == "Letter of intent"
