"""Booking an expense that would overdraw a line-item line, in a real browser:
staff are refused in words, an administrator overrides with a reason, and the
overview then shows the line overdrawn, in words and not by colour alone."""

import datetime
from decimal import Decimal

import pytest

from budget.models import BudgetChange, Commitment, Expense
from oia.roles import Role
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    ExpenseFactory,
    PartnershipFactory,
    SupplementaryRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def fill_expense(page, amount):
    page.set_value("#id_date", "2026-05-04")
    page.find("#id_payee").send_keys("Porzellan-Manufaktur")
    page.find("#id_description").send_keys("Gift for the mayor of Kraków")
    page.find("#id_amount").clear()
    page.find("#id_amount").send_keys(amount)


def test_staff_are_refused_an_overdraft_an_admin_overrides_and_the_overview_warns(page, transactional_db):
    UserFactory(username="stefan", role=Role.STAFF)
    UserFactory(username="alexandra", role=Role.ADMIN)
    budget = BudgetFactory(year=2026, mode="line_item", status="adopted")
    line = BudgetLineFactory(budget=budget, name="Gifts for visiting mayors", category="gifts", planned=1000)
    ExpenseFactory(line=line, amount=Decimal("900.00"), date=datetime.date(2026, 2, 10))

    page.log_in("stefan")
    page.visit(f"/budget/lines/{line.pk}/")
    assert page.heading() == "Gifts for visiting mayors"
    page.find(f"a[href$='/lines/{line.pk}/expenses/new/']").click()
    page.check_accessibility()
    assert not page.find_all("#id_override_reason"), "staff cannot override"
    fill_expense(page, "250.00")
    page.submit("main button[type=submit]")

    error = page.find("#id_amount_error").text
    assert "This expense would overdraw “Gifts for visiting mayors” by €150.00: only €100.00 is available." in error
    assert "An administrator can override with a reason." in error
    assert page.find("#id_payee").get_attribute("value") == "Porzellan-Manufaktur", "nothing typed is lost"
    assert Expense.objects.count() == 1

    page.submit("form[action='/accounts/logout/'] button")  # Sign out
    page.log_in("alexandra")
    page.visit(f"/budget/lines/{line.pk}/expenses/new/")
    fill_expense(page, "250.00")
    page.find("#id_override_reason").send_keys("Jubilee gift agreed with the mayor's office.")
    page.submit("main button[type=submit]")

    assert "The expense was booked." in page.find("main").text
    assert "Overdraft allowed: Jubilee gift agreed with the mayor's office." in page.find("#expenses").text

    page.visit("/budget/2026/")
    row = page.find("#budget-lines tbody tr").text
    assert "Gifts for visiting mayors" in row
    assert "-€150.00" in row
    assert "Overdrawn" in row
    assert "1 line is overdrawn." in page.find("#budget-warnings").text


def test_every_budget_page_passes_the_accessibility_check(page, transactional_db):
    UserFactory(username="alexandra", role=Role.ADMIN)
    lyon = PartnershipFactory(partner_city=CityFactory(name="Lyon"))
    adopted = BudgetFactory(year=2026, mode="discretionary", status="adopted")
    line = BudgetLineFactory(budget=adopted, name="Partner city Lyon", partnership=lyon, planned=13000)
    reserve = BudgetLineFactory(budget=adopted, name="Reserve", category="reserve", planned=5000)
    ExpenseFactory(line=line, amount=Decimal("12500.00"))
    Commitment.objects.create(line=line, amount=Decimal("300.00"), description="Choir trip")
    BudgetChange.objects.create(
        line=line, kind="transfer", amount=Decimal("200.00"), counterpart=reserve, decided_on="2026-02-01", reason="x"
    )
    request = SupplementaryRequestFactory(line=line)
    draft = BudgetFactory(year=2027, status="draft")
    draft_line = BudgetLineFactory(budget=draft, name="Gifts", category="gifts")

    page.log_in("alexandra")
    for path in (
        "/budget/",
        "/budget/new/",
        "/budget/2026/",
        "/budget/2026/?attention=on",
        "/budget/2026/transfer/",
        f"/budget/lines/{line.pk}/",
        f"/budget/lines/{line.pk}/expenses/new/",
        f"/budget/lines/{line.pk}/amend/",
        f"/budget/lines/{line.pk}/supplementary/new/",
        f"/budget/supplementary/{request.pk}/decide/",
        "/budget/2027/",
        "/budget/2027/adopt/",
        "/budget/2027/lines/new/",
        "/budget/2027/lines/split/",
        f"/budget/lines/{draft_line.pk}/edit/",
        f"/partners/{lyon.pk}/",
    ):
        page.visit(path)
        assert len(page.find_all("h1")) == 1, path
