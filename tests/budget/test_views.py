"""The budget pages: the overview with its amounts, warnings and burn chart,
a line's detail page, and the forms that book, amend, transfer and request
money through budget.services."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from budget import selectors
from budget.models import (
    Budget,
    BudgetChange,
    BudgetLine,
    Commitment,
    Expense,
    RequestStatus,
    SupplementaryRequest,
)
from oia.money import format_money
from oia.roles import Role
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    DelegationFactory,
    ExpenseFactory,
    GrantApplicationFactory,
    PartnershipFactory,
    SupplementaryRequestFactory,
    UserFactory,
)
from tests.pages import section
from tests.second_factor import sign_in

# Session, user, roles, the budget, the lines, three totals (overall, by
# category, by partner city), the burn series and the unread-notification count.
OVERVIEW_QUERIES = 10
# Session, user, roles, the line with its amounts, commitments, expenses,
# supplementary requests, changes and the unread-notification count.
LINE_DETAIL_QUERIES = 10  # +1: the History section (oia.audit.history_for)


def text(response):
    """The page's text with tags removed and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def overview_url(year=2026):
    return reverse("budget:budget-overview", kwargs={"year": year})


def line_url(line):
    return reverse("budget:line-detail", kwargs={"pk": line.pk})


def expense_url(line):
    return reverse("budget:expense-create", kwargs={"pk": line.pk})


def expense_form(**overrides):
    return {
        "date": "2026-05-04",
        "payee": "Hotel am Römer",
        "description": "Rooms for the delegation from Lyon",
        "amount": "1500.00",
        "original_amount": "",
        "original_currency": "",
        "exchange_rate": "",
        "delegation": "",
        "membership": "",
        "event": "",
        **overrides,
    }


@pytest.fixture
def line_item_line(db):
    """A line of an adopted line-item budget with 1,000.00 of which 900.00 are spent."""
    line = BudgetLineFactory(name="Gifts for visiting mayors", category="gifts", planned=Decimal("1000.00"))
    ExpenseFactory(line=line, amount=Decimal("900.00"), date=datetime.date(2026, 2, 10))
    return line


# --- the money filter ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("1234.56"), "€1,234.56"),
        ("de", Decimal("1234.56"), "1.234,56 €"),
        ("en", Decimal("-1234.5"), "-€1,234.50"),
        ("de", Decimal("208000"), "208.000,00 €"),
        ("en", None, "—"),
    ],
)
def test_money_is_shown_in_the_users_locale(settings, language, value, expected):
    settings.OIA_CURRENCY = "EUR"
    with translation.override(language):
        assert format_money(value) == expected


def test_money_uses_the_pound_sign_and_else_the_code(settings):
    settings.OIA_CURRENCY = "GBP"
    with translation.override("en"):
        assert format_money(Decimal("800000")) == "£800,000.00"
        assert format_money(Decimal("5"), "CHF") == "CHF 5.00"


# --- the overview -----------------------------------------------------------


