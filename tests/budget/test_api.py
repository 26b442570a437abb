"""The budget API: office staff read and book, administrators adopt, amend,
transfer and decide; writes go through the services, so the API refuses
what the forms refuse; the amounts of a line are computed in SQL."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import BudgetChange, BudgetLine, Commitment, Expense, SupplementaryRequest
from oia.roles import Role
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    DelegationFactory,
    ExpenseFactory,
    MembershipFactory,
    PartnershipFactory,
    SupplementaryRequestFactory,
    UserFactory,
)

M = Decimal

# Role check, count, page: every list joins what its rows show.
API_LIST_QUERIES = {
    "api:budget-list": 3,
    "api:budget-line-list": 3,
    "api:expense-list": 3,
    "api:commitment-list": 3,
    "api:budget-change-list": 3,
    "api:supplementary-request-list": 3,
}


def change(line, amount, **fields):
    return BudgetChange.objects.create(
        line=line, kind="amendment", amount=amount, decided_on=datetime.date(2026, 5, 1), reason="Council.", **fields
    )


def commitment(line, amount, **fields):
    return Commitment.objects.create(line=line, amount=amount, description="Trip", **fields)


def full_line(**fields):
    """A line with a partnership, a change, an open commitment and an expense."""
    line = BudgetLineFactory(partnership=PartnershipFactory(), **fields)
    change(line, 2000)
    commitment(line, 1500, delegation=DelegationFactory())
    ExpenseFactory(line=line, amount=500, booked_by=UserFactory())
    SupplementaryRequestFactory(line=line, created_by=UserFactory())
    return line


def line_url(line):
    return reverse("api:budget-line-detail", args=[line.pk])


def amounts_of(line):
    row = BudgetLine.objects.with_amounts().get(pk=line.pk)
    return row.current, row.committed, row.spent, row.available


# --- lists and their query counts ------------------------------------------


def _many(endpoint, count):
    if endpoint == "api:budget-list":
        for index in range(count):
            BudgetLineFactory(budget=BudgetFactory(year=1900 + index, adopted_by=UserFactory()))
        return
    for _ in range(count):
        line = full_line()
    if endpoint == "api:budget-change-list":
        # A transfer's other line is joined too.
        BudgetChange.objects.update(counterpart=line)


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize("endpoint", sorted(API_LIST_QUERIES))
def test_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, endpoint, count):
    _many(endpoint, count)

    with django_assert_max_num_queries(API_LIST_QUERIES[endpoint]):
        response = staff_api.get(reverse(endpoint), {"page_size": 200})

    assert response.status_code == 200
    assert response.json()["count"] >= count
    assert len(response.json()["results"]) == min(response.json()["count"], 200)


def test_line_shows_its_amounts_computed_in_sql(staff_api):
    line = full_line(planned=13000)
    commitment(line, 700, status="released")
    ExpenseFactory(line=line, amount="250.50")

    body = staff_api.get(line_url(line)).json()

    assert body["year"] == 2026
    assert body["partner_city"] == line.partnership.partner_city.name
    assert {key: body[key] for key in ("planned", "changes", "current", "committed", "spent", "available")} == {
        "planned": "13000.00",
        "changes": "2000.00",
        "current": "15000.00",
        "committed": "1500.00",
        "spent": "750.50",
        "available": "12749.50",
    }


def test_budget_list_shows_the_planned_total(staff_api):
    budget = BudgetFactory(year=2027, status="draft")
    BudgetLineFactory(budget=budget, planned="13000.00")
    BudgetLineFactory(budget=budget, planned="20000.50")
    BudgetFactory(year=2028, status="draft")

    rows = {row["year"]: row for row in staff_api.get(reverse("api:budget-list")).json()["results"]}

    assert rows[2027]["planned_total"] == "33000.50"
    assert rows[2028]["planned_total"] == "0.00"
    assert rows[2027]["status"] == "draft"


def test_line_filters_by_year_category_and_partnership(staff_api):
    kraków = BudgetLineFactory(name="Kraków", partnership=PartnershipFactory())
    europe = BudgetLineFactory(name="Europe", category="europe_networks")
    older = BudgetLineFactory(name="Old", budget=BudgetFactory(year=2025))
    url = reverse("api:budget-line-list")

    def names(**params):
        return sorted(row["name"] for row in staff_api.get(url, params).json()["results"])

    assert names(year=2026) == ["Europe", "Kraków"]
    assert names(year=2025) == [older.name]
    assert names(category="europe_networks") == [europe.name]
    assert names(partnership=kraków.partnership_id) == ["Kraków"]
    assert names(year=2026, ordering="-name") == ["Europe", "Kraków"]
    assert staff_api.get(url, {"category": "nonsense"}).status_code == 400


def test_lines_are_filtered_alike_on_the_overview_and_in_the_api(client, api_client, staff_user):
    """Given lines of one budget, when the page and the API get the same text and
    attention filters, then both list the same lines: one FilterSet serves both."""
    budget = BudgetFactory(year=2026)
    krakow = BudgetLineFactory(budget=budget, name="Kraków visit", planned=100, partnership=PartnershipFactory())
    BudgetLineFactory(budget=budget, name="Reserve", planned=100)
    nearly = BudgetLineFactory(budget=budget, name="Press trips", planned=100)
    ExpenseFactory(line=nearly, amount=M("95.00"))
    client.force_login(staff_user)
    api_client.force_authenticate(staff_user)
    page_url = reverse("budget:budget-overview", kwargs={"year": 2026})

    def on_page(**params):
        return sorted(line.name for line in client.get(page_url, params).context["overview"].lines)

    def in_api(**params):
        answer = api_client.get(reverse("api:budget-line-list"), {"year": 2026, **params})
        return sorted(row["name"] for row in answer.json()["results"])

    for params in ({"q": "reserve"}, {"q": krakow.partnership.partner_city.name}, {"attention": "true"}):
        assert on_page(**params) == in_api(**params)
    assert in_api(attention="true") == ["Press trips"]
    assert in_api(q="reserve") == ["Reserve"]


def test_expense_and_commitment_filters(staff_api):
    line = BudgetLineFactory(category="europe_networks")
    fee = ExpenseFactory(line=line, membership=MembershipFactory())
    ExpenseFactory(line=BudgetLineFactory(budget=BudgetFactory(year=2025)))
    trip = DelegationFactory()
    open_one = commitment(line, 100, delegation=trip)
    commitment(line, 200, status="released")

    def ids(endpoint, **params):
        return [row["id"] for row in staff_api.get(reverse(endpoint), params).json()["results"]]

    assert ids("api:expense-list", year=2026) == [fee.pk]
    assert ids("api:expense-list", category="europe_networks") == [fee.pk]
    assert ids("api:expense-list", membership=fee.membership_id) == [fee.pk]
    assert ids("api:commitment-list", status="open") == [open_one.pk]
    assert ids("api:commitment-list", delegation=trip.pk) == [open_one.pk]


# --- budgets and lines ------------------------------------------------------


def test_admin_creates_a_draft_budget_and_adopts_it(admin_api, admin_user_oia):
    response = admin_api.post(reverse("api:budget-list"), {"year": 2027, "mode": "discretionary"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["mode"], body["currency"], body["planned_total"]) == (
        "draft",
        "discretionary",
        "EUR",
        "0.00",
    )
    adopt = reverse("api:budget-adopt", args=[body["id"]])

    refused = admin_api.post(adopt, {}, format="json")
    assert refused.status_code == 400
    assert "without lines" in refused.json()["non_field_errors"][0]

    BudgetLineFactory(budget_id=body["id"], planned=5000)
    adopted = admin_api.post(adopt, {"adopted_on": "2026-12-10"}, format="json")
    assert adopted.status_code == 200, adopted.json()
    assert adopted.json()["status"] == "adopted"
    assert adopted.json()["adopted_on"] == "2026-12-10"
    assert adopted.json()["adopted_by"] == admin_user_oia.username
    assert adopted.json()["planned_total"] == "5000.00"

    again = admin_api.post(adopt, {}, format="json")
    assert again.status_code == 400
    assert "Only a draft budget" in again.json()["non_field_errors"][0]


def test_a_year_has_one_budget(admin_api):
    BudgetFactory(year=2027)

    response = admin_api.post(reverse("api:budget-list"), {"year": 2027}, format="json")

    assert response.status_code == 400
    assert "year" in response.json()


def test_staff_may_not_create_or_adopt_a_budget(staff_api):
    budget = BudgetFactory(year=2027, status="draft")
    BudgetLineFactory(budget=budget)

    assert staff_api.post(reverse("api:budget-list"), {"year": 2028}, format="json").status_code == 403
    assert staff_api.post(reverse("api:budget-adopt", args=[budget.pk]), {}, format="json").status_code == 403
    budget.refresh_from_db()
    assert budget.status == "draft"


def test_staff_create_and_edit_lines_of_a_draft_budget(staff_api):
    budget = BudgetFactory(year=2027, status="draft")
    partnership = PartnershipFactory()

    created = staff_api.post(
        reverse("api:budget-line-list"),
        {
            "budget": budget.pk,
            "name": "Partner city Lyon",
            "category": "partner_cities",
            "partnership": partnership.pk,
            "planned": "13000.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["available"] == "13000.00"
    assert created.json()["partner_city"] == partnership.partner_city.name
    line = BudgetLine.objects.get(pk=created.json()["id"])

    edited = staff_api.patch(line_url(line), {"planned": "14000.00"}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["current"] == "14000.00"

    duplicate = staff_api.post(
        reverse("api:budget-line-list"),
        {"budget": budget.pk, "name": "Partner city Lyon", "category": "other", "planned": "1.00"},
        format="json",
    )
    assert duplicate.status_code == 400
    assert "already has a line with this name" in str(duplicate.json())

    moved = staff_api.patch(line_url(line), {"budget": BudgetFactory(year=2028, status="draft").pk}, format="json")
    assert moved.status_code == 400
    assert "another budget" in moved.json()["budget"]

    negative = staff_api.patch(line_url(line), {"planned": "-1.00"}, format="json")
    assert negative.status_code == 400


def test_lines_of_an_adopted_budget_are_not_edited(staff_api):
    line = BudgetLineFactory(planned=13000)

    edited = staff_api.patch(line_url(line), {"planned": "20000.00"}, format="json")
    created = staff_api.post(
        reverse("api:budget-line-list"),
        {"budget": line.budget_id, "name": "Gifts", "category": "gifts", "planned": "500.00"},
        format="json",
    )

    assert edited.status_code == 400
    assert "amendments or transfers" in edited.json()["non_field_errors"][0]
    assert created.status_code == 400
    line.refresh_from_db()
    assert line.planned == M("13000.00")
    assert not BudgetLine.objects.filter(name="Gifts").exists()


# --- expenses ---------------------------------------------------------------


def book(client, line, **fields):
    data = {"line": line.pk, "date": "2026-03-01", "payee": "Hotel am Römer", "description": "Rooms", **fields}
    return client.post(reverse("api:expense-list"), data, format="json")


def test_staff_book_an_expense(staff_api, staff_user):
    line = BudgetLineFactory(planned=1000)
    trip = DelegationFactory()
    commitment(line, 400, delegation=trip)

    response = book(staff_api, line, amount="350.00", delegation=trip.pk)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["booked_by"], body["warning"], body["line_name"]) == (
        "350.00",
        staff_user.username,
        "",
        line.name,
    )
    assert body["original_currency"] == ""
    assert body["original_amount"] is None
    # The expense replaces the trip's commitment.
    assert amounts_of(line) == (M("1000.00"), M("0.00"), M("350.00"), M("650.00"))
    assert Commitment.objects.get(delegation=trip).status == "replaced"


def test_a_foreign_currency_expense_is_converted_once(staff_api):
    line = BudgetLineFactory(planned=1000)

    response = book(staff_api, line, original_amount="333.33", original_currency="gbp", exchange_rate="1.172345")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["original_amount"], body["original_currency"], body["exchange_rate"]) == (
        "390.78",  # 333.33 × 1.172345 = 390.7757… rounded half up once
        "333.33",
        "GBP",
        "1.172345",
    )


def test_a_foreign_currency_expense_needs_the_rate(staff_api):
    response = book(staff_api, BudgetLineFactory(), original_amount="100.00", original_currency="GBP")

    assert response.status_code == 400
    assert "exchange rate" in response.json()["exchange_rate"][0]
    assert book(staff_api, BudgetLineFactory(), original_currency="POUNDS", amount="1").status_code == 400
    assert book(staff_api, BudgetLineFactory()).json() == {"amount": ["Give the amount."]}


def test_overdrawing_a_line_item_line_is_refused_unless_an_admin_overrides(staff_api, admin_api):
    line = BudgetLineFactory(planned=1000)
    ExpenseFactory(line=line, amount=900)

    refused = book(staff_api, line, amount="200.00")
    assert refused.status_code == 400
    assert "overdraw" in refused.json()["amount"][0]
    assert "only €100.00 is available" in refused.json()["amount"][0]

    staff_override = book(staff_api, line, amount="200.00", override_reason="Gift for the mayor")
    assert staff_override.status_code == 400
    assert "administrator" in staff_override.json()["non_field_errors"][0]
    assert Expense.objects.filter(line=line).count() == 1

    overridden = book(admin_api, line, amount="200.00", override_reason="Gift for the visiting mayor")
    assert overridden.status_code == 201, overridden.json()
    assert overridden.json()["override_reason"] == "Gift for the visiting mayor"
    assert amounts_of(line)[3] == M("-100.00")


def test_overdrawing_a_discretionary_line_books_with_a_warning(staff_api):
    line = BudgetLineFactory(planned=100, budget=BudgetFactory(year=2027, mode="discretionary"))

    response = book(staff_api, line, amount="150.00")

    assert response.status_code == 201
    assert "overdrawn by €50.00" in response.json()["warning"]


def test_no_expense_on_a_closed_budget(staff_api):
    line = BudgetLineFactory(budget=BudgetFactory(year=2020, status="closed"))

    response = book(staff_api, line, amount="10.00")

    assert response.status_code == 400
    assert "closed" in response.json()["non_field_errors"][0]


# --- changes after adoption ---------------------------------------------------


def test_admin_records_an_amendment(admin_api, admin_user_oia):
    line = BudgetLineFactory(planned=13000)

    response = admin_api.post(
        reverse("api:budget-change-list"),
        {
            "kind": "amendment",
            "line": line.pk,
            "amount": "5000.00",
            "council_reference": "Council 2026/0815",
            "decided_on": "2026-06-01",
            "reason": "Jubilee programme.",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    [row] = response.json()
    assert (row["kind"], row["amount"], row["line"], row["recorded_by"]) == (
        "amendment",
        "5000.00",
        line.pk,
        admin_user_oia.username,
    )
    assert amounts_of(line)[0] == M("18000.00")
    listed = admin_api.get(reverse("api:budget-change-list"), {"line": line.pk}).json()["results"]
    assert [row["id"] for row in listed] == [row["id"]]


def test_amendments_are_checked(admin_api):
    line = BudgetLineFactory(planned=1000)
    ExpenseFactory(line=line, amount=800)
    url = reverse("api:budget-change-list")
    amendment = {"kind": "amendment", "line": line.pk, "decided_on": "2026-06-01", "reason": "Cuts."}

    no_reference = admin_api.post(url, {**amendment, "amount": "100.00"}, format="json")
    too_deep = admin_api.post(url, {**amendment, "amount": "-300.00", "council_reference": "C 1"}, format="json")
    no_line = admin_api.post(url, {"kind": "amendment", "amount": "1.00", "reason": "?"}, format="json")
    discretionary = BudgetLineFactory(budget=BudgetFactory(year=2027, mode="discretionary"))
    wrong_mode = admin_api.post(
        url, {**amendment, "line": discretionary.pk, "amount": "1.00", "council_reference": "C 2"}, format="json"
    )

    assert no_reference.status_code == 400
    assert "council decision" in no_reference.json()["council_reference"][0]
    assert too_deep.status_code == 400
    assert "already committed and spent" in too_deep.json()["amount"][0]
    assert no_line.status_code == 400
    assert set(no_line.json()) == {"line", "decided_on"}
    assert wrong_mode.status_code == 400
    assert "cannot be changed by amendments" in wrong_mode.json()["non_field_errors"][0]
    assert not BudgetChange.objects.exists()


def test_admin_transfers_between_lines_of_a_discretionary_budget(admin_api):
    budget = BudgetFactory(year=2027, mode="discretionary")
    source = BudgetLineFactory(budget=budget, planned=5000)
    target = BudgetLineFactory(budget=budget, planned=1000)
    url = reverse("api:budget-change-list")
    transfer = {"kind": "transfer", "source": source.pk, "target": target.pk, "reason": "Visit of the mayor."}

    response = admin_api.post(url, {**transfer, "amount": "1500.00"}, format="json")

    assert response.status_code == 201, response.json()
    assert [(row["line"], row["amount"], row["counterpart"]) for row in response.json()] == [
        (source.pk, "-1500.00", target.pk),
        (target.pk, "1500.00", source.pk),
    ]
    assert amounts_of(source)[0] == M("3500.00")
    assert amounts_of(target)[0] == M("2500.00")
    too_much = admin_api.post(url, {**transfer, "amount": "9000.00"}, format="json")
    assert too_much.status_code == 400
    assert "Only €3,500.00 is available" in too_much.json()["amount"][0]
    line_item = BudgetLineFactory()
    wrong_mode = admin_api.post(
        url, {**transfer, "source": line_item.pk, "target": BudgetLineFactory().pk, "amount": "1"}, format="json"
    )
    assert wrong_mode.status_code == 400
    no_target = admin_api.post(url, {"kind": "transfer", "source": source.pk, "amount": "1", "reason": "x"})
    assert set(no_target.json()) == {"target"}
    supplementary = admin_api.post(url, {**transfer, "kind": "supplementary", "amount": "1"}, format="json")
    assert supplementary.status_code == 400


def test_staff_may_not_amend_or_transfer(staff_api):
    line = BudgetLineFactory()

    response = staff_api.post(
        reverse("api:budget-change-list"),
        {
            "kind": "amendment",
            "line": line.pk,
            "amount": "5000.00",
            "council_reference": "C 1",
            "decided_on": "2026-06-01",
            "reason": "More.",
        },
        format="json",
    )

    assert response.status_code == 403
    assert not BudgetChange.objects.exists()


# --- supplementary requests ---------------------------------------------------


def test_staff_submit_and_the_admin_grants_a_supplementary_request(staff_api, admin_api, staff_user):
    line = BudgetLineFactory(planned=13000)

    created = staff_api.post(
        reverse("api:supplementary-request-list"),
        {
            "line": line.pk,
            "amount_requested": "25000.00",
            "justification": "Jubilee: 50 years of partnership.",
            "status": "submitted",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["status"], created.json()["created_by"]) == ("submitted", staff_user.username)
    decide = reverse("api:supplementary-request-decide", args=[created.json()["id"]])

    assert staff_api.post(decide, {"status": "granted"}, format="json").status_code == 403

    granted = admin_api.post(
        decide,
        {
            "status": "granted",
            "granted_amount": "20000.00",
            "council_reference": "C 2026/12",
            "decided_on": "2026-04-02",
        },
        format="json",
    )
    assert granted.status_code == 200, granted.json()
    assert (granted.json()["status"], granted.json()["granted_amount"], granted.json()["decided_on"]) == (
        "granted",
        "20000.00",
        "2026-04-02",
    )
    assert amounts_of(line)[0] == M("33000.00")
    assert BudgetChange.objects.get(line=line).kind == "supplementary"

    again = admin_api.post(decide, {"status": "refused"}, format="json")
    assert again.status_code == 400
    assert "already been decided" in again.json()["non_field_errors"][0]


def test_a_refusal_changes_nothing_and_a_new_request_is_not_decided_by_its_author(staff_api, admin_api):
    request = SupplementaryRequestFactory()

    refused = admin_api.post(
        reverse("api:supplementary-request-decide", args=[request.pk]), {"status": "refused"}, format="json"
    )
    granted_on_creation = staff_api.post(
        reverse("api:supplementary-request-list"),
        {"line": request.line_id, "amount_requested": "1.00", "justification": "?", "status": "granted"},
        format="json",
    )

    assert refused.json()["status"] == "refused"
    assert not BudgetChange.objects.exists()
    assert granted_on_creation.status_code == 400
    assert SupplementaryRequest.objects.count() == 1


# --- commitments and roles ----------------------------------------------------


def test_commitments_are_read_only(staff_api):
    line = BudgetLineFactory()
    trip = DelegationFactory(title="Lord Mayor's visit to Lyon")
    item = commitment(line, 1900, delegation=trip)

    body = staff_api.get(reverse("api:commitment-detail", args=[item.pk])).json()

    assert (body["amount"], body["status"], body["delegation_title"], body["line_name"]) == (
        "1900.00",
        "open",
        trip.title,
        line.name,
    )
    assert staff_api.post(reverse("api:commitment-list"), {"line": line.pk, "amount": "1"}).status_code == 405


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
@pytest.mark.parametrize("endpoint", sorted(API_LIST_QUERIES))
def test_the_budget_api_is_for_office_staff(api_client, db, role, endpoint):
    api_client.force_authenticate(UserFactory(role=role))

    assert api_client.get(reverse(endpoint)).status_code == 403


@pytest.mark.parametrize("endpoint", sorted(API_LIST_QUERIES))
def test_anonymous_gets_401(api_client, db, endpoint):
    assert api_client.get(reverse(endpoint)).status_code == 401


@pytest.mark.parametrize("value", ["0", "99999", "1e16"])
@pytest.mark.parametrize("name", list(API_LIST_QUERIES))
def test_a_fiscal_year_outside_1900_to_2200_answers_400_naming_the_range(staff_api, name, value):
    response = staff_api.get(reverse(name), {"year": value})

    assert response.status_code == 400
    assert response.json() == {"year": ["Enter a year from 1900 to 2200."]}


@pytest.mark.parametrize("value", ["0", "1.5", "1e16", "99999999999999999999"])
def test_a_partnership_that_is_no_id_answers_400(staff_api, value):
    response = staff_api.get(reverse("api:expense-list"), {"partnership": value})

    assert response.status_code == 400
    assert "partnership" in response.json()


@pytest.mark.parametrize("year", [1899, 2201, 10**20])
def test_a_budget_for_a_year_outside_the_range_is_refused(admin_api, year):
    response = admin_api.post(reverse("api:budget-list"), {"year": year, "mode": "line_item"}, format="json")

    assert response.status_code == 400
    assert "year" in response.json()
