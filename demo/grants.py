"""Demo trip grants: the demo clubs' applications in each state (draft,
submitted, approved, rejected, paid, reported), one of them with 80 % students,
decided on the "Club and community grants" line of the demo budget; rows in
``data/grants.json``. Dates follow today. Idempotent: an application is known
by its club, destination and programme. Four eyes: "staff" approves, "admin"
books the payments."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from budget.models import BudgetLine, BudgetStatus, GrantApplication, GrantRules, GrantStatus
from budget.services import grants
from partners.models import Club

from .files import read_json


def _decide(application: GrantApplication, row: dict, *, staff, payer, leader, line: BudgetLine, today) -> None:
    """Take the application on to the state the row names."""
    state = row["state"]
    if state == GrantStatus.REJECTED:
        grants.grant_reject(application=application, by=staff, reason=row["note"])
    elif state in (GrantStatus.APPROVED, GrantStatus.PAID, GrantStatus.REPORTED):
        grants.grant_approve(
            application=application,
            by=staff,
            approved_amount=Decimal(row["approved"]),
            budget_line=line,
            conditions=row["note"],
        )
        if state in (GrantStatus.PAID, GrantStatus.REPORTED):
            fortnight_before = application.starts_on - datetime.timedelta(days=14)
            paid_on = max(datetime.date(today.year, 1, 1), min(today, fortnight_before))
            grants.grant_pay(application=application, by=payer, date=paid_on)
        if state == GrantStatus.REPORTED:
            grants.grant_report(
                application=application,
                by=leader,
                actual_travellers=row["travellers"] - 1,
                report="Eleven of us travelled; two evenings with the partner club's families.",
                kind="citizens",
                direction="outgoing",
                reciprocity=False,
            )


@transaction.atomic
def load_demo_grants() -> int:
    """Create the demo applications that are missing; return how many."""
    users = get_user_model().objects.in_bulk(["staff", "admin", "clubleader", "clubleader2"], field_name="username")
    staff = users.get("staff")
    payer = users.get("admin") or staff
    today = timezone.localdate()
    line_name = read_json("budget.json")["club_grants_line"]
    line = (
        BudgetLine.objects.filter(name=line_name, budget__year=today.year, budget__status=BudgetStatus.ADOPTED)
        .select_related("budget")
        .first()
    )
    GrantRules.current()  # the defaults are the demo's rules: €50, €80 from 75 % students, €2,500, €5,000
    clubs = {club.name: club for club in Club.objects.prefetch_related("partnerships__partner_city")}
    created = 0
    for row in read_json("grants.json"):
        club = clubs.get(row["club"])
        partnership = (
            next((p for p in club.partnerships.all() if p.partner_city.name == row["city"]), None) if club else None
        )
        if partnership is None or staff is None or line is None:
            continue
        if GrantApplication.objects.filter(
            club=club, destination=row["destination"], programme_summary=row["programme"]
        ).exists():
            continue
        leader = club.leaders.first() or staff
        starts_on = today + datetime.timedelta(days=row["starts_in_days"])
        application = apply_as_planned(
            row,
            club=club,
            leader=leader,
            partnership=partnership,
            starts_on=starts_on,
            submit=row["state"] != GrantStatus.DRAFT,
        )
        created += 1
        _decide(application, row, staff=staff, payer=payer, leader=leader, line=line, today=today)
    return created


def apply_as_planned(plan: dict, *, club, leader, partnership, starts_on: datetime.date, submit: bool):
    """The club's application for a trip of ``grants.json``, starting on ``starts_on``."""
    return grants.grant_apply(
        club=club,
        created_by=leader,
        partnership=partnership,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=plan["days"] - 1),
        destination=plan["destination"],
        programme_summary=plan["programme"],
        travellers=plan["travellers"],
        students=plan["students"],
        total_costs=Decimal(plan["total_costs"]),
        own_contribution=Decimal(plan["own_contribution"]),
        requested_amount=Decimal(plan["requested"]),
        partner_contact="",
        submit=submit,
    )
