"""Demo history, the rest of the earlier years (``data/history.json``): each
year's budget, adopted in the December before, with that year's amounts, its
jubilee's supplementary grant, the Eurocities fee and the expenses of the
trips and visits that took place (``demo/past_delegations.py`` loaded them);
the clubs' exchanges of the twelve-month spans before this year's, a share
of this year's at that year's group sizes, all accepted; each year's paid and
reported trip grants of the clubs; and what the networks yielded each year.

Budgets and grants go through the services (they are few, and their rules
are the point); the exchanges are checked and bulk-inserted. Idempotent:
a year whose budget is there, a span whose exchanges are there, is skipped.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from budget.models import Budget, BudgetLine, BudgetStatus, Expense, GrantApplication, GrantRules, GrantStatus
from budget.services import convert, grants, money
from delegations.choices import Payer
from delegations.models import Cost, Delegation
from networks.models import Network, NetworkActivity
from partners import services as partner_services
from partners.choices import ExchangeAction, ReviewStatus
from partners.models import Club, Exchange, ExchangeEvent

from .budget import BudgetLoader, year_budget
from .files import read_json
from .grants import apply_as_planned
from .past_delegations import SEED, past_years

YEAR = datetime.timedelta(days=365)
# The office's decision on every earlier exchange (this year's are still under review).
REVIEWED = ReviewStatus.ACCEPTED
# In hand from the database; see past_delegations.LOADED_KEYS.
EXPENSE_KEYS = ["line", "delegation", "booked_by", "membership", "grant"]


def _year_data(data: dict, row: dict) -> dict:
    """The budget file's rows with the earlier year's amounts and jubilee."""
    amounts = row["budget"]["lines"]
    lines = [{**line, "planned": amounts.get(line["name"], line["planned"])} for line in data["lines"]]
    return {
        **data,
        "partner_cities_total": row["budget"]["partner_cities_total"],
        "lines": lines,
        "jubilee": row["jubilee"],
    }


def _budgets(rows: list[dict], admin, staff) -> None:
    data = read_json("budget.json")
    done = set(Budget.objects.filter(year__in=[row["year"] for row in rows]).values_list("year", flat=True))
    for row in rows:
        if row["year"] in done:
            continue
        year_data = _year_data(data, row)
        budget = year_budget(year_data, row["year"], admin)
        loader = BudgetLoader(year_data, budget, admin, staff, datetime.date(row["year"], 12, 31))
        if row["jubilee"]:
            loader.jubilee()
        loader.eurocities_fee()
        _expenses(loader, Delegation.objects.in_years(row["year"]), override_reason=year_data["override_reason"])


def _expenses(loader: BudgetLoader, delegations, *, override_reason: str) -> None:
    """As ``BudgetLoader.expenses`` (one expense per actual cost the city paid,
    on the delegation's line, a fortnight after the trip), checked and inserted
    at once: a year of bookings one by one was most of the history's load time.
    The rules of ``budget.services.expense_book`` hold: the line fits the trip,
    the amount converts exactly, and an overdraft carries the reason."""
    available = {line.pk: line.available for line in loader.budget.lines.with_amounts()}
    costs = (
        Cost.objects.filter(delegation__in=delegations, actual__isnull=False, payer=Payer.CITY)
        .select_related("delegation__city")
        .order_by("delegation__end_on", "delegation__pk", "pk")
    )
    expenses = []
    for cost in costs:
        delegation = cost.delegation
        line = loader.line_for(delegation)
        if line is None:
            continue
        refusal = line.trip_refusal(delegation)
        if refusal:
            raise ValidationError({"delegation": refusal})
        amount = loader.amount(delegation, cost)
        if "original_amount" in amount:
            amount["amount"] = money(convert(amount["original_amount"], amount["exchange_rate"]))
        available[line.pk] -= amount["amount"]
        expense = Expense(
            line=line,
            date=min(delegation.end_on + datetime.timedelta(days=14), loader.today),
            payee=loader.payee(delegation, cost),
            description=f"{delegation.title} – {cost.description or cost.category}"[:300],
            delegation=delegation,
            booked_by=loader.admin,
            override_reason=override_reason if available[line.pk] < 0 else "",
            **amount,
        )
        expense.full_clean(exclude=EXPENSE_KEYS, validate_constraints=False)
        expenses.append(expense)
    Expense.objects.bulk_create(expenses)


def _exchanges(rows: list[dict], users: dict, today: datetime.date) -> None:
    """Each earlier twelve months: a share of this year's exchanges, all accepted."""
    clubs = {club.name: club for club in Club.objects.prefetch_related("partnerships__partner_city", "leaders")}
    staff = users.get("staff")
    known = set(Exchange.objects.filter(starts_on__lt=today - YEAR).values_list("club_id", "title", "starts_on"))
    exchanges, events = [], []
    for row in rows:
        draw = random.Random(SEED * 100 + row["years_ago"])
        keep, groups = float(row["exchanges_keep"]), float(row["groups"])
        for plan in read_json("exchanges.json"):
            club = clubs.get(plan["club"])
            partnership = (
                next((p for p in club.partnerships.all() if p.partner_city.name == plan["city"]), None)
                if club
                else None
            )
            kept, shift, size = draw.random() < keep, draw.randint(-10, 10), draw.uniform(0.85, 1.15)
            if partnership is None or not kept:
                continue
            starts_on = today - datetime.timedelta(days=plan["days_ago"] + shift) - row["years_ago"] * YEAR
            if (club.pk, plan["title"], starts_on) in known:
                continue
            local = round(plan["participants_local"] * groups * size)
            partner = round(plan["participants_partner"] * groups * size)
            leader = next(iter(club.leaders.all()), None) or staff
            exchange = Exchange(
                club=club,
                partnership=partnership,
                kind=plan["kind"],
                direction=plan["direction"],
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=plan["days"] - 1),
                title=plan["title"],
                description=f"{plan['title']}.",
                participants_local=local,
                participants_partner=partner,
                young_participants=min(round(plan["young_participants"] * groups * size), local + partner),
                reciprocity=plan["reciprocity"],
                review_status=REVIEWED,
                version=3,
                created_by=leader,
            )
            exchange.full_clean(exclude=["club", "partnership", "created_by"], validate_constraints=False)
            exchanges.append(exchange)
            back = exchange.ends_on
            events += [
                (exchange, ExchangeAction.CREATED, leader, back + datetime.timedelta(days=3)),
                (exchange, ExchangeAction.SUBMITTED, leader, back + datetime.timedelta(days=5)),
                (exchange, ExchangeAction.ACCEPTED, staff, back + datetime.timedelta(days=12)),
            ]
    Exchange.objects.bulk_create(exchanges)
    ExchangeEvent.objects.bulk_create(
        ExchangeEvent(
            exchange=exchange,
            action=action,
            by=by,
            at=timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(10))),
        )
        for exchange, action, by, day in events
    )
    for exchange in exchanges:
        exchange.created_at = timezone.make_aware(datetime.datetime.combine(exchange.ends_on, datetime.time(9)))
    Exchange.objects.bulk_update(exchanges, ["created_at"])


