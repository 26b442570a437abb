"""A tour of the app on a 390 px phone (390×844) in real Chromium: staff visit
every main list, one record page of each kind, the main forms and the report
pages; a club leader the portal; a council member the reports. No page may be
wider than the phone (it would scroll sideways): each is measured, and a page
that is too wide is named with its widest element. axe-core checks every page
(the ``page`` fixture)."""

import datetime

import pytest
from django.urls import reverse

from oia.roles import Role
from reports.services import report_generate, report_publish, report_request_create
from tests.factories import (
    AmbassadorActivityFactory,
    AmbassadorFactory,
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    ClubAssociationFactory,
    ClubFactory,
    CommitmentFactory,
    ConsularPostFactory,
    ContactFactory,
    CostFactory,
    DelegationFactory,
    EventCostFactory,
    EventFactory,
    ExchangeFactory,
    ExpenseFactory,
    GiftFactory,
    GrantApplicationFactory,
    GuestFactory,
    MembershipFactory,
    NetworkActivityFactory,
    NetworkFactory,
    NetworkRoleFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    ProgrammeItemFactory,
    SubPartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1280, 900)

# The widest element sticking out to the right (the furthest one outside any box that scrolls), or none.
MEASURE = """
const width = window.innerWidth;
const page = document.documentElement.scrollWidth;
const scrolls = (e) => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
  if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
let widest = null, right = width;
for (const element of document.querySelectorAll("body *")) {
  const box = element.getBoundingClientRect();
  if (box.width && box.right > right + 0.5 && !scrolls(element)) { right = box.right; widest = element; }
}
const describe = (e) => e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
  + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "")
  + " " + JSON.stringify((e.textContent || "").trim().slice(0, 40)) : "";
return {page: page, viewport: width, widest: describe(widest), right: Math.round(right)};
"""


@pytest.fixture
def phone(page):
    page.driver.set_window_size(*PHONE)
    yield page
    page.driver.set_window_size(*DESKTOP)


def a_small_office():
    """A realistic small office: partnerships with long names and clubs, trips
    with participants, programme and costs, a budget in use, a network, protocol
    records, a club leader's exchange and grant, and a published report."""
    year = datetime.date.today().year
    staff = UserFactory(username="stefan", role=Role.STAFF, first_name="Stefan", last_name="Wagner")
    UserFactory(username="carla", role=Role.COUNCIL)
    leader = UserFactory(username="klaus", role=Role.CLUB_LEADER, first_name="Klaus")

    krakow = PartnershipFactory(partner_city=CityFactory(name="Kraków", country="PL", population=804237))
    long_name = PartnershipFactory(
        partner_city=CityFactory(name="Saint-Jean-de-Maurienne-sur-Arc", country="FR", population=7800),
        kind="project",
        status="dormant",
    )
    PartnershipFactory(partner_city=CityFactory(name="Kyiv", country="UA", population=3604030), status="frozen")
    SubPartnershipFactory(partnership=krakow)
    ContactFactory(partnership=krakow)
    club = ClubFactory(name="Freundeskreis Kraków e.V.", partnerships=[krakow, long_name])
    club.leaders.add(leader)
    association = ClubAssociationFactory(clubs=[club], leaders=[leader])
    exchange = ExchangeFactory(
        club=club, partnership=krakow, title="Choir concert in the Kraków town hall", review_status="returned"
    )
    GrantApplicationFactory(club=club, partnership=krakow)

    department = PersonFactory().department
    delegation = DelegationFactory(
        title="Mayor's visit to the Kraków Economic Forum and the twinning jubilee",
        city=krakow.partner_city,
        start_on=datetime.date(year, 5, 4),
        department=department,
    )
    person = PersonFactory(name="Dr. Annemarie Schmidt-Hohenberg", department=department)
    ParticipantFactory(delegation=delegation, person=person, role="lead")
    ParticipantFactory(delegation=delegation)
    ProgrammeItemFactory(delegation=delegation)
    CostFactory(delegation=delegation, estimated=7200)
    GiftFactory(delegation=delegation)
    DelegationFactory(direction="inbound", city=long_name.partner_city, start_on=datetime.date(year, 6, 1))

    network = NetworkFactory(name="Eurocities", acronym="EC")
    MembershipFactory(network=network, lead_department=department)
    NetworkRoleFactory(network=network, person=person)
    NetworkActivityFactory(network=network)

    budget = BudgetFactory(year=year, status="adopted")
    line = BudgetLineFactory(budget=budget, name="Partner cities: visits and jubilees", planned=120000)
    BudgetLineFactory(budget=budget, name="Club and community grants", category="grants", planned=30000)
    ExpenseFactory(line=line, date=datetime.date(year, 1, 15), amount=7976)
    CommitmentFactory(line=line, amount=15000)

    post = ConsularPostFactory(name="Consulate-General of the French Republic")
    ambassador = AmbassadorFactory(city=krakow.partner_city)
    AmbassadorActivityFactory(ambassador=ambassador)
    event = EventFactory(title="Europe Day reception for the consular corps and partner cities")
    EventCostFactory(event=event)
    GuestFactory(event=event)

    request, _ = report_request_create(year=year - 1, by=staff)
    version = report_generate(request_id=request.pk)
    report_publish(version=version, by=UserFactory(username="ada", role=Role.ADMIN))
    return {
        "partnership": krakow,
        "city": krakow.partner_city,
        "club": club,
        "association": association,
        "exchange": exchange,
        "delegation": delegation,
        "person": person,
        "network": network,
        "budget": budget,
        "line": line,
        "post": post,
        "ambassador": ambassador,
        "event": event,
        "version": version,
    }


