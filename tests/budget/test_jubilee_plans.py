"""Jubilees with money: "Plan this jubilee" from the jubilees page makes a
plan whose estimate is committed to a line of the jubilee year's budget,
under the overdraft rule of an expense; editing the estimate replaces the
commitment, marking the jubilee held closes it, cancelling releases it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetLine, Commitment, JubileePlan
from budget.services import jubilees as services
from oia.roles import Role
from partners.models import StatusChange
from tests.factories import BudgetFactory, BudgetLineFactory, CityFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

M = Decimal
NEXT = timezone.localdate().year + 1  # the jubilee year of these tests
# The API list: role check, the count, the rows (plans with their partnership, line and open commitment).
API_LIST_QUERIES = 3
# Session, user, roles, unread notifications, the plan with its commitment, its history.
DETAIL_QUERIES = 6


def D(month, day, year=NEXT):
    return datetime.date(year, month, day)


@pytest.fixture
def krakow():
    """Kraków, formalised 25 years before NEXT: a jubilee in NEXT."""
    return PartnershipFactory(partner_city=CityFactory(name="Kraków"), formalised_on=D(6, 1, NEXT - 25))


@pytest.fixture
def line():
    """The jubilee budget set aside in NEXT's (adopted, line-item) budget."""
    return BudgetLineFactory(budget=BudgetFactory(year=NEXT), name="Jubilee budget", category="events", planned=30000)


def amounts(line):
    row = BudgetLine.objects.with_amounts().get(pk=line.pk)
    return row.committed, row.available


def plan(partnership, line, by, estimate="20000", **kwargs):
    fields = {"year": NEXT, "title": "25 years with Kraków", "starts_on": D(6, 1), **kwargs}
    return services.jubilee_plan_create(partnership=partnership, line=line, estimate=M(estimate), by=by, **fields)


# --- the service -------------------------------------------------------------------


def test_planning_commits_the_estimate_to_the_line(krakow, line, staff):
    planning = plan(krakow, line, staff)

    saved = planning.plan
    assert (saved.years, saved.status, saved.created_by) == (25, "planned", staff)
    assert amounts(line) == (M("20000.00"), M("10000.00"))
    commitment = Commitment.objects.get(jubilee_plan=saved)
    assert (commitment.status, commitment.amount, commitment.description) == (
        "open",
        M("20000.00"),
        "Jubilee: 25 years with Kraków",
    )
    assert planning.warning == ""


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"year": NEXT + 1}, "year", f"{NEXT + 1} is no jubilee year of this partnership (formalised in {NEXT - 25})."),
        ({"starts_on": D(12, 31, NEXT - 1)}, "starts_on", "the first event falls in that year"),
        ({"ends_on": D(5, 1)}, "__all__", "The jubilee cannot end before it starts."),
        ({"estimate": "-1"}, "estimate", "Ensure this value is greater than or equal to 0"),
        ({"title": "  "}, "title", "This field cannot be blank."),
    ],
)
def test_a_plan_that_breaks_a_rule_is_refused_and_commits_nothing(krakow, line, staff, change, field, message):
    with pytest.raises(ValidationError) as excinfo:
        plan(krakow, line, staff, **change)

    assert message in " ".join(excinfo.value.message_dict[field])
    assert not JubileePlan.objects.exists()
    assert not Commitment.objects.exists()


def test_the_line_must_belong_to_the_budget_of_the_jubilee_year(krakow, staff):
    other_year = BudgetLineFactory(budget=BudgetFactory(year=NEXT - 1))

    with pytest.raises(ValidationError) as excinfo:
        plan(krakow, other_year, staff)

    assert excinfo.value.message_dict["line"] == [f"Choose a line of the budget {NEXT}, the jubilee year."]