def test_overview_shows_amounts_warnings_and_totals(staff_client, staff_user):
    budget = BudgetFactory(year=2026)
    lyon = PartnershipFactory(partner_city=CityFactory(name="Lyon"))
    overdrawn = BudgetLineFactory(budget=budget, name="Lyon exchange", partnership=lyon, planned=Decimal("1000.00"))
    ExpenseFactory(line=overdrawn, amount=Decimal("1100.00"), date=datetime.date(2026, 1, 15))
    nearly = BudgetLineFactory(budget=budget, name="Press trips", category="public_relations", planned=1000)
    ExpenseFactory(line=nearly, amount=Decimal("900.00"), date=datetime.date(2026, 3, 2))
    Commitment.objects.create(line=nearly, amount=Decimal("50.00"), description="Photographer")
    healthy = BudgetLineFactory(budget=budget, name="Reserve", category="reserve", planned=Decimal("13000.00"))
    BudgetChange.objects.create(
        line=healthy,
        kind="amendment",
        amount=Decimal("500.00"),
        council_reference="V-2026/17",
        decided_on=datetime.date(2026, 2, 1),
        reason="Jubilee",
    )

    response = staff_client.get(overview_url())

    assert response.status_code == 200
    page = text(response)
    assert response.content.decode().count("<h1") == 1
    rows = {line.name: line for line in response.context["overview"].lines}
    assert rows["Lyon exchange"].available == Decimal("-100.00")
    assert rows["Lyon exchange"].warning_label == "Overdrawn"
    assert rows["Press trips"].warning_label == "Over 90 % used"
    assert rows["Reserve"].current == Decimal("13500.00")
    assert rows["Reserve"].warning == ""
    assert "Lyon exchange Partner cities Lyon €1,000.00 €1,000.00 €0.00 €1,100.00 -€100.00 110 % ⛔ Overdrawn" in page
    assert "Press trips Public relations — €1,000.00 €1,000.00 €50.00 €900.00 €50.00 95 % ⚠ Over 90 % used" in page
    assert "Reserve Flexible reserve — €13,000.00 €13,500.00 €0.00 €0.00 €13,500.00 0 %" in page
    assert "1 line is overdrawn." in page
    assert "1 line is over 90 % used." in page
    totals = response.context["overview"].totals
    assert totals["current"] == Decimal("15500.00")
    assert totals["spent"] == Decimal("2000.00")
    assert totals["available"] == Decimal("13450.00")
    by_city = response.context["overview"].by_partner_city
    assert [(row["city"], row["spent"]) for row in by_city] == [("Lyon", Decimal("1100.00"))]
    by_category = {row["category"]: row for row in response.context["overview"].by_category}
    assert by_category["public_relations"]["committed"] == Decimal("50.00")
    assert '<svg viewBox="0 0 640 260" role="img" aria-labelledby="burn-title burn-desc"' in response.content.decode()


def test_overview_tables_of_totals_name_each_group_and_link_a_partner_city(staff_client):
    budget = BudgetFactory(year=2026)
    lyon = PartnershipFactory(partner_city=CityFactory(name="Lyon"))
    BudgetLineFactory(budget=budget, name="Lyon exchange", partnership=lyon, planned=Decimal("1000.00"))
    BudgetLineFactory(budget=budget, name="Press trips", category="public_relations", planned=Decimal("400.00"))

    html = staff_client.get(overview_url()).content.decode()

    by_category = html[html.index('id="totals-by-category"') : html.index('id="cities-heading"')]
    assert '<th scope="row">Public relations</th>' in by_category
    caption = '<caption class="visually-hidden" id="totals-by-category-caption">Totals by category</caption>'
    assert caption in by_category
    by_city = html[html.index('id="totals-by-city"') : html.index('id="burn-heading"')]
    link = reverse("partners:partnership-detail", args=[lyon.pk])
    assert f'<th scope="row"><a href="{link}">Lyon</a></th>' in by_city
    assert "Totals of the lines reserved for a partner city</caption>" in by_city


def test_overview_shows_amounts_in_german(staff_client):
    line = BudgetLineFactory(name="Partner city Kraków", planned=Decimal("13000.00"))
    ExpenseFactory(line=line, amount=Decimal("1234.56"))

    response = staff_client.get(overview_url(), HTTP_ACCEPT_LANGUAGE="de")

    page = text(response)
    assert "13.000,00 €" in page
    assert "1.234,56 €" in page
    assert "11.765,44 €" in page


def test_burn_series_compares_cumulative_spending_with_the_planned_pace(db):
    budget = BudgetFactory(year=2026)
    line = BudgetLineFactory(budget=budget, planned=Decimal("12000.00"))
    ExpenseFactory(line=line, amount=Decimal("500.00"), date=datetime.date(2026, 1, 31))
    ExpenseFactory(line=line, amount=Decimal("700.00"), date=datetime.date(2026, 3, 1))
    ExpenseFactory(line=line, amount=Decimal("300.00"), date=datetime.date(2026, 3, 20))

    series = selectors.burn_series(budget, Decimal("12000.00"), today=datetime.date(2026, 4, 15))

    assert [month.planned for month in series[:4]] == [Decimal(v) for v in ("1000.00", "2000.00", "3000.00", "4000.00")]
    assert [month.actual for month in series[:4]] == [Decimal(v) for v in ("500.00", "500.00", "1500.00", "1500.00")]
    assert series[2].spent_in_month == Decimal("1000.00")
    assert series[4].actual is None, "months still to come have no actual value"