def staff_tour(office):
    """The pages office staff visit: the main lists, a record of each kind, the main forms, the report."""
    return [
        ("dashboard", reverse("dashboard")),
        ("partnership list", reverse("partners:partnership-list")),
        ("club list", reverse("partners:club-list")),
        ("club association list", reverse("partners:club-association-list")),
        ("jubilees", reverse("partners:anniversaries")),
        ("exchange list", reverse("partners:exchange-list")),
        ("delegation list", reverse("delegations:delegation-list")),
        ("delegation calendar", reverse("delegations:calendar")),
        ("gift list", reverse("delegations:gift-list")),
        ("person list", reverse("delegations:person-list")),
        ("network list", reverse("networks:network-list")),
        ("budget list", reverse("budget:budget-list")),
        ("budget overview", reverse("budget:budget-overview", kwargs={"year": office["budget"].year})),
        ("grant list", reverse("budget:grant-list")),
        ("event list", reverse("protocol:event-list")),
        ("consular post list", reverse("protocol:post-list")),
        ("ambassador list", reverse("protocol:ambassador-list")),
        ("national day list", reverse("protocol:national-day-list")),
        ("partnership page", reverse("partners:partnership-detail", kwargs={"pk": office["partnership"].pk})),
        ("city page", reverse("partners:city-detail", kwargs={"pk": office["city"].pk})),
        ("club page", reverse("partners:club-association-detail", kwargs={"pk": office["association"].pk})),
        ("club form", reverse("partners:club-edit", kwargs={"pk": office["club"].pk})),
        ("delegation page", reverse("delegations:delegation-detail", kwargs={"pk": office["delegation"].pk})),
        ("person page", reverse("delegations:person-detail", kwargs={"pk": office["person"].pk})),
        ("network page", reverse("networks:network-detail", kwargs={"pk": office["network"].pk})),
        ("budget line page", reverse("budget:line-detail", kwargs={"pk": office["line"].pk})),
        ("event page", reverse("protocol:event-detail", kwargs={"pk": office["event"].pk})),
        ("consular post page", reverse("protocol:post-detail", kwargs={"pk": office["post"].pk})),
        ("ambassador page", reverse("protocol:ambassador-detail", kwargs={"pk": office["ambassador"].pk})),
        ("new delegation form", reverse("delegations:delegation-create")),
        ("new partnership form", reverse("partners:partnership-create")),
        ("budget line form", reverse("budget:line-edit", kwargs={"pk": office["line"].pk})),
        ("report list", reverse("reports:index")),
        ("report request", reverse("reports:request-detail", kwargs={"pk": office["version"].request_id})),
        ("report", reverse("reports:version-detail", kwargs={"pk": office["version"].pk})),
        ("report comparison", reverse("reports:compare")),
    ]


def leader_tour(office):
    return [
        ("club leader's club page", reverse("portal:club", kwargs={"club": office["club"].pk})),
        ("club leader's exchange page", reverse("portal:exchange-detail", kwargs={"pk": office["exchange"].pk})),
        ("club leader's exchange form", reverse("portal:exchange-create", kwargs={"club": office["club"].pk})),
    ]