def _grants(rows: list[dict], users: dict) -> None:
    """This year's paid and reported applications, once in each earlier year:
    approved, paid a fortnight before the trip, reported and accepted."""
    staff, payer = users.get("staff"), users.get("admin") or users.get("staff")
    clubs = {club.name: club for club in Club.objects.prefetch_related("partnerships__partner_city", "leaders")}
    line_name = read_json("budget.json")["club_grants_line"]
    lines = {
        line.budget.year: line
        for line in BudgetLine.objects.filter(
            name=line_name, budget__year__in=[row["year"] for row in rows], budget__status=BudgetStatus.ADOPTED
        ).select_related("budget")
    }
    GrantRules.current()
    plans = [plan for plan in read_json("grants.json") if plan["state"] in (GrantStatus.PAID, GrantStatus.REPORTED)]
    for row in rows:
        line = lines.get(row["year"])
        if line is None or staff is None or GrantApplication.objects.filter(starts_on__year=row["year"]).exists():
            continue
        for plan in plans:
            club = clubs.get(plan["club"])
            partnership = next((p for p in club.partnerships.all() if p.partner_city.name == plan["city"]), None)
            if partnership is None:
                continue
            starts_on = datetime.date(row["year"], 1, 1) + datetime.timedelta(days=(150 + plan["starts_in_days"]) % 330)
            leader = next(iter(club.leaders.all()), None) or staff
            application = apply_as_planned(
                plan, club=club, leader=leader, partnership=partnership, starts_on=starts_on, submit=True
            )
            grants.grant_approve(
                application=application,
                by=staff,
                approved_amount=Decimal(plan["approved"]),
                budget_line=line,
                conditions=plan["note"],
            )
            grants.grant_pay(application=application, by=payer, date=starts_on - datetime.timedelta(days=14))
            application = grants.grant_report(
                application=application,
                by=leader,
                actual_travellers=plan["travellers"],
                report="We travelled as planned; the partner club's families hosted us.",
                kind="citizens",
                direction="outgoing",
                reciprocity=False,
            )
            partner_services.exchange_review(
                exchange=application.exchange, by=staff, decision=ReviewStatus.ACCEPTED, comment=""
            )


def _network_outcomes(rows: list[dict]) -> None:
    """What the networks yielded in each earlier year (``network_outcomes``)."""
    history = read_json("history.json")
    networks = {network.name: network for network in Network.objects.all()}
    by_ago = {row["years_ago"]: row["year"] for row in rows}
    for outcome in history["network_outcomes"]:
        network = networks.get(outcome["network"])
        year = by_ago.get(outcome["years_ago"])
        if network is None or year is None:
            continue
        NetworkActivity.objects.get_or_create(
            network=network,
            title=outcome["title"],
            defaults={
                "kind": outcome["kind"],
                "date": datetime.date(year, outcome["month"], 15),
                "note": outcome["note"],
            },
        )


@transaction.atomic
def load_demo_past_years() -> None:
    """The earlier years' money, exchanges, grants and network outcomes (after this year's)."""
    users = get_user_model().objects.in_bulk(["staff", "admin"], field_name="username")
    admin, staff = users.get("admin"), users.get("staff")
    today = timezone.localdate()
    rows = past_years(today)
    if admin is not None:
        _budgets(rows, admin, staff)
    _exchanges(rows, users, today)
    _grants(rows, users)
    _network_outcomes(rows)
