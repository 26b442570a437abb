"""Demo trip grants: the office's grant rules and applications of the demo
clubs in each state (draft, submitted, approved, rejected, paid, reported),
one of them with 80 % students, decided on the "Club and community grants"
line of the demo budget. Dates follow today. Idempotent: an application is
known by its club, destination and programme."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partners.models import Club

from .demo import CLUB_GRANTS
from .models import BudgetLine, BudgetStatus, GrantApplication, GrantRules, GrantStatus
from .services import grants

M = Decimal
KRAKOW_CLUB = "Freundeskreis Frankfurt–Kraków e.V."
LYON_CLUB = "Cercle Franco-Allemand Frankfurt–Lyon e.V."
TORONTO_CLUB = "Toronto Friends in Frankfurt e.V."

# (club, city, destination, programme, starts in days (negative: past), days long,
#  travellers, students, costs, own contribution, requested, final state, approved, note)
APPLICATIONS = [
    (KRAKOW_CLUB, "Kraków", "Kraków", "School choir tour: concerts in two schools and the town hall.",
     150, 6, 20, 16, "9000", "5000", "2500", GrantStatus.SUBMITTED, None, ""),
    (KRAKOW_CLUB, "Kraków", "Kraków and Wieliczka", "Citizens' journey with the partner club's families.",
     -60, 5, 12, 4, "6000", "4000", "900", GrantStatus.REPORTED, "600", ""),
    (LYON_CLUB, "Lyon", "Lyon", "Youth orchestra exchange with the Conservatoire de Lyon.",
     40, 5, 15, 9, "7500", "5000", "1200", GrantStatus.APPROVED, "750", "Send the programme one week ahead."),
    (LYON_CLUB, "Deuil-la-Barre", "Deuil-la-Barre", "Twin-town festival, a bus for the club's dancers.",
     200, 3, 30, 10, "4000", "2500", "1500", GrantStatus.DRAFT, None, ""),
    (TORONTO_CLUB, "Toronto", "Toronto", "Board members' trip to the sister-city gala.",
     90, 6, 4, 0, "8000", "2000", "2000", GrantStatus.REJECTED, None,
     "A board trip is not a group exchange; the rules fund groups of club members."),
    (TORONTO_CLUB, "Toronto", "Toronto", "Student start-up week with the University of Toronto.",
     -100, 7, 8, 6, "12000", "9000", "800", GrantStatus.PAID, "600", ""),
]  # fmt: skip


@transaction.atomic
def load_demo_grants() -> int:
    """Create the demo applications that are missing; return how many."""
    users = get_user_model().objects.in_bulk(["staff", "clubleader", "clubleader2"], field_name="username")
    staff = users.get("staff")
    today = timezone.localdate()
    line = (
        BudgetLine.objects.filter(name=CLUB_GRANTS, budget__year=today.year, budget__status=BudgetStatus.ADOPTED)
        .select_related("budget")
        .first()
    )
    GrantRules.current()  # the defaults are the demo's rules: €50, €80 from 75 % students, €2,500, €5,000
    clubs = {club.name: club for club in Club.objects.prefetch_related("partnerships__partner_city")}
    created = 0
    for (club_name, city, destination, programme, starts_in, days, travellers, students, costs, own, requested,
         state, approved, note) in APPLICATIONS:  # fmt: skip
        club = clubs.get(club_name)
        partnership = next((p for p in club.partnerships.all() if p.partner_city.name == city), None) if club else None
        if partnership is None or staff is None or line is None:
            continue
        if GrantApplication.objects.filter(club=club, destination=destination, programme_summary=programme).exists():
            continue
        leader = club.leaders.first() or staff
        starts_on = today + datetime.timedelta(days=starts_in)
        application = grants.grant_apply(
            club=club,
            created_by=leader,
            partnership=partnership,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=days - 1),
            destination=destination,
            programme_summary=programme,
            travellers=travellers,
            students=students,
            total_costs=M(costs),
            own_contribution=M(own),
            requested_amount=M(requested),
            partner_contact="",
            submit=state != GrantStatus.DRAFT,
        )
        created += 1
        if state == GrantStatus.REJECTED:
            grants.grant_reject(application=application, by=staff, reason=note)
        elif state in (GrantStatus.APPROVED, GrantStatus.PAID, GrantStatus.REPORTED):
            grants.grant_approve(
                application=application, by=staff, approved_amount=M(approved), budget_line=line, conditions=note
            )
            if state in (GrantStatus.PAID, GrantStatus.REPORTED):
                paid_on = max(datetime.date(today.year, 1, 1), min(today, starts_on - datetime.timedelta(days=14)))
                grants.grant_pay(application=application, by=staff, date=paid_on)
            if state == GrantStatus.REPORTED:
                grants.grant_report(
                    application=application,
                    by=leader,
                    actual_travellers=travellers - 1,
                    report="Eleven of us travelled; two evenings with the partner club's families.",
                    kind="citizens",
                    direction="outgoing",
                    reciprocity=False,
                )
    return created