def test_overview_filter_narrows_the_table_but_not_the_totals(staff_client):
    budget = BudgetFactory()
    BudgetLineFactory(budget=budget, name="Gifts", category="gifts", planned=100)
    BudgetLineFactory(budget=budget, name="Events", category="events", planned=200)

    response = staff_client.get(overview_url(), {"category": "gifts"})

    assert [line.name for line in response.context["overview"].lines] == ["Gifts"]
    assert response.context["overview"].totals["planned"] == Decimal("300.00")


def test_overview_filter_for_lines_needing_attention(staff_client, line_item_line):
    budget = line_item_line.budget
    BudgetLineFactory(budget=budget, name="Untouched", planned=100)
    nearly = BudgetLineFactory(budget=budget, name="Nearly used", planned=100)
    ExpenseFactory(line=nearly, amount=Decimal("90.01"))
    overdrawn = BudgetLineFactory(budget=budget, name="Overdrawn", planned=100)
    Commitment.objects.create(line=overdrawn, amount=Decimal("100.01"), description="Trip")

    response = staff_client.get(overview_url(), {"attention": "on"})

    shown = [line.name for line in response.context["overview"].lines]
    assert shown == ["Nearly used", "Overdrawn"], "exactly 90 % used (the gifts line) is not flagged"


def build_big_budget(lines=200, expenses=5000):
    budget = BudgetFactory(year=2026)
    partnership = PartnershipFactory()
    created = BudgetLine.objects.bulk_create(
        BudgetLine(
            budget=budget,
            name=f"Line {index:03}",
            category=["partner_cities", "events", "gifts", "hosting"][index % 4],
            partnership=partnership if index % 4 == 0 else None,
            planned=Decimal("1000.00"),
        )
        for index in range(lines)
    )
    Expense.objects.bulk_create(
        Expense(
            line=created[index % lines],
            date=datetime.date(2026, 1 + index % 12, 1 + index % 28),
            amount=Decimal("1.25"),
            payee="Payee",
            description=f"Expense {index}",
        )
        for index in range(expenses)
    )
    return budget


@pytest.mark.parametrize(("lines", "expenses"), [(2, 3), (200, 5000)])
def test_overview_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, lines, expenses):
    build_big_budget(lines, expenses)

    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        response = staff_client.get(overview_url())

    assert response.status_code == 200
    overview = response.context["overview"]
    assert len(overview.lines) == lines
    assert overview.totals["spent"] == Decimal("1.25") * expenses
    assert sum(month.spent_in_month or 0 for month in overview.burn) == Decimal("1.25") * expenses


def test_budget_list_shows_the_years(staff_client):
    BudgetFactory(year=2025, status="closed")
    BudgetLineFactory(budget=BudgetFactory(year=2026), planned=Decimal("280000"))

    response = staff_client.get(reverse("budget:budget-list"))

    page = text(response)
    assert "2026 Adopted" in page
    assert "€280,000.00" in page
    assert "2025 Closed" in page
    assert "New budget year" not in page, "only administrators create budgets"


@pytest.mark.parametrize("years", [1, 12])
def test_budget_list_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries, years):
    for year in range(2015, 2015 + years):
        BudgetLineFactory(budget=BudgetFactory(year=year), planned=Decimal("1000"))
    staff_client.get(reverse("budget:budget-list"))

    # session, user, roles, unread notifications, the budgets with their line counts and totals
    with django_assert_num_queries(5):
        response = staff_client.get(reverse("budget:budget-list"))

    assert len(response.context["budgets"]) == years


def test_admin_creates_a_budget_in_the_office_currency(admin_client, settings):
    settings.OIA_CURRENCY = "GBP"
    url = reverse("budget:budget-create")

    assert admin_client.get(url).context["form"].initial["currency"] == "GBP"
    response = admin_client.post(url, {"year": 2027, "mode": "discretionary", "currency": "gbp"})

    assert response.status_code == 302
    budget = Budget.objects.get(year=2027)
    assert (budget.status, budget.mode, budget.currency) == ("draft", "discretionary", "GBP")