def council_tour(office):
    return [
        ("council's report list", reverse("reports:index")),
        ("council's report", reverse("reports:version-detail", kwargs={"pk": office["version"].pk})),
    ]


def too_wide(page, tour):
    """Visit each page of the tour; the ones wider than the window, each with its widest element."""
    found = []
    for name, path in tour:
        try:
            page.visit(path)
        except AssertionError as failure:  # axe's findings: reported with the rest
            found.append(f"{name} ({path}): {str(failure)[:600]}")
        size = page.driver.execute_script(MEASURE)
        if size["page"] > size["viewport"]:
            found.append(f"{name} ({path}): {size['page']} px wide, widest: {size['widest']} to {size['right']} px")
    return found


def sign_out(page):
    page.driver.delete_all_cookies()


def test_no_page_of_the_tour_is_wider_than_a_phone(phone, transactional_db):
    office = a_small_office()

    phone.log_in("stefan")
    found = too_wide(phone, staff_tour(office))
    sign_out(phone)
    phone.log_in("klaus")
    found += too_wide(phone, leader_tour(office))
    sign_out(phone)
    phone.log_in("carla")
    found += too_wide(phone, council_tour(office))

    assert not found, "Wider than a 390 px phone:\n" + "\n".join(found)


def test_the_header_is_one_line_on_a_phone_and_its_menu_opens(phone, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    phone.log_in("stefan")

    header = phone.find(".site-header")
    button = phone.find(".menu-button")
    assert header.size["height"] <= 80, f"the header takes {header.size['height']} px"
    assert button.get_attribute("aria-expanded") == "false"
    assert not phone.find("nav.main-nav").is_displayed()

    button.click()

    assert button.get_attribute("aria-expanded") == "true"
    assert phone.find("nav.main-nav").is_displayed()
    assert phone.find("#language-select").is_displayed()
    phone.check_accessibility()
    phone.find("nav.main-nav a[href='/partners/']").click()
    assert phone.heading() == "Partner cities"


def test_the_budget_overview_shows_its_warning_column_at_1366_px(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    line = BudgetLineFactory(budget=BudgetFactory(year=datetime.date.today().year), planned=1000)
    ExpenseFactory(line=line, date=datetime.date(line.budget.year, 1, 15), amount=990)
    page.driver.set_window_size(1366, 900)
    try:
        page.log_in("stefan")
        page.visit(reverse("budget:budget-overview", kwargs={"year": line.budget.year}))
        size = page.driver.execute_script(MEASURE)
    finally:
        page.driver.set_window_size(*DESKTOP)

    assert size["page"] <= size["viewport"], f"the overview is {size['page']} px wide: {size['widest']}"


# Each cell of the first row: its width, its left edge and the label CSS shows before it.
STACKED = """
const table = document.querySelector("table.stack");
const cells = [...table.querySelectorAll("tbody tr:first-child td")];
return {
  cue: getComputedStyle(document.querySelector(".scroll-cue")).display,
  scrolls: table.parentElement.scrollWidth > table.parentElement.clientWidth,
  cells: cells.map((td) => ({left: Math.round(td.getBoundingClientRect().left),
    top: Math.round(td.getBoundingClientRect().top),
    label: getComputedStyle(td, "::before").content})),
};
"""


def test_the_delegation_list_stacks_its_rows_on_a_phone_and_is_a_table_on_a_desktop(phone, transactional_db):
    """Under 40 rem each cell has its own line, after its column's name; no sideways scrolling, no cue."""
    UserFactory(username="stefan", role=Role.STAFF)
    DelegationFactory(title="Mayor's visit to the Kraków Economic Forum and the twinning jubilee")
    phone.log_in("stefan")
    phone.visit(reverse("delegations:delegation-list"))

    stacked = phone.driver.execute_script(STACKED)

    assert stacked["cue"] == "none"
    assert not stacked["scrolls"]
    cells = stacked["cells"]
    assert len({cell["left"] for cell in cells}) == 1, cells  # one above the other
    assert [cell["top"] for cell in cells] == sorted({cell["top"] for cell in cells})
    assert [cell["label"] for cell in cells][:3] == ['"Dates: "', '"Title: "', '"Direction: "']

    phone.driver.set_window_size(*DESKTOP)
    phone.visit(reverse("delegations:delegation-list"))
    wide = phone.driver.execute_script(STACKED)

    assert len({cell["top"] for cell in wide["cells"]}) == 1  # one row
    assert {cell["label"] for cell in wide["cells"]} == {"none"}