def test_a_closed_budget_and_an_ended_partnership_take_no_plan(krakow, line, staff):
    line.budget.status = "closed"
    line.budget.save()
    with pytest.raises(ValidationError) as closed:
        plan(krakow, line, staff)
    assert closed.value.message_dict["line"] == [f"The budget {NEXT} is closed."]

    line.budget.status = "adopted"
    line.budget.save()
    StatusChange.objects.create(partnership=krakow, status="ended", effective_on=D(1, 1, NEXT - 2), reason="Ended.")
    with pytest.raises(ValidationError) as ended:
        plan(krakow, line, staff)
    assert ended.value.message_dict["partnership"] == ["This partnership has ended: it has no jubilees to celebrate."]


def test_one_plan_stands_per_jubilee_until_it_is_cancelled(krakow, line, staff):
    first = plan(krakow, line, staff, estimate="1000").plan

    with pytest.raises(ValidationError) as excinfo:
        plan(krakow, line, staff, estimate="1000")
    assert "This jubilee is planned already" in str(excinfo.value)

    services.jubilee_plan_cancel(plan=first, version=1, by=staff)
    second = plan(krakow, line, staff, estimate="1000").plan
    assert JubileePlan.objects.not_cancelled().get() == second


def test_a_line_item_line_is_overdrawn_only_by_an_administrator_with_a_reason(krakow, line, staff, admin):
    with pytest.raises(ValidationError) as refused:
        plan(krakow, line, staff, estimate="35000")
    assert refused.value.message_dict["estimate"] == [
        "This estimate would overdraw “Jubilee budget” by €5,000.00: only €30,000.00 is available. "
        "An administrator can override with a reason."
    ]
    with pytest.raises(ValidationError, match="Only an OIA administrator can overdraw a line."):
        plan(krakow, line, staff, estimate="35000", override_reason="Council promised more.")

    planned = plan(krakow, line, admin, estimate="35000", override_reason="  Council promised more. ").plan

    assert planned.override_reason == "Council promised more."
    assert amounts(line) == (M("35000.00"), M("-5000.00"))


def test_a_discretionary_line_is_overdrawn_with_a_warning(krakow, staff):
    line = BudgetLineFactory(budget=BudgetFactory(year=NEXT, mode="discretionary"), name="Events", planned=1000)

    planning = plan(krakow, line, staff, estimate="1500")

    assert planning.warning == "“Events” is now overdrawn by €500.00."
    assert planning.plan.override_reason == ""


def test_a_new_estimate_replaces_the_commitment_counting_the_old_one_as_given_back(krakow, line, staff):
    planned = plan(krakow, line, staff, estimate="20000").plan
    old = Commitment.objects.get(jubilee_plan=planned)

    # 30,000 on the line: 29,000 fits only because the 20,000 committed before are given back.
    planning = services.jubilee_plan_update(plan=planned, version=1, by=staff, estimate=M("29000"))

    assert planning.plan.version == 2
    old.refresh_from_db()
    assert old.status == "released"
    assert Commitment.objects.get(jubilee_plan=planned, status="open").amount == M("29000.00")
    assert amounts(line) == (M("29000.00"), M("1000.00"))


def test_moving_the_plan_to_another_line_moves_its_commitment(krakow, line, staff):
    planned = plan(krakow, line, staff, estimate="20000").plan
    reserve = BudgetLineFactory(budget=line.budget, name="Reserve", category="reserve", planned=25000)

    services.jubilee_plan_update(plan=planned, version=1, by=staff, line=reserve)

    assert amounts(line) == (M("0.00"), M("30000.00"))
    assert amounts(reserve) == (M("20000.00"), M("5000.00"))


def test_a_title_change_keeps_the_commitment(krakow, line, staff):
    planned = plan(krakow, line, staff).plan
    commitment = Commitment.objects.get(jubilee_plan=planned)

    services.jubilee_plan_update(plan=planned, version=1, by=staff, title="A quarter century")

    assert Commitment.objects.get(jubilee_plan=planned, status="open") == commitment


def test_a_stale_edit_is_refused(krakow, line, staff):
    planned = plan(krakow, line, staff).plan
    services.jubilee_plan_update(plan=planned, version=1, by=staff, title="Colleague's title")

    with pytest.raises(ValidationError, match="Someone else changed this jubilee plan"):
        services.jubilee_plan_update(plan=planned, version=1, by=staff, estimate=M("1"))

    assert JubileePlan.objects.get().estimate == M("20000.00")