def test_adopt_asks_for_confirmation_then_adopts(admin_client, admin_user_oia):
    budget = BudgetFactory(year=2027, status="draft")
    BudgetLineFactory(budget=budget, planned=5000)
    url = reverse("budget:budget-adopt", kwargs={"year": 2027})

    page = text(admin_client.get(url))
    assert "The draft has 1 line planning €5,000.00 in all." in page

    response = admin_client.post(url)

    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.status == "adopted"
    assert budget.adopted_by == admin_user_oia


def test_adopting_an_empty_budget_shows_why_not(admin_client):
    BudgetFactory(year=2027, status="draft")

    response = admin_client.post(reverse("budget:budget-adopt", kwargs={"year": 2027}))

    assert response.status_code == 200
    assert "A budget without lines cannot be adopted." in text(response)
    assert Budget.objects.get(year=2027).status == "draft"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("budget:budget-create", lambda: {}),
        ("budget:budget-adopt", lambda: {"year": BudgetFactory(year=2027, status="draft").year}),
        ("budget:amendment-create", lambda: {"pk": BudgetLineFactory().pk}),
        ("budget:transfer-create", lambda: {"year": BudgetFactory(year=2027, mode="discretionary").year}),
        ("budget:supplementary-decide", lambda: {"pk": SupplementaryRequestFactory().pk}),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_are_refused_on_admin_views(staff_client, name, kwargs, method):
    response = getattr(staff_client, method)(reverse(name, kwargs=kwargs()))

    assert response.status_code == 403
    assert not BudgetChange.objects.exists()
    assert not Budget.objects.filter(adopted_by__isnull=False).exists()


# --- lines ------------------------------------------------------------------


