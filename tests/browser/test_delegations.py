"""A trip from the first form to its approval, and every page of a delegation,
in a real browser."""

import datetime
from decimal import Decimal

import pytest
from selenium.webdriver.support.ui import Select

from delegations.models import Gift, Outcome
from oia.roles import Role
from tests.factories import (
    CityFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    ParticipantFactory,
    PersonFactory,
    ProgrammeItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def test_staff_plans_a_trip_sees_the_coordination_warning_and_an_admin_approves_it(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    UserFactory(username="alexandra", role=Role.ADMIN)
    lyon = CityFactory(name="Lyon", country="FR")
    mayors_office = DepartmentFactory(name="Mayor's Office")
    DelegationFactory(
        title="Festival of Lights",
        city=lyon,
        department=DepartmentFactory(name="Culture"),
        status="submitted",
        start_on=datetime.date(2026, 5, 5),
    )
    PersonFactory(name="Anna Berg", department=mayors_office)

    page.log_in("stefan")
    page.visit("/delegations/new/")
    Select(page.find("#id_direction")).select_by_value("outbound")
    page.find("#id_title").send_keys("Anniversary in Lyon")
    Select(page.find("#id_purpose")).select_by_value("anniversary")
    page.choose("#id_city", "lyon")
    page.set_value("#id_start_on", "2026-05-04")
    page.set_value("#id_end_on", "2026-05-07")
    Select(page.find("#id_department")).select_by_value(str(mayors_office.pk))
    page.submit("main button[type=submit]")

    assert page.heading() == "Anniversary in Lyon"
    assert "The delegation “Anniversary in Lyon” was created." in page.find("main").text

    detail_path = page.driver.current_url.removeprefix(page.base_url).split("#")[0]
    page.visit(detail_path + "programme/new/")  # the form without JavaScript; the page adds in place (test_planning)
    page.set_value("#id_date", "2026-05-05")
    page.find("#id_title").send_keys("Reception at the Hôtel de Ville")
    page.submit("main button[type=submit]")
    assert "Reception at the Hôtel de Ville" in page.find("#programme").text

    page.visit(detail_path + "participants/new/")
    page.choose("#id_person", "berg")
    Select(page.find("#id_role")).select_by_value("lead")
    page.submit("main button[type=submit]")
    assert "Anna Berg" in page.find("#participants").text

    page.submit("#workflow form:has(input[value=submitted]) button")
    assert page.find("#current-status").text == "Submitted"
    warning = page.find("#coordination").text
    # Dates in words (issue 20), were "2026-05-05 – 2026-05-07".
    assert "Another trip of Culture to Lyon: Festival of Lights, 5 May 2026 – 7 May 2026" in warning

    page.submit("form[action='/accounts/logout/'] button")  # Sign out
    page.log_in("alexandra")
    page.visit(detail_path)
    page.submit("#workflow form:has(input[value=approved]) button")

    assert page.find("#current-status").text == "Approved"
    history = page.find("#history").text
    assert "Submitted → Approved" in history
    assert "The delegation is now “Approved”." in page.find("main").text


def test_every_page_of_a_full_delegation_passes_the_accessibility_check(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    city = CityFactory(name="Lyon", country="FR")
    delegation = DelegationFactory(
        title="Anniversary in Lyon",
        city=city,
        status="approved",
        approved_estimate=Decimal("100"),
        head_count=3,
        public_summary="Thirty years of partnership.",
        trip_report="A school exchange was agreed.",
    )
    DelegationFactory(city=city, department=DepartmentFactory(name="Culture"), title="Festival of Lights")
    participant = ParticipantFactory(delegation=delegation, person__dietary_needs="Vegetarian")
    ProgrammeItemFactory(delegation=delegation, starts_at=datetime.time(9), ends_at=datetime.time(10))
    cost = CostFactory(delegation=delegation, estimated=Decimal("100"), actual=Decimal("150"))
    Gift.objects.create(delegation=delegation, direction="given", description="City chronicle", counterpart="Mayor")
    Outcome.objects.create(delegation=delegation, kind="contact", description="Head of the tram company")
    pk = delegation.pk

    page.log_in("stefan")
    page.visit(f"/delegations/{pk}/")
    assert "Submit the trip for re-approval." in page.find("main").text
    assert "Festival of Lights" in page.find("#coordination").text
    for path in (
        f"/delegations/{pk}/edit/",
        f"/delegations/{pk}/participants/new/",
        f"/delegations/participants/{participant.pk}/delete/",
        f"/delegations/{pk}/programme/new/",
        f"/delegations/{pk}/costs/new/",
        f"/delegations/costs/{cost.pk}/edit/",
        f"/delegations/{pk}/gifts/new/",
        f"/delegations/{pk}/outcomes/new/",
        "/delegations/new/",
    ):
        page.visit(path)

    page.find("#id_title").send_keys("Too short a trip")
    page.set_value("#id_start_on", "2026-05-07")
    page.set_value("#id_end_on", "2026-05-04")
    page.submit("main button[type=submit]")
    assert "The end date cannot be before the start date." in page.find("main").text
