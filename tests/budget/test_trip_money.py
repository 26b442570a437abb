"""A trip's money, from its budget line to its invoices: the line is chosen in
the delegation form and the API (a line of the trip's budget year, of its
partnership where the line is reserved for one); approval commits the
approved estimate under the rules of every charge (refused or warned when the
line would be overdrawn, an administrator's reason recorded), race-safe;
booking the invoices turns the commitment into expenses, cancelling releases
it; the partnership page and the council report show it."""

import datetime
import html
import re
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from budget import services
from budget.models import BudgetLine, Commitment, Expense, fiscal_year_of
from delegations import services as delegation_services
from delegations.forms import DelegationForm
from delegations.models import Delegation, Transition
from reports.sections import budget as budget_section
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    CityFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    PartnershipFactory,
    ProgrammeItemFactory,
    UserFactory,
)
from tests.second_factor import sign_in

D = datetime.date
M = Decimal
# The partnership page: its own queries (session, user, roles, the partnership with
# its relations, exchanges, history, notifications …) plus the money panel's two: the
# lines of the year and the trips of the year with their money. Measured: 17 with 1 and 12 trips.
PARTNERSHIP_PAGE_QUERIES = 17


def text(response):
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def amounts(line):
    row = BudgetLine.objects.with_amounts().get(pk=line.pk)
    return row.committed, row.spent, row.available


def ready_trip(line=None, estimated="800.00", **fields):
    """A submitted trip with a working programme and an estimated cost, ready to approve."""
    trip = DelegationFactory(status="submitted", budget_line=line, **fields)
    ProgrammeItemFactory(delegation=trip)
    CostFactory(delegation=trip, estimated=M(estimated))
    return trip


def approve(trip, by, **kwargs):
    return delegation_services.delegation_transition(delegation=trip, to_status="approved", by=by, **kwargs)


def edit(trip, by, **fields):
    trip.refresh_from_db()
    return delegation_services.delegation_update(delegation=trip, version=trip.version, by=by, **fields)