def test_staff_create_and_edit_a_line_of_a_draft_budget(staff_client):
    budget = BudgetFactory(year=2027, status="draft")
    lyon = PartnershipFactory(partner_city=CityFactory(name="Lyon"))

    response = staff_client.post(
        reverse("budget:line-create", kwargs={"year": 2027}),
        {"name": "Lyon", "category": "partner_cities", "partnership": lyon.pk, "planned": "13000.00"},
    )

    line = BudgetLine.objects.get(budget=budget)
    assert response.status_code == 302
    assert (line.name, line.partnership, line.planned) == ("Lyon", lyon, Decimal("13000.00"))
    response = staff_client.post(
        reverse("budget:line-edit", kwargs={"pk": line.pk}),
        {"name": "Lyon", "category": "partner_cities", "partnership": lyon.pk, "planned": "14000.00"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.planned == Decimal("14000.00")


def test_a_line_name_can_be_used_once_per_budget(staff_client):
    budget = BudgetFactory(year=2027, status="draft")
    BudgetLineFactory(budget=budget, name="Gifts")

    response = staff_client.post(
        reverse("budget:line-create", kwargs={"year": 2027}), {"name": "Gifts", "category": "gifts", "planned": "5"}
    )

    assert response.status_code == 200
    assert "This budget already has a line with this name." in text(response)


def test_lines_of_an_adopted_budget_cannot_be_edited(staff_client):
    line = BudgetLineFactory(name="Gifts", planned=Decimal("1000.00"))

    response = staff_client.post(
        reverse("budget:line-edit", kwargs={"pk": line.pk}), {"name": "Gifts", "category": "gifts", "planned": "9999"}
    )

    assert response.status_code == 200
    adopted = "The budget is adopted: change its lines through amendments or transfers, not by editing them."
    assert adopted in text(response)
    assert 'value="9999"' in response.content.decode(), "what was typed stays in the form"
    line.refresh_from_db()
    assert line.planned == Decimal("1000.00")


def test_split_evenly_across_active_partnerships(staff_client):
    budget = BudgetFactory(year=2027, status="draft")
    for index in range(16):
        PartnershipFactory(partner_city=CityFactory(name=f"Partner {index:02}"))
    PartnershipFactory(partner_city=CityFactory(name="Ended long ago"), status="ended")

    response = staff_client.post(
        reverse("budget:line-split", kwargs={"year": 2027}), {"category": "partner_cities", "total": "208000.00"}
    )

    assert response.status_code == 302
    lines = BudgetLine.objects.filter(budget=budget)
    assert lines.count() == 16
    assert sum(line.planned for line in lines) == Decimal("208000.00")
    assert set(lines.values_list("planned", flat=True)) == {Decimal("13000.00")}
    assert not lines.filter(partnership__partner_city__name="Ended long ago").exists()
    follow = staff_client.get(response["Location"])
    assert "16 lines were created, adding up to €208,000.00." in text(follow)


def test_split_evenly_refused_on_an_adopted_budget(staff_client):
    BudgetFactory(year=2026, status="adopted")
    PartnershipFactory()

    response = staff_client.post(
        reverse("budget:line-split", kwargs={"year": 2026}), {"category": "partner_cities", "total": "1000"}
    )

    assert response.status_code == 200
    assert "The budget is adopted" in text(response)
    assert not BudgetLine.objects.exists()


def test_line_detail_shows_amounts_commitments_expenses_changes_and_requests(
    staff_client, django_assert_max_num_queries
):
    line = BudgetLineFactory(name="Lyon", planned=Decimal("13000.00"))
    trip = DelegationFactory(title="Anniversary in Lyon")
    Commitment.objects.create(line=line, amount=Decimal("2000.00"), description="Trip: Anniversary", delegation=trip)
    Commitment.objects.create(
        line=line, amount=Decimal("300.00"), description="Cancelled choir trip", status="released"
    )
    ExpenseFactory(line=line, amount=Decimal("450.00"), payee="Bakery Müller", description="Reception")
    other = BudgetLineFactory(budget=line.budget, name="Reserve")
    BudgetChange.objects.create(
        line=line,
        kind="amendment",
        amount=Decimal("1000.00"),
        council_reference="V-2026/3",
        decided_on=datetime.date(2026, 3, 3),
        reason="Jubilee year",
    )
    BudgetChange.objects.create(
        line=line,
        kind="transfer",
        amount=Decimal("-200.00"),
        counterpart=other,
        decided_on=datetime.date(2026, 4, 1),
        reason="Reserve top-up",
    )
    SupplementaryRequestFactory(line=line, amount_requested=Decimal("25000.00"))

    with django_assert_max_num_queries(LINE_DETAIL_QUERIES):
        response = staff_client.get(line_url(line))

    assert response.status_code == 200
    page = text(response)
    assert "Current (after changes) €13,800.00" in page
    assert "Committed €2,000.00" in page
    assert "Spent €450.00" in page
    assert "Available €11,350.00" in page
    assert "Trip: Anniversary Anniversary in Lyon Open" in page
    assert "Cancelled choir trip — Released" in page
    assert page.index("Trip: Anniversary") < page.index("Cancelled choir trip"), "open commitments first"
    assert "Bakery Müller Reception" in page
    assert "V-2026/3" in page
    assert "to Reserve" in page
    assert "€25,000.00 Submitted" in page
    assert "Record the decision" not in page, "only administrators decide"


# --- the line's object page (summary, actions, section nav) -----------------


def test_the_line_page_has_its_budget_s_status_a_summary_actions_and_a_section_nav(staff_client, line_item_line):
    page = staff_client.get(line_url(line_item_line)).content.decode()

    header = page[page.index('<div class="object-header">') : page.index('<div class="object-page">')]
    assert '<span class="status status-adopted">Adopted</span>' in header
    assert "Available" in section(page, "summary")
    actions = section(page, "actions")
    assert f'href="{expense_url(line_item_line)}"' in actions
    assert reverse("budget:line-export", args=[line_item_line.pk, "xlsx"]) in actions
    for anchor in ["commitments", "expenses", "changes", "requests"]:
        assert f'<a href="#{anchor}">' in page


@pytest.mark.parametrize(("client_fixture", "shown"), [("staff_client", False), ("admin_client", True)])
def test_only_administrators_see_the_amendment_of_an_adopted_line_item_line(
    request, line_item_line, client_fixture, shown
):
    actions = section(request.getfixturevalue(client_fixture).get(line_url(line_item_line)).content.decode(), "actions")

    assert (reverse("budget:amendment-create", args=[line_item_line.pk]) in actions) is shown
    assert reverse("budget:line-edit", args=[line_item_line.pk]) not in actions, "an adopted budget's lines stay"


def test_a_closed_budget_s_line_offers_no_booking_and_a_draft_s_line_its_edit(staff_client):
    closed = BudgetLineFactory(budget=BudgetFactory(year=2024, status="closed"))
    draft = BudgetLineFactory(budget=BudgetFactory(year=2027, status="draft"))

    closed_actions = section(staff_client.get(line_url(closed)).content.decode(), "actions")
    draft_actions = section(staff_client.get(line_url(draft)).content.decode(), "actions")

    assert expense_url(closed) not in closed_actions
    assert reverse("budget:line-edit", args=[closed.pk]) not in closed_actions
    assert reverse("budget:line-edit", args=[draft.pk]) in draft_actions


# --- expenses ---------------------------------------------------------------


def test_staff_see_no_override_field_admins_do(staff_client, line_item_line, client, admin_user_oia):
    assert "override_reason" not in staff_client.get(expense_url(line_item_line)).context["form"].fields
    sign_in(client, admin_user_oia)
    assert "override_reason" in client.get(expense_url(line_item_line)).context["form"].fields


def test_staff_book_an_expense(staff_client, staff_user, line_item_line):
    response = staff_client.post(expense_url(line_item_line), expense_form(amount="99.50"))

    assert response.status_code == 302
    expense = Expense.objects.get(description="Rooms for the delegation from Lyon")
    assert (expense.amount, expense.booked_by, expense.override_reason) == (Decimal("99.50"), staff_user, "")


def test_overdrawing_a_line_item_line_is_refused_with_the_reason_and_nothing_is_written(staff_client, line_item_line):
    response = staff_client.post(expense_url(line_item_line), expense_form(amount="150.00"))

    assert response.status_code == 200
    page = text(response)
    assert (
        "This expense would overdraw “Gifts for visiting mayors” by €50.00: only €100.00 is available. "
        "An administrator can override with a reason." in page
    )
    assert Expense.objects.count() == 1
    form = response.context["form"]
    assert form.data["payee"] == "Hotel am Römer"
    assert 'value="Rooms for the delegation from Lyon"' in response.content.decode(), "nothing typed is lost"


def test_an_admin_overrides_with_a_reason_and_the_overview_shows_the_overdraft(client, admin_user_oia, line_item_line):
    sign_in(client, admin_user_oia)

    refused = client.post(expense_url(line_item_line), expense_form(amount="150.00"))
    assert refused.status_code == 200, "an admin needs a reason too"
    response = client.post(
        expense_url(line_item_line), expense_form(amount="150.00", override_reason="Gift for the mayor of Lyon")
    )

    assert response.status_code == 302
    expense = Expense.objects.get(amount=Decimal("150.00"))
    assert expense.override_reason == "Gift for the mayor of Lyon"
    page = text(client.get(overview_url()))
    assert "Gifts for visiting mayors Gifts — €1,000.00 €1,000.00 €0.00 €1,050.00 -€50.00 105 % ⛔ Overdrawn" in page
    assert "1 line is overdrawn." in page
    assert "Overdraft allowed: Gift for the mayor of Lyon" in text(client.get(line_url(line_item_line)))


def test_overdrawing_a_discretionary_line_books_with_a_warning(staff_client):
    line = BudgetLineFactory(budget=BudgetFactory(year=2026, mode="discretionary"), name="Events", planned=100)

    response = staff_client.post(expense_url(line), expense_form(amount="130.00"), follow=True)

    assert Expense.objects.get().amount == Decimal("130.00")
    page = text(response)
    assert "“Events” is now overdrawn by €30.00." in page
    assert "The expense was booked." in page
    assert 'class="message message-warning"' in response.content.decode()


def test_a_foreign_currency_expense_is_converted(staff_client, line_item_line):
    response = staff_client.post(
        expense_url(line_item_line),
        expense_form(amount="", original_amount="200.00", original_currency="pln", exchange_rate="0.2345"),
    )

    assert response.status_code == 302
    expense = Expense.objects.get(original_currency="PLN")
    assert (expense.amount, expense.original_amount) == (Decimal("46.90"), Decimal("200.00"))


def test_a_currency_that_is_not_a_three_letter_code_is_refused(staff_client, line_item_line):
    response = staff_client.post(
        expense_url(line_item_line),
        expense_form(amount="", original_amount="200.00", original_currency="zł", exchange_rate="0.2345"),
    )

    assert response.status_code == 200
    assert "Give the three-letter currency code, e.g. EUR." in text(response)
    assert Expense.objects.count() == 1, "only the fixture's expense"


def test_an_expense_needs_an_amount(staff_client, line_item_line):
    response = staff_client.post(expense_url(line_item_line), expense_form(amount=""))

    assert response.status_code == 200
    assert "Give the amount, or the original amount with its currency and the exchange rate." in text(response)


def test_an_expense_for_a_delegation_replaces_its_commitment(staff_client, line_item_line):
    trip = DelegationFactory(title="Jubilee in Lyon", status="approved")
    Commitment.objects.create(line=line_item_line, amount=Decimal("80.00"), description="Trip", delegation=trip)

    response = staff_client.post(expense_url(line_item_line), expense_form(amount="90.00", delegation=trip.pk))

    assert response.status_code == 302
    assert Commitment.objects.get().status == "replaced"
    assert Expense.objects.get(delegation=trip).amount == Decimal("90.00")


# --- amendments, transfers, supplementary requests -----------------------


def test_admin_records_an_amendment(admin_client, line_item_line):
    response = admin_client.post(
        reverse("budget:amendment-create", kwargs={"pk": line_item_line.pk}),
        {"amount": "500.00", "council_reference": "V-2026/44", "decided_on": "2026-06-01", "reason": "Jubilee"},
    )

    assert response.status_code == 302
    change = BudgetChange.objects.get()
    assert (change.kind, change.amount, change.council_reference) == ("amendment", Decimal("500.00"), "V-2026/44")


def test_an_amendment_that_cuts_below_what_is_spent_is_refused(admin_client, line_item_line):
    response = admin_client.post(
        reverse("budget:amendment-create", kwargs={"pk": line_item_line.pk}),
        {"amount": "-500.00", "council_reference": "V-2026/45", "decided_on": "2026-06-01", "reason": "Savings"},
    )

    assert response.status_code == 200
    assert "The line would not cover what is already committed and spent." in text(response)
    assert not BudgetChange.objects.exists()


def test_admin_transfers_between_lines_of_a_discretionary_budget(admin_client):
    budget = BudgetFactory(year=2026, mode="discretionary")
    source = BudgetLineFactory(budget=budget, name="Reserve", planned=1000)
    target = BudgetLineFactory(budget=budget, name="Gifts", planned=100)
    elsewhere = BudgetLineFactory(budget=BudgetFactory(year=2025, mode="discretionary"), name="Old")
    url = reverse("budget:transfer-create", kwargs={"year": 2026})

    form = admin_client.get(url).context["form"]
    assert elsewhere not in form.fields["source"].queryset
    response = admin_client.post(
        url, {"source": source.pk, "target": target.pk, "amount": "250", "reason": "Mayor's visit"}
    )

    assert response.status_code == 302
    amounts = dict(BudgetChange.objects.values_list("line__name", "amount"))
    assert amounts == {"Reserve": Decimal("-250.00"), "Gifts": Decimal("250.00")}


def test_a_transfer_of_more_than_is_available_is_refused(admin_client):
    budget = BudgetFactory(year=2026, mode="discretionary")
    source = BudgetLineFactory(budget=budget, name="Reserve", planned=100)
    target = BudgetLineFactory(budget=budget, name="Gifts", planned=100)

    response = admin_client.post(
        reverse("budget:transfer-create", kwargs={"year": 2026}),
        {"source": source.pk, "target": target.pk, "amount": "250", "reason": "Too much"},
    )

    assert response.status_code == 200
    assert "Only €100.00 is available on “Reserve”." in text(response)
    assert not BudgetChange.objects.exists()


def test_staff_request_a_supplementary_grant(staff_client, staff_user, line_item_line):
    response = staff_client.post(
        reverse("budget:supplementary-create", kwargs={"pk": line_item_line.pk}),
        {"amount_requested": "25000.00", "justification": "Jubilee year: 25 years of partnership."},
    )

    assert response.status_code == 302
    request = SupplementaryRequest.objects.get()
    assert (request.line, request.created_by, request.status) == (line_item_line, staff_user, "draft")


def test_admin_records_a_grant_which_raises_the_line(admin_client, line_item_line):
    request = SupplementaryRequestFactory(line=line_item_line, amount_requested=Decimal("25000.00"))
    url = reverse("budget:supplementary-decide", kwargs={"pk": request.pk})

    response = admin_client.post(
        url, {"status": "granted", "granted_amount": "20000", "council_reference": "V-2026/50", "decided_on": ""}
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.granted_amount) == (RequestStatus.GRANTED, Decimal("20000.00"))
    assert BudgetLine.objects.with_amounts().get(pk=line_item_line.pk).current == Decimal("21000.00")
    again = admin_client.post(url, {"status": "refused"})
    assert again.status_code == 200
    assert "This request has already been decided." in text(again)


# --- the money on partnership and delegation pages ------------------------


def test_partnership_detail_shows_the_money_of_this_year(staff_client, django_assert_max_num_queries):
    year = datetime.date.today().year
    lyon = PartnershipFactory(partner_city=CityFactory(name="Lyon"))
    line = BudgetLineFactory(budget=BudgetFactory(year=year), name="Partner city Lyon", partnership=lyon)
    ExpenseFactory(line=line, amount=Decimal("1200.00"))
    Commitment.objects.create(line=line, amount=Decimal("800.00"), description="Choir trip")
    old = BudgetLineFactory(budget=BudgetFactory(year=year - 1), name="Old Lyon line", partnership=lyon)
    ExpenseFactory(line=old, amount=Decimal("999.00"))

    response = staff_client.get(reverse("partners:partnership-detail", args=[lyon.pk]))

    page = text(response)
    assert f"In {year}: €1,200.00 spent and €800.00 committed on this partnership's budget lines." in page
    assert "Old Lyon line" not in page


def test_delegation_detail_shows_the_money_booked_and_committed(staff_client):
    line = BudgetLineFactory(name="Partner city Lyon")
    trip = DelegationFactory(budget_line=line)
    ExpenseFactory(line=line, delegation=trip, amount=Decimal("300.00"))
    Commitment.objects.create(line=line, amount=Decimal("700.00"), description="Trip", delegation=trip)
    Commitment.objects.create(line=line, amount=Decimal("50.00"), description="Old", delegation=trip, status="released")

    page = text(staff_client.get(reverse("delegations:delegation-detail", args=[trip.pk])))

    assert "Booked (expenses) €300.00" in page
    assert "Committed (not yet paid) €700.00" in page
    assert "Budget line Partner city Lyon (2026)" in page


def test_only_office_roles_open_the_budget(client, db):
    sign_in(client, UserFactory(role=Role.COUNCIL))

    assert client.get(overview_url(BudgetFactory().year)).status_code == 403


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
def test_the_grant_list_with_a_year_out_of_bounds_shows_the_error_and_answers_400(staff_client, value):
    GrantApplicationFactory()

    response = staff_client.get(reverse("budget:grant-list"), {"year": value})

    assert response.status_code == 400
    assert "Enter a year from 1900 to 2200." in response.content.decode()
    assert not response.context["object_list"]


def test_the_overview_with_an_unknown_category_shows_the_error_and_answers_400(staff_client, line_item_line):
    response = staff_client.get(overview_url(), {"category": "bogus"})

    assert response.status_code == 400
    assert "Select a valid choice." in text(response)


def test_an_export_with_an_unknown_category_answers_400_in_words(staff_client, line_item_line):
    response = staff_client.get(reverse("budget:budget-export", kwargs={"year": 2026, "fmt": "csv"}), {"category": "x"})

    assert response.status_code == 400
    assert response.content.decode().startswith("Category: Select a valid choice.")


@pytest.mark.parametrize("year", ["1899", "99999", str(10**20)])
def test_a_budget_for_a_year_outside_the_range_is_a_form_error(admin_client, year):
    response = admin_client.post(
        reverse("budget:budget-create"), {"year": year, "mode": "line_item", "currency": "EUR"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert not Budget.objects.filter(year__gt=2200).exists()
