"""The club leaders' portal on a phone (390×844) in real Chromium: a leader
logs an exchange and applies for a grant; staff return the exchange with a
comment; the leader fixes and resubmits it; staff approve the grant and the
budget line shows the commitment. axe-core checks every page."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from budget.models import GrantApplication
from oia.roles import Role
from partners.models import Exchange
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    ClubFactory,
    ExchangeFactory,
    ExchangePhotoFactory,
    GrantApplicationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PHONE = (390, 844)


@pytest.fixture
def phone(page):
    page.driver.set_window_size(*PHONE)
    yield page
    page.driver.set_window_size(1280, 900)


def type_into(page, css, text):
    field = page.find(css)
    field.clear()
    field.send_keys(text)


def choose(page, name, value):
    """Tap a radio button's label, as a thumb would."""
    radio = page.find(f"input[name='{name}'][value='{value}']")
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    page.driver.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']").click()


def sign_out(page):
    if page.find(".menu-button").is_displayed():  # on a phone the header's menu opens first
        page.find(".menu-button").click()
    page.submit("form[action='/accounts/logout/'] button")


def assert_fits_the_phone(page):
    """Nothing sticks out to the right: the page never scrolls sideways."""
    too_wide = page.driver.execute_script(
        "return [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 10)"
    )
    assert not too_wide, f"wider than the phone: {too_wide}"


def test_leader_logs_and_applies_staff_return_and_approve_on_a_phone(phone, transactional_db):
    page = phone
    UserFactory(username="klaus", role=Role.CLUB_LEADER, first_name="Klaus")
    UserFactory(username="stefan", role=Role.STAFF)
    krakow = PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL"))
    club = ClubFactory(name="Freundeskreis Kraków e.V.", partnerships=[krakow])
    club.leaders.add(UserFactory(username="klaus"))
    year = datetime.date.today().year
    budget = BudgetFactory(year=year, status="adopted")
    line = BudgetLineFactory(budget=budget, name="Club and community grants", category="grants", planned=10000)

    # The leader lands on the club page, with the two big buttons.
    page.log_in("klaus")
    assert page.heading() == "Freundeskreis Kraków e.V."
    assert_fits_the_phone(page)
    button = page.find("a.big-button[href$='/exchanges/new/']")
    assert button.size["height"] >= 44, "a large target for a thumb"
    button.click()
    page.check_accessibility()

    type_into(page, "#id_title", "Choir concert in the Kraków town hall")
    choose(page, "kind", "culture")
    choose(page, "direction", "both")
    page.set_value("#id_starts_on", f"{year}-03-14")
    page.set_value("#id_ends_on", f"{year}-03-16")
    type_into(page, "#id_participants_local", "24")
    type_into(page, "#id_participants_partner", "30")
    type_into(page, "#id_young_participants", "12")
    page.find("#id_reciprocity").click()
    assert_fits_the_phone(page)
    page.submit("button[name='submit']")
    assert "sent to the office for review" in page.find("main").text
    exchange = Exchange.objects.get()
    assert (exchange.review_status, exchange.direction, exchange.reciprocity) == ("submitted", "both", True)

    # ...and applies for a grant: 10 travellers, 8 of them students (80 %).
    page.visit("/")
    page.find("a.big-button[href$='/grants/new/']").click()
    page.check_accessibility()
    type_into(page, "#id_destination", "Kraków")
    page.set_value("#id_starts_on", f"{year + 1}-05-04")
    page.set_value("#id_ends_on", f"{year + 1}-05-09")
    type_into(page, "#id_travellers", "10")
    type_into(page, "#id_students", "8")
    type_into(page, "#id_total_costs", "3000")
    type_into(page, "#id_own_contribution", "1500")
    type_into(page, "#id_requested_amount", "900")
    type_into(page, "#id_programme_summary", "Two concerts with the partner school's orchestra.")
    assert_fits_the_phone(page)
    page.submit("button[name='submit']")
    assert "Your application was sent to the office." in page.find("main").text
    assert page.find("#allowed-amount").text == "€800.00", "80 % students: 10 × €80"
    sign_out(page)

    # Staff return the exchange with a comment.
    page.log_in("stefan")
    page.visit("/partners/exchanges/")
    page.find(f"a[href='/partners/exchanges/{exchange.pk}/']").click()
    page.check_accessibility()
    choose(page, "decision", "returned")
    type_into(page, "#id_comment", "Please name the partner school.")
    page.submit("main form button[type=submit]")
    assert "returned to the club" in page.find("main").text
    sign_out(page)

    # The leader sees it, fixes it and sends it again.
    page.log_in("klaus")
    assert "returned by the office" in page.find("main").text
    page.find(f"a[href='/portal/exchanges/{exchange.pk}/']").click()
    page.check_accessibility()
    assert "Please name the partner school." in page.find("main").text
    page.find(f"a[href='/portal/exchanges/{exchange.pk}/edit/']").click()
    page.check_accessibility()
    type_into(page, "#id_partner_organisations", "Szkoła Podstawowa nr 5, Kraków")
    page.submit("button[name='submit']")
    assert "sent to the office for review" in page.find("main").text
    exchange.refresh_from_db()
    assert exchange.review_status == "submitted"
    assert exchange.partner_organisations == "Szkoła Podstawowa nr 5, Kraków"
    assert [e.action for e in exchange.events.order_by("at", "pk")] == [
        "created",
        "submitted",
        "returned",
        "edited",
        "submitted",
    ]
    sign_out(page)

    # Staff approve the grant on the grants line; the line shows the commitment.
    page.log_in("stefan")
    application = GrantApplication.objects.get()
    page.visit("/budget/grants/")
    page.find(f"a[href='/budget/grants/{application.pk}/']").click()
    page.check_accessibility()
    assert page.find("#id_approved_amount").get_attribute("value") == "800.00"
    page.set_value("#id_budget_line", str(line.pk))
    page.submit("#approve-form button[type=submit]")
    assert "approved and the amount committed" in page.find("main").text
    application.refresh_from_db()
    assert (application.status, str(application.approved_amount)) == ("approved", "800.00")

    page.visit(f"/budget/lines/{line.pk}/")
    commitments = page.find("#commitments").text
    assert "Trip grant: Freundeskreis Kraków e.V. to Kraków" in commitments
    assert "€800.00" in commitments