def trip_money_rows(response) -> list[str]:
    """The rows of the partnership page's table of its trips' money, as text."""
    page = response.content.decode()
    table = page[page.index('<table id="trip-money">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def this_year() -> int:
    """The fiscal year the partnership page shows."""
    return fiscal_year_of(timezone.localdate())


def lyon():
    return PartnershipFactory(partner_city=CityFactory(name="Lyon", country="FR"))


def transitions_url(trip):
    return reverse("api:delegation-transitions", args=[trip.pk])


def expense_url(line):
    return reverse("budget:expense-create", kwargs={"pk": line.pk})


# --- the line of a trip ----------------------------------------------------------


def test_a_trip_is_charged_to_a_line_of_the_budget_of_its_year(staff):
    trip = DelegationFactory(start_on=D(2026, 4, 20))
    next_year = BudgetLineFactory(budget=BudgetFactory(year=2027, status="draft"), name="Partner cities 2027")

    with pytest.raises(ValidationError) as refused:
        edit(trip, staff, budget_line=next_year)

    assert refused.value.message_dict["budget_line"] == [
        "This line belongs to the budget of 2027, but the trip starts in the fiscal year 2026: "
        "choose a line of that year's budget."
    ]
    this_year = BudgetLineFactory(name="Europe and networks")
    assert edit(trip, staff, budget_line=this_year).budget_line == this_year


def test_the_fiscal_year_decides_when_it_does_not_start_in_january(staff, settings):
    settings.OIA_FISCAL_YEAR_START_MONTH = 7
    trip = DelegationFactory(start_on=D(2026, 3, 10))
    line_2025 = BudgetLineFactory(budget=BudgetFactory(year=2025))

    assert edit(trip, staff, budget_line=line_2025).budget_line == line_2025
    with pytest.raises(ValidationError, match="fiscal year 2025"):
        edit(trip, staff, budget_line=BudgetLineFactory(budget=BudgetFactory(year=2026)))


def test_a_line_reserved_for_a_partner_city_pays_only_that_partnerships_trips(staff):
    partnership = lyon()
    line = BudgetLineFactory(name="Partner city Lyon", partnership=partnership)
    elsewhere = DelegationFactory()
    to_lyon = DelegationFactory(city=partnership.partner_city, partnership=partnership)

    with pytest.raises(ValidationError) as refused:
        edit(elsewhere, staff, budget_line=line)

    assert "reserved for the partnership with Lyon" in refused.value.message_dict["budget_line"][0]
    assert edit(to_lyon, staff, budget_line=line).budget_line == line


def test_a_line_of_a_closed_budget_is_refused_but_an_old_trip_keeps_its_own(staff):
    closed = BudgetLineFactory(budget=BudgetFactory(year=2025, status="closed"))
    new = DelegationFactory(start_on=D(2025, 5, 1))
    old = DelegationFactory(start_on=D(2025, 6, 1), budget_line=closed)

    with pytest.raises(ValidationError, match="The budget of 2025 is closed"):
        edit(new, staff, budget_line=closed)
    assert edit(old, staff, trip_report="Agreement on school exchanges signed.").budget_line == closed


def test_the_form_offers_the_lines_of_open_budgets_and_the_trips_own(db):
    BudgetLineFactory(budget=BudgetFactory(year=2025, status="closed"), name="Closed line")
    BudgetLineFactory(budget=BudgetFactory(year=2026), name="Adopted line")
    BudgetLineFactory(budget=BudgetFactory(year=2027, status="draft"), name="Draft line")

    offered = [str(line) for line in DelegationForm().fields["budget_line"].queryset]

    assert offered == ["Draft line (2027)", "Adopted line (2026)"]
    kept = DelegationFactory(budget_line=BudgetLine.objects.get(name="Closed line"))
    assert "Closed line (2025)" in [str(line) for line in DelegationForm(instance=kept).fields["budget_line"].queryset]


def test_the_edit_page_saves_a_fitting_line_and_explains_a_wrong_one(staff_client):
    trip = DelegationFactory(title="Mayor to Lyon")
    line = BudgetLineFactory(name="Europe and networks")
    other_year = BudgetLineFactory(budget=BudgetFactory(year=2027, status="draft"), name="Next year")
    url = reverse("delegations:delegation-edit", args=[trip.pk])
    form = staff_client.get(url).context["form"]
    data = {name: value for name in form.fields if (value := form[name].value()) is not None and value is not False}

    refused = staff_client.post(url, {**data, "budget_line": other_year.pk})
    saved = staff_client.post(url, {**data, "budget_line": line.pk})

    assert refused.status_code == 200
    assert "This line belongs to the budget of 2027" in text(refused)
    assert saved.status_code == 302
    trip.refresh_from_db()
    assert trip.budget_line == line


def test_the_api_sets_the_line_and_refuses_one_that_does_not_fit(staff_api):
    partnership = lyon()
    reserved = BudgetLineFactory(partnership=partnership)
    general = BudgetLineFactory()
    body = {
        "direction": "outbound",
        "title": "Choir festival",
        "purpose": "other",
        "country": "DE",
        "start_on": "2026-06-01",
        "end_on": "2026-06-03",
        "department": DepartmentFactory().pk,
    }

    refused = staff_api.post(reverse("api:delegation-list"), {**body, "budget_line": reserved.pk}, format="json")
    created = staff_api.post(reverse("api:delegation-list"), {**body, "budget_line": general.pk}, format="json")
    unknown = staff_api.post(reverse("api:delegation-list"), {**body, "budget_line": 999999}, format="json")

    assert refused.status_code == 400
    assert "reserved for the partnership with Lyon" in refused.json()["budget_line"][0]
    assert created.status_code == 201, created.json()
    assert created.json()["budget_line"] == general.pk
    assert unknown.status_code == 400
    assert "budget_line" in unknown.json()


# --- approval commits under the rules of every charge ------------------------------------


def test_approving_beyond_a_line_item_line_is_refused_and_nothing_changes(admin):
    line = BudgetLineFactory(name="Partner city Lyon", planned=M("500.00"))
    trip = ready_trip(line, estimated="800.00")

    with pytest.raises(delegation_services.TransitionNotAllowed) as refused:
        approve(trip, admin)

    assert str(refused.value) == (
        "Approving this trip would overdraw “Partner city Lyon” by €300.00: only €500.00 is available. "
        "An administrator can override with a reason."
    )
    trip.refresh_from_db()
    assert (trip.status, trip.approved_estimate, trip.version) == ("submitted", None, 1)
    assert not Transition.objects.filter(delegation=trip, to_status="approved").exists()
    assert not Commitment.objects.exists()


def test_an_administrator_approves_beyond_the_line_with_a_reason_kept_on_the_commitment(admin):
    line = BudgetLineFactory(planned=M("500.00"))
    trip = ready_trip(line, estimated="800.00")

    step = approve(trip, admin, override_reason="  Jubilee: the council will top the line up in May.  ")

    commitment = Commitment.objects.get(delegation=trip)
    assert (commitment.amount, commitment.status) == (M("800.00"), "open")
    assert commitment.override_reason == "Jubilee: the council will top the line up in May."
    assert amounts(line) == (M("800.00"), M("0.00"), M("-300.00"))
    assert step.warning == ""


def test_a_reason_is_not_kept_when_the_line_covers_the_trip(admin):
    trip = ready_trip(BudgetLineFactory(planned=M("5000.00")))

    approve(trip, admin, override_reason="Just in case")

    assert Commitment.objects.get(delegation=trip).override_reason == ""


def test_a_discretionary_line_takes_the_approval_with_a_warning(admin):
    line = BudgetLineFactory(budget=BudgetFactory(year=2026, mode="discretionary"), name="Events", planned=M("500"))
    trip = ready_trip(line, estimated="650.00")

    step = approve(trip, admin)

    assert step.warning == "“Events” is now overdrawn by €150.00."
    trip.refresh_from_db()
    assert trip.status == "approved"
    assert amounts(line) == (M("650.00"), M("0.00"), M("-150.00"))


def test_a_trip_on_a_draft_budgets_line_is_approved_only_once_the_budget_is_adopted(admin):
    line = BudgetLineFactory(budget=BudgetFactory(year=2026, status="draft"), planned=M("5000"))
    trip = ready_trip(line)

    with pytest.raises(delegation_services.TransitionNotAllowed, match="which is draft"):
        approve(trip, admin)

    services.budget_adopt(budget=line.budget, by=admin)
    approve(trip, admin)
    assert amounts(line)[0] == M("800.00")


def test_a_trip_without_a_line_is_approved_without_a_commitment(admin):
    trip = ready_trip(None)

    approve(trip, admin)

    trip.refresh_from_db()
    assert trip.status == "approved"
    assert not Commitment.objects.exists()


def test_reapproval_counts_what_the_old_commitment_held_as_available(admin):
    line = BudgetLineFactory(planned=M("1000.00"))
    trip = ready_trip(line, estimated="800.00")
    approve(trip, admin)
    CostFactory(delegation=trip, estimated=M("150.00"))
    delegation_services.delegation_transition(delegation=trip, to_status="submitted", by=admin)

    approve(trip, admin)

    assert list(Commitment.objects.filter(delegation=trip).values_list("status", "amount").order_by("pk")) == [
        ("released", M("800.00")),
        ("open", M("950.00")),
    ]
    assert amounts(line) == (M("950.00"), M("0.00"), M("50.00"))


def test_two_trips_approved_at_the_same_moment_take_only_what_the_line_holds(transactional_db):
    """Real PostgreSQL, one connection per thread: the row lock on the line makes
    the second approval see the first commitment and be refused; its status
    change is rolled back with it."""
    admin = UserFactory(role="oia_admin")
    line = BudgetLineFactory(planned=M("1000.00"))
    trips = [ready_trip(line, estimated="700.00") for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes, reasons = {}, []

    def attempt(trip):
        try:
            barrier.wait()
            approve(trip, admin)
            outcomes[trip.pk] = "approved"
        except delegation_services.TransitionNotAllowed as refusal:
            outcomes[trip.pk] = "refused"
            reasons.append(str(refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(trip,)) for trip in trips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["approved", "refused"]
    assert reasons[0].startswith("Approving this trip would overdraw")
    statuses = dict(Delegation.objects.filter(pk__in=outcomes).values_list("pk", "status"))
    assert statuses == {pk: "approved" if outcome == "approved" else "submitted" for pk, outcome in outcomes.items()}
    assert Commitment.objects.filter(line=line, status="open").count() == 1
    assert amounts(line) == (M("700.00"), M("0.00"), M("300.00"))


# --- approval on the page and in the API ------------------------------------------


def test_the_page_refuses_the_overdraft_and_an_admin_approves_with_a_reason(client, admin_user_oia):
    sign_in(client, admin_user_oia)
    line = BudgetLineFactory(name="Partner city Lyon", planned=M("500.00"))
    trip = ready_trip(line, estimated="800.00")
    url = reverse("delegations:delegation-transition", args=[trip.pk])

    page = client.get(reverse("delegations:delegation-detail", args=[trip.pk])).content.decode()
    refused = client.post(url, {"to_status": "approved", "comment": ""}, follow=True)
    approved = client.post(
        url, {"to_status": "approved", "comment": "", "override_reason": "Council top-up agreed."}, follow=True
    )

    assert '<label for="override-reason">Reason for overdrawing the budget line</label>' in page
    assert "Approving this trip would overdraw “Partner city Lyon” by €300.00" in text(refused)
    assert "The delegation is now “Approved”." in text(approved)
    assert Commitment.objects.get(delegation=trip).override_reason == "Council top-up agreed."


def test_the_page_shows_the_warning_of_a_discretionary_overdraft(client, admin_user_oia):
    sign_in(client, admin_user_oia)
    line = BudgetLineFactory(budget=BudgetFactory(year=2026, mode="discretionary"), name="Events", planned=M("100"))
    trip = ready_trip(line, estimated="130.00")

    response = client.post(
        reverse("delegations:delegation-transition", args=[trip.pk]), {"to_status": "approved"}, follow=True
    )

    page = response.content.decode()
    assert "“Events” is now overdrawn by €30.00." in text(response)
    assert 'class="message message-warning"' in page


def test_the_api_refuses_the_overdraft_with_409_and_takes_an_admins_reason(admin_api):
    trip = ready_trip(BudgetLineFactory(planned=M("500.00")), estimated="800.00")

    refused = admin_api.post(transitions_url(trip), {"to_status": "approved"}, format="json")
    approved = admin_api.post(
        transitions_url(trip), {"to_status": "approved", "override_reason": "Agreed by the director."}, format="json"
    )

    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Approving this trip would overdraw")
    assert approved.status_code == 201, approved.json()
    assert (approved.json()["to_status"], approved.json()["warning"]) == ("approved", "")
    assert Commitment.objects.get(delegation=trip).override_reason == "Agreed by the director."


def test_the_api_answers_the_warning_of_a_discretionary_overdraft(admin_api):
    line = BudgetLineFactory(budget=BudgetFactory(year=2026, mode="discretionary"), name="Events", planned=M("100"))
    trip = ready_trip(line, estimated="130.00")

    response = admin_api.post(transitions_url(trip), {"to_status": "approved"}, format="json")

    assert response.status_code == 201
    assert response.json()["warning"] == "“Events” is now overdrawn by €30.00."


@pytest.mark.parametrize("reason", ["x" * 2001, ["a list"], 12])
def test_the_api_refuses_an_override_reason_that_is_not_a_short_text(admin_api, reason):
    trip = ready_trip(BudgetLineFactory(planned=M("500.00")), estimated="800.00")

    response = admin_api.post(
        transitions_url(trip), {"to_status": "approved", "override_reason": reason}, format="json"
    )

    assert response.status_code == 400
    assert "override_reason" in response.json()
    trip.refresh_from_db()
    assert trip.status == "submitted"


# --- invoices and cancelling -------------------------------------------------------


def test_booking_the_trips_invoice_turns_its_commitment_into_an_expense(admin, staff):
    line = BudgetLineFactory(planned=M("5000.00"))
    trip = ready_trip(line, estimated="800.00")
    approve(trip, admin)
    assert amounts(line) == (M("800.00"), M("0.00"), M("4200.00"))

    services.expense_book(
        line=line,
        date=D(2026, 5, 2),
        payee="Hotel de la Cité",
        description="Rooms",
        amount=M("760.00"),
        by=staff,
        delegation=trip,
    )

    assert Commitment.objects.get(delegation=trip).status == "replaced"
    assert amounts(line) == (M("0.00"), M("760.00"), M("4240.00"))


def test_cancelling_an_approved_trip_releases_its_commitment(admin):
    line = BudgetLineFactory(planned=M("5000.00"))
    trip = ready_trip(line, estimated="800.00")
    approve(trip, admin)

    delegation_services.delegation_transition(delegation=trip, to_status="cancelled", by=admin)

    assert Commitment.objects.get(delegation=trip).status == "released"
    assert amounts(line) == (M("0.00"), M("0.00"), M("5000.00"))


def test_an_expense_for_a_trip_that_does_not_fit_the_line_is_refused(staff, staff_api):
    line = BudgetLineFactory(partnership=lyon(), planned=M("5000"))
    trip = DelegationFactory()

    with pytest.raises(ValidationError) as refused:
        services.expense_book(
            line=line,
            date=D(2026, 5, 2),
            payee="Hotel",
            description="Rooms",
            amount=M("10"),
            by=staff,
            delegation=trip,
        )
    response = staff_api.post(
        reverse("api:expense-list"),
        {
            "line": line.pk,
            "date": "2026-05-02",
            "payee": "Hotel",
            "description": "Rooms",
            "amount": "10.00",
            "delegation": trip.pk,
        },
        format="json",
    )

    assert "reserved for the partnership with Lyon" in refused.value.message_dict["delegation"][0]
    assert response.status_code == 400
    assert "delegation" in response.json()
    assert not Expense.objects.exists()


def test_the_delegation_page_links_to_booking_an_invoice_prefilled(staff_client, admin):
    line = BudgetLineFactory(name="Partner city Lyon", planned=M("5000"))
    trip = ready_trip(line, title="Jubilee in Lyon", estimated="800.00")
    approve(trip, admin)

    page = staff_client.get(reverse("delegations:delegation-detail", args=[trip.pk])).content.decode()
    link = f"{expense_url(line)}?delegation={trip.pk}"
    form_page = staff_client.get(link)
    booked = staff_client.post(
        link,
        {
            "date": "2026-05-02",
            "payee": "Hotel de la Cité",
            "description": "Invoice",
            "amount": "780.00",
            "delegation": form_page.context["form"]["delegation"].value(),
        },
    )

    assert f'href="{link}"' in html.unescape(page)
    assert f'value="Jubilee in Lyon (outbound, 20 Apr 2026) · #{trip.pk}"' in form_page.content.decode()
    assert 'value="Invoice: Jubilee in Lyon"' in form_page.content.decode()
    assert booked.status_code == 302
    assert Expense.objects.get().delegation == trip
    assert Commitment.objects.get(delegation=trip).status == "replaced"


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", "²", ""])
def test_a_prefill_that_is_not_a_fitting_trip_is_ignored(staff_client, value):
    line = BudgetLineFactory()

    response = staff_client.get(expense_url(line), {"delegation": value})

    assert response.status_code == 200
    assert response.context["form"]["delegation"].value() in (None, "")


def test_the_expense_form_offers_only_the_trips_that_fit_the_line_as_suggestions(staff_client):
    partnership = lyon()
    line = BudgetLineFactory(partnership=partnership, planned=M("5000"))
    fits = DelegationFactory(title="Choir to Lyon", city=partnership.partner_city, partnership=partnership)
    visit = DelegationFactory(
        title="Visitors from Lyon", direction="inbound", city=partnership.partner_city, partnership=partnership
    )
    DelegationFactory(title="Trip to Kraków")
    DelegationFactory(title="Lyon next year", partnership=partnership, start_on=D(2027, 3, 1))
    DelegationFactory(title="Cancelled Lyon trip", partnership=partnership, status="cancelled")

    response = staff_client.get(expense_url(line))

    page = response.content.decode()
    suggestions = re.findall(r'<option value="([^"]*)"></option>', page)
    assert suggestions == [
        f"Choir to Lyon (outbound, 20 Apr 2026) · #{fits.pk}",
        f"Visitors from Lyon (inbound, 20 Apr 2026) · #{visit.pk}",
    ]
    assert 'list="id_delegation-suggestions"' in page
    assert '<datalist id="id_delegation-suggestions">' in page


@pytest.mark.parametrize("typed", ["label", "number", "hash"])
def test_a_trip_is_chosen_by_its_suggestion_or_its_number(staff_client, typed):
    line = BudgetLineFactory(planned=M("5000"))
    trip = DelegationFactory(title="Choir to Lyon")
    value = {
        "label": f"Choir to Lyon (outbound, 20 Apr 2026) · #{trip.pk}",
        "number": str(trip.pk),
        "hash": f"#{trip.pk}",
    }[typed]

    response = staff_client.post(
        expense_url(line),
        {
            "date": "2026-05-02",
            "payee": "Coach company",
            "description": "Coach",
            "amount": "400.00",
            "delegation": value,
        },
    )

    assert response.status_code == 302
    assert Expense.objects.get().delegation == trip


@pytest.mark.parametrize("typed", ["Choir to Lyon", "#0", "# 99999999999999999999", "12abc", "x\x00y"])
def test_anything_else_typed_is_a_clear_error_and_keeps_what_was_typed(staff_client, typed):
    line = BudgetLineFactory(planned=M("5000"))
    DelegationFactory(title="Choir to Lyon")

    response = staff_client.post(
        expense_url(line),
        {
            "date": "2026-05-02",
            "payee": "Coach company",
            "description": "Coach",
            "amount": "400.00",
            "delegation": typed,
        },
    )

    assert response.status_code == 200
    assert "Choose one of the delegations suggested: only those that fit this line can be booked on it." in text(
        response
    )
    assert not Expense.objects.exists()


def test_a_trip_of_another_partnership_typed_by_number_is_refused(staff_client):
    line = BudgetLineFactory(partnership=lyon(), planned=M("5000"))
    other = DelegationFactory(title="Trip to Kraków")

    response = staff_client.post(
        expense_url(line),
        {"date": "2026-05-02", "payee": "Hotel", "description": "Rooms", "amount": "40.00", "delegation": other.pk},
    )

    assert response.status_code == 200
    assert "Choose one of the delegations suggested" in text(response)
    assert not Expense.objects.exists()


# --- where the money shows -------------------------------------------------------


def test_the_overview_and_the_line_show_the_commitment_and_its_override(client, admin_user_oia):
    sign_in(client, admin_user_oia)
    line = BudgetLineFactory(name="Partner city Lyon", planned=M("500.00"))
    trip = ready_trip(line, title="Jubilee in Lyon", estimated="800.00")
    approve(trip, admin_user_oia, override_reason="Council top-up agreed.")

    overview = text(client.get(reverse("budget:budget-overview", kwargs={"year": 2026})))
    detail = text(client.get(reverse("budget:line-detail", kwargs={"pk": line.pk})))

    assert "Partner city Lyon Partner cities — €500.00 €500.00 €800.00 €0.00 -€300.00" in overview
    assert "Trip: Jubilee in Lyon Overdraft allowed: Council top-up agreed. Jubilee in Lyon Open" in detail


def test_the_partnership_page_shows_its_trips_money_of_this_year(staff_client, admin, staff):
    year = this_year()
    partnership = lyon()
    budget = BudgetFactory(year=year)
    line = BudgetLineFactory(budget=budget, name="Partner city Lyon", partnership=partnership, planned=M("5000"))
    general = BudgetLineFactory(budget=budget, name="Europe and networks", planned=M("5000"))
    to_lyon = {"city": partnership.partner_city, "partnership": partnership, "start_on": D(year, 4, 20)}
    approve(ready_trip(line, title="Jubilee in Lyon", **to_lyon), admin)
    paid = ready_trip(general, title="Eurocities in Lyon", **to_lyon)
    approve(paid, admin)
    services.expense_book(
        line=general,
        date=D(year, 5, 2),
        payee="Hotel",
        description="Rooms",
        amount=M("420.00"),
        by=staff,
        delegation=paid,
    )
    DelegationFactory(title="Lyon last year", partnership=partnership, start_on=D(year - 1, 4, 20))

    response = staff_client.get(reverse("partners:partnership-detail", args=[partnership.pk]))

    assert f"Trips and visits of {year}" in text(response)
    rows = trip_money_rows(response)
    assert rows == [
        f"Jubilee in Lyon ( 20 Apr {year} ) Approved Partner city Lyon €800.00 €0.00",
        f"Eurocities in Lyon ( 20 Apr {year} ) Approved Europe and networks €0.00 €420.00",
    ]


@pytest.mark.parametrize("count", [1, 12])
def test_the_partnership_page_needs_the_same_queries_however_many_trips(
    staff_client, django_assert_max_num_queries, count
):
    year = this_year()
    partnership = lyon()
    line = BudgetLineFactory(budget=BudgetFactory(year=year), partnership=partnership, planned=M("50000"))
    for _ in range(count):
        trip = DelegationFactory(
            city=partnership.partner_city, partnership=partnership, budget_line=line, start_on=D(year, 4, 20)
        )
        Commitment.objects.create(line=line, amount=M("100"), description="Trip", delegation=trip)
        Expense.objects.create(
            line=line, date=D(year, 5, 2), amount=M("10"), payee="Hotel", description="x", delegation=trip
        )
    url = reverse("partners:partnership-detail", args=[partnership.pk])

    with django_assert_max_num_queries(PARTNERSHIP_PAGE_QUERIES):
        response = staff_client.get(url)

    assert len(response.context["money"]["trips"]) == count


def test_the_report_shows_trips_money_by_line(admin, staff):
    partnership = lyon()
    line = BudgetLineFactory(name="Partner city Lyon", partnership=partnership, planned=M("5000"))
    BudgetLineFactory(name="Public relations", planned=M("5000"))
    committed = ready_trip(line, city=partnership.partner_city, partnership=partnership, estimated="800.00")
    approve(committed, admin)
    paid = ready_trip(line, city=partnership.partner_city, partnership=partnership, estimated="300.00")
    approve(paid, admin)
    services.expense_book(
        line=line,
        date=D(2026, 5, 2),
        payee="Hotel",
        description="Rooms",
        amount=M("280.00"),
        by=staff,
        delegation=paid,
    )
    DelegationFactory(partnership=partnership, budget_line=line, status="cancelled")

    section = budget_section.build(2026)

    trips = next(table for table in section["tables"] if table["key"] == "trips_by_line")
    assert [column["key"] for column in trips["columns"]] == ["line", "trips", "committed", "spent"]
    assert trips["rows"] == [["Partner city Lyon", 2, "800.00", "280.00"]]
