"""The demo's data files: every choice they name is one the models know, every
reference (a person, a city, a department) resolves, and no app package holds
demo code again. A typo in a data file fails here, not halfway through a load
that writes some rows without validating them."""

from pathlib import Path

from budget.models import GrantStatus, LineCategory
from delegations.choices import (
    CostCategory,
    DelegationStatus,
    Direction,
    GiftDirection,
    OutcomeKind,
    ParticipantRole,
    Payer,
    ProgrammeItemKind,
    Purpose,
    Sector,
    TravelClass,
)
from delegations.models import Department
from demo.delegations import demo_plans
from demo.files import read_json
from networks.choices import ActivityKind, Scope, Verdict
from oia.roles import Role
from partners.choices import ExchangeDirection, ExchangeKind, InstitutionKind, ReviewStatus, Status

APPS = ("oia", "partners", "delegations", "networks", "budget", "reports")
ROOT = Path(__file__).resolve().parents[2]


def test_no_app_package_holds_demo_code_or_rows():
    found = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*demo*")
        if "__pycache__" not in path.parts
    ]

    assert found == []


def test_the_delegations_name_known_choices_people_and_cities():
    data = read_json("delegations.json")
    cities = {*data["other_cities"], *data["partner_cities"]}

    for plan in demo_plans():
        assert plan.direction in Direction.values, plan.title
        assert plan.purpose in Purpose.values, plan.title
        assert plan.state in ("", *DelegationStatus.values), plan.title
        assert plan.travel_class in ("", *TravelClass.values), plan.title
        assert plan.city in cities, plan.title
        assert {item["kind"] for item in plan.programme} <= set(ProgrammeItemKind.values), plan.title
        assert {row["person"] for row in plan.people} <= set(data["people"]), plan.title
        members = [*plan.people, *plan.visitors]
        assert {row["role"] for row in members} <= set(ParticipantRole.values), plan.title
        assert {row["sector"] for row in members} <= set(Sector.values), plan.title
        assert {row["category"] for row in plan.costs} <= set(CostCategory.values), plan.title
        assert {row["payer"] for row in plan.costs} <= set(Payer.values), plan.title
        assert {row["direction"] for row in plan.gifts} <= set(GiftDirection.values), plan.title
        assert {row["kind"] for row in plan.outcomes} <= set(OutcomeKind.values), plan.title


def test_the_delegations_and_networks_name_existing_departments(db):
    departments = set(Department.objects.values_list("short_name", flat=True))
    people = read_json("delegations.json")["people"].values()
    networks = read_json("networks.json")

    assert {plan.department for plan in demo_plans()} <= departments
    assert {person["department"] for person in people} - {""} <= departments
    assert {official["department"] for official in networks["officials"].values()} <= departments
    for network in networks["networks"]:
        assert {network["lead"], *network["shares"]} <= departments, network["name"]


def test_the_networks_name_known_choices_and_officials():
    data = read_json("networks.json")

    for network in data["networks"]:
        assert network["scope"] in Scope.values, network["name"]
        assert network["verdict"] in ("", *Verdict.values), network["name"]
        assert {outcome["kind"] for outcome in network["outcomes"]} <= set(ActivityKind.values), network["name"]
        assert {role["person"] for role in network["roles"]} <= set(data["officials"]), network["name"]


def test_the_partners_clubs_and_exchanges_name_known_choices_and_clubs():
    partners = read_json("partners.json")
    clubs = {club["name"] for club in partners["clubs"]}
    users = {user["username"] for user in read_json("users.json")}

    assert {change["status"] for change in partners["status_changes"]} <= set(Status.values)
    assert {row["kind"] for row in partners["sub_partnerships"]} <= set(InstitutionKind.values)
    assert {leader for club in partners["clubs"] for leader in club["leaders"]} <= users
    for association in partners["club_associations"]:
        assert set(association["clubs"]) <= clubs, association["name"]
        assert set(association["leaders"]) <= users, association["name"]
    members = [club for association in partners["club_associations"] for club in association["clubs"]]
    assert len(members) == len(set(members)), "A club belongs to at most one umbrella association."
    for exchange in read_json("exchanges.json"):
        assert exchange["club"] in clubs, exchange["title"]
        assert exchange["kind"] in ExchangeKind.values, exchange["title"]
        assert exchange["direction"] in ExchangeDirection.values, exchange["title"]
        assert exchange["review"] in ReviewStatus.values, exchange["title"]
    for application in read_json("grants.json"):
        assert application["club"] in clubs, application["programme"]
        assert application["state"] in GrantStatus.values, application["programme"]


def test_the_demo_users_hold_every_role():
    assert {user["role"] for user in read_json("users.json")} == set(Role.values)


def test_the_budget_names_known_line_categories_and_cost_categories():
    data = read_json("budget.json")

    assert {line["category"] for line in data["lines"]} <= set(LineCategory.values)
    assert set(data["payees"]) <= set(CostCategory.values)
    assert data["club_grants_line"] in {line["name"] for line in data["lines"]}