def test_a_held_jubilee_lets_the_expenses_take_the_commitments_place(krakow, line, staff):
    planned = plan(krakow, line, staff).plan

    services.jubilee_plan_update(plan=planned, version=1, by=staff, status="held")

    assert Commitment.objects.get(jubilee_plan=planned).status == "replaced"
    assert amounts(line) == (M("0.00"), M("30000.00"))
    with pytest.raises(ValidationError, match="A plan goes from planned to held"):
        services.jubilee_plan_update(plan=planned, version=2, by=staff, status="planned")
    with pytest.raises(ValidationError, match="Only a planned jubilee can be cancelled; this one is held."):
        services.jubilee_plan_cancel(plan=planned, version=2, by=staff)


def test_cancelling_releases_the_commitment_and_is_final(krakow, line, staff):
    planned = plan(krakow, line, staff).plan

    cancelled = services.jubilee_plan_cancel(plan=planned, version=1, by=staff)

    assert (cancelled.status, cancelled.version) == ("cancelled", 2)
    assert Commitment.objects.get(jubilee_plan=planned).status == "released"
    assert amounts(line) == (M("0.00"), M("30000.00"))
    with pytest.raises(ValidationError, match="A cancelled jubilee plan cannot be changed."):
        services.jubilee_plan_update(plan=planned, version=2, by=staff, estimate=M("5"))


# --- the jubilees page -------------------------------------------------------------


def anniversaries(client, **query):
    return client.get(reverse("partners:anniversaries"), {"from": NEXT, "to": NEXT, **query})


def test_the_jubilees_page_offers_to_plan_each_upcoming_jubilee(staff_client, krakow):
    html = anniversaries(staff_client).content.decode()

    create = reverse("budget:jubilee-plan-create")
    assert f'href="{create}?partnership={krakow.pk}&amp;year={NEXT}"' in html
    assert "Plan this jubilee" in html
    assert '<th scope="col">Jubilee plan</th>' in html


def test_a_planned_jubilee_shows_its_estimate_linking_to_the_plan(staff_client, krakow, line, staff):
    planned = plan(krakow, line, staff, estimate="18500").plan
    cancelled = PartnershipFactory(partner_city=CityFactory(name="Lyon"), formalised_on=D(3, 1, NEXT - 50))
    services.jubilee_plan_cancel(plan=plan(cancelled, line, staff, estimate="10").plan, version=1, by=staff)

    html = anniversaries(staff_client).content.decode()

    krakow_row = next(row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "Kraków" in row)
    detail = reverse("budget:jubilee-plan-detail", args=[planned.pk])
    assert f'<a href="{detail}">Planned: €18,500.00' in krakow_row
    lyon_row = next(row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "Lyon" in row)
    assert "Plan this jubilee" in lyon_row  # its plan was cancelled


def test_a_past_jubilee_without_a_plan_offers_nothing(staff_client):
    PartnershipFactory(partner_city=CityFactory(name="Past"), formalised_on=D(1, 1, NEXT - 27))

    html = anniversaries(staff_client, **{"from": NEXT - 2, "to": NEXT - 2}).content.decode()

    assert "Past" in html
    assert "Plan this jubilee" not in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_jubilees_page_needs_the_same_queries_with_plans(staff_client, django_assert_max_num_queries, count):
    staff = UserFactory(role=Role.STAFF)
    line = BudgetLineFactory(budget=BudgetFactory(year=NEXT), planned=10**6)
    for number in range(count):
        partnership = PartnershipFactory(formalised_on=D(1 + number % 12, 1, NEXT - 25))
        plan(partnership, line, staff, estimate="1000", starts_on=D(1 + number % 12, 1))

    with django_assert_max_num_queries(5):  # as without plans (tests/partners/test_anniversaries.py)
        response = anniversaries(staff_client)

    assert response.content.decode().count("Planned: €1,000.00") == count


# --- the plan's pages --------------------------------------------------------------