def test_every_portal_and_review_page_passes_the_accessibility_check(page, transactional_db):
    UserFactory(username="klaus", role=Role.CLUB_LEADER)
    UserFactory(username="stefan", role=Role.STAFF)
    lyon = PartnershipFactory(partner_city=CityFactory(name="Lyon"))
    first, second = (
        ClubFactory(name="Cercle Lyon", partnerships=[lyon]),
        ClubFactory(name="Chorale", partnerships=[lyon]),
    )
    first.leaders.add(UserFactory(username="klaus"))
    second.leaders.add(UserFactory(username="klaus"))
    exchange = ExchangeFactory(club=first, review_status="returned", review_comment="Add the dates.", reciprocity=True)
    photo = ExchangePhotoFactory(exchange=exchange)
    draft = ExchangeFactory(club=first, review_status="draft")
    application = GrantApplicationFactory(club=first)
    approved = GrantApplicationFactory(club=first, status="approved", approved_amount=500)
    BudgetLineFactory(budget=BudgetFactory(year=datetime.date.today().year), category="grants", name="Grants")
    leader_pages = (
        "/",
        f"/portal/clubs/{second.pk}/",
        f"/portal/clubs/{first.pk}/exchanges/new/",
        f"/portal/clubs/{first.pk}/grants/new/",
        f"/portal/exchanges/{exchange.pk}/",
        f"/portal/exchanges/{exchange.pk}/edit/",
        f"/portal/exchanges/{exchange.pk}/photos/new/",
        f"/portal/photos/{photo.pk}/delete/",
        f"/portal/exchanges/{draft.pk}/delete/",
        f"/portal/grants/{application.pk}/",
        f"/portal/grants/{approved.pk}/report/",
    )
    staff_pages = (
        "/",
        "/partners/exchanges/",
        f"/partners/exchanges/{exchange.pk}/",
        f"/partners/clubs/{first.pk}/leaders/invite/",
        f"/partners/{lyon.pk}/",
        "/budget/grants/",
        "/budget/grants/rules/",
        f"/budget/grants/{application.pk}/",
    )

    page.log_in("klaus")
    for path in leader_pages:
        page.visit(path)
        assert len(page.find_all("h1")) == 1, path
        assert page.driver.current_url.endswith(path), "no redirect: the page itself was checked"
    sign_out(page)
    page.log_in("stefan")
    for path in staff_pages:
        page.visit(path)
        assert len(page.find_all("h1")) == 1, path