def test_plan_this_jubilee_comes_prefilled(staff_client, krakow, line):
    BudgetLineFactory(budget=BudgetFactory(year=NEXT - 1), name="Last year's line")

    response = staff_client.get(reverse("budget:jubilee-plan-create"), {"partnership": krakow.pk, "year": NEXT})

    form = response.context["form"]
    assert form.initial["partnership"] == krakow.pk
    assert form.initial["year"] == NEXT
    assert form.initial["title"] == "25 years of partnership with Kraków"
    assert form.initial["starts_on"] == D(6, 1)
    assert form.initial["estimate"] == 25000
    assert list(form.fields["line"].queryset) == [line]
    assert "override_reason" not in form.fields  # office staff; administrators see it
    html = response.content.decode()
    assert html.count("<h1>") == 1
    ids = re.findall(r'<(?:input(?![^>]*type="hidden")|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert set(ids) <= set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))


@pytest.mark.parametrize("query", [{"partnership": "x", "year": "99999"}, {"partnership": "99999999999999999999"}])
def test_a_bad_prefill_is_ignored(staff_client, query):
    response = staff_client.get(reverse("budget:jubilee-plan-create"), query)

    assert response.status_code == 200
    assert "partnership" not in response.context["form"].initial


def test_a_plan_is_made_from_its_page_and_shown(staff_client, krakow, line):
    response = staff_client.post(
        reverse("budget:jubilee-plan-create"),
        {
            "partnership": krakow.pk,
            "year": NEXT,
            "title": "25 years with Kraków",
            "starts_on": D(6, 1).isoformat(),
            "ends_on": D(6, 3).isoformat(),
            "estimate": "21000.50",
            "line": line.pk,
        },
    )

    saved = JubileePlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("budget:jubilee-plan-detail", args=[saved.pk])
    html = staff_client.get(response["Location"]).content.decode()
    assert html.count("<h1>") == 1
    assert "€21,000.50" in html
    assert "Jubilee budget" in html


def test_a_refused_plan_comes_back_with_the_reason(staff_client, krakow, line):
    response = staff_client.post(
        reverse("budget:jubilee-plan-create"),
        {
            "partnership": krakow.pk,
            "year": NEXT,
            "title": "Too dear",
            "starts_on": D(6, 1).isoformat(),
            "estimate": "90000",
            "line": line.pk,
        },
    )

    assert response.status_code == 200
    assert "This estimate would overdraw “Jubilee budget”" in response.content.decode()
    assert not JubileePlan.objects.exists()


def test_the_plan_is_edited_on_its_version_and_cancelled(staff_client, krakow, line, staff):
    planned = plan(krakow, line, staff).plan
    edit = reverse("budget:jubilee-plan-edit", args=[planned.pk])
    form = staff_client.get(edit).context["form"]
    assert {"partnership", "year"}.isdisjoint(form.fields)
    data = {
        "title": "Kraków 25",
        "starts_on": D(6, 1).isoformat(),
        "estimate": "12000",
        "line": line.pk,
        "status": "planned",
        "version": "1",
    }

    assert staff_client.post(edit, data).status_code == 302
    stale = staff_client.post(edit, {**data, "estimate": "1"})
    assert "Someone else changed this jubilee plan" in stale.content.decode()
    assert amounts(line) == (M("12000.00"), M("18000.00"))

    cancel = reverse("budget:jubilee-plan-cancel", args=[planned.pk])
    assert "€12,000.00" in staff_client.get(cancel).content.decode()
    assert staff_client.post(cancel, {"version": "2"}).status_code == 302
    assert JubileePlan.objects.get().status == "cancelled"
    assert amounts(line) == (M("0.00"), M("30000.00"))


def test_the_plans_page_runs_a_fixed_number_of_queries(
    staff_client, krakow, line, staff, django_assert_max_num_queries
):
    planned = plan(krakow, line, staff).plan
    for estimate in ("1000", "2000", "3000"):
        services.jubilee_plan_update(
            plan=planned, version=JubileePlan.objects.get().version, by=staff, estimate=M(estimate)
        )

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(reverse("budget:jubilee-plan-detail", args=[planned.pk]))

    assert response.context["plan"].committed == M("3000.00")


@pytest.mark.parametrize("role", [None, Role.COUNCIL, Role.CLUB_LEADER])
def test_only_the_office_plans_jubilees(client, krakow, line, role):
    if role:
        client.force_login(UserFactory(role=role))

    response = client.post(
        reverse("budget:jubilee-plan-create"),
        {"partnership": krakow.pk, "year": NEXT, "title": "x", "starts_on": D(6, 1), "estimate": "1", "line": line.pk},
    )

    assert response.status_code == (302 if role is None else 403)
    assert not JubileePlan.objects.exists()


# --- the API -----------------------------------------------------------------------


def api_plan(krakow, line, **fields):
    return {
        "partnership": krakow.pk,
        "year": NEXT,
        "title": "25 years with Kraków",
        "starts_on": D(6, 1).isoformat(),
        "estimate": "20000.00",
        "line": line.pk,
        **fields,
    }


def test_the_api_plans_edits_and_cancels(staff_api, krakow, line):
    url = reverse("api:jubilee-plan-list")

    created = staff_api.post(url, api_plan(krakow, line), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["years"], body["status"], body["committed"], body["warning"]) == (25, "planned", "20000.00", "")

    detail = reverse("api:jubilee-plan-detail", args=[body["id"]])
    edited = staff_api.patch(detail, {"estimate": "15000.00", "version": 1}, format="json")
    assert (edited.status_code, edited.json()["committed"]) == (200, "15000.00")
    moved = staff_api.patch(detail, {"year": NEXT + 5, "version": 2}, format="json")
    assert moved.status_code == 400
    assert "year" in moved.json()

    cancelled = staff_api.patch(detail, {"status": "cancelled", "version": 2}, format="json")
    assert (cancelled.status_code, cancelled.json()["status"], cancelled.json()["committed"]) == (
        200,
        "cancelled",
        "0.00",
    )
    assert amounts(line) == (M("0.00"), M("30000.00"))


def test_the_api_refuses_an_overdraft_and_warns_on_a_discretionary_line(staff_api, krakow):
    itemised = BudgetLineFactory(budget=BudgetFactory(year=NEXT), planned=100)
    refused = staff_api.post(reverse("api:jubilee-plan-list"), api_plan(krakow, itemised), format="json")
    assert refused.status_code == 400
    assert "estimate" in refused.json()

    itemised.budget.mode = "discretionary"
    itemised.budget.save()
    warned = staff_api.post(reverse("api:jubilee-plan-list"), api_plan(krakow, itemised), format="json")
    assert warned.status_code == 201
    assert warned.json()["warning"] == f"“{itemised.name}” is now overdrawn by €19,900.00."


def test_the_api_lists_and_filters_plans_in_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries):
    staff = UserFactory(role=Role.STAFF)
    line = BudgetLineFactory(budget=BudgetFactory(year=NEXT), planned=10**6)
    for number in range(25):
        partnership = PartnershipFactory(formalised_on=D(1, 1, NEXT - 25))
        planned = plan(partnership, line, staff, estimate="1000").plan
        if number % 5 == 0:
            services.jubilee_plan_cancel(plan=planned, version=1, by=staff)

    with django_assert_max_num_queries(API_LIST_QUERIES):
        everything = staff_api.get(reverse("api:jubilee-plan-list"), {"page_size": 200})
    standing = staff_api.get(reverse("api:jubilee-plan-list"), {"year": NEXT, "status": "planned"})
    other_year = staff_api.get(reverse("api:jubilee-plan-list"), {"year": NEXT + 1})

    assert everything.json()["count"] == 25
    assert standing.json()["count"] == 20
    assert other_year.json()["count"] == 0


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)])
def test_only_the_office_reaches_jubilee_plans_through_the_api(api_client, krakow, line, role, status):
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    listed = api_client.get(reverse("api:jubilee-plan-list"))
    created = api_client.post(reverse("api:jubilee-plan-list"), api_plan(krakow, line), format="json")

    assert (listed.status_code, created.status_code) == (status, status)
    assert not JubileePlan.objects.exists()
