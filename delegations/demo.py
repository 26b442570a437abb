"""Demo delegations: a realistic year of Frankfurt am Main's trips abroad and
visitors received, in the current year. Everything goes through the services
(creation, participants, workflow steps by the demo users "staff" and
"admin"), so the rules hold; the history is then dated back to plausible days.

Dates are fixed in the calendar; the state follows today's date: trips that
have ended are completed (outbound with a trip report), running ones approved
or confirmed, later ones in their planned state. Exactly one coordination case
arises: the Culture and Economic Development departments both travel to Lyon
in early December. Idempotent: delegations are keyed by title within the year.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partners.models import City, Partnership

from . import services
from .choices import (
    CostCategory,
    DelegationStatus,
    Direction,
    Payer,
)
from .demo_year import INBOUND, INVOICES_PENDING_DAYS, OTHER_CITIES, OUTBOUND, PARTNER_CITIES, PEOPLE, Plan
from .models import Cost, Delegation, Department, Gift, Outcome, Person, ProgrammeItem, Transition

S = DelegationStatus

# --- loading -------------------------------------------------------------


def _city(name: str) -> City:
    if name in OTHER_CITIES:
        country, local_name, latitude, longitude, population = OTHER_CITIES[name]
    else:
        country, local_name, latitude, longitude, population = PARTNER_CITIES[name], "", None, None, None
    city = City.objects.filter(name=name, country=country).first()
    if city:
        return city
    return City.objects.create(
        name=name,
        country=country,
        local_name=local_name,
        latitude=latitude,
        longitude=longitude,
        population=population,
    )


def _person(name, title, *, department=None, organisation="", city=None, dietary="", accessibility="") -> Person:
    person = Person.objects.filter(name=name).first()
    if person:
        return person
    return Person.objects.create(
        name=name,
        title=title,
        department=department,
        organisation=organisation,
        city=city,
        country=city.country if city else "",
        dietary_needs=dietary,
        accessibility_needs=accessibility,
    )


class _Loader:
    def __init__(self, year: int, today: datetime.date):
        users = get_user_model().objects.in_bulk(["staff", "admin"], field_name="username")
        self.staff, self.admin = users["staff"], users["admin"]
        self.year = year
        self.today = today
        self.now = timezone.now()
        self.departments = {d.short_name: d for d in Department.objects.all()}
        self.cities: dict[str, City] = {}
        self.partnerships = {p.partner_city_id: p for p in Partnership.objects.order_by("-pk")}
        self.home = City.objects.filter(name=settings.OIA_HOME_CITY).first()

    def city(self, name: str) -> City:
        if name not in self.cities:
            self.cities[name] = _city(name)
        return self.cities[name]

    def official(self, key: str) -> Person:
        name, title, department, organisation, dietary, accessibility = PEOPLE[key]
        return _person(
            name,
            title,
            department=self.departments[department] if department else None,
            organisation=organisation,
            city=self.home,
            dietary=dietary,
            accessibility=accessibility,
        )

    def load(self, plan: Plan) -> Delegation:
        start = datetime.date(self.year, *plan.start)
        end = start + datetime.timedelta(days=plan.days - 1)
        city = self.city(plan.city)
        outbound = plan.direction == Direction.OUTBOUND
        past = end < self.today and plan.state != "cancelled"
        delegation = services.delegation_create(
            created_by=self.staff,
            direction=plan.direction,
            title=plan.title,
            purpose=plan.purpose,
            city=city,
            partnership=self.partnerships.get(city.pk),
            start_on=start,
            end_on=end,
            department=self.departments[plan.department],
            official_guest=plan.official_guest,
            travel_class=plan.travel_class,
            head_count=plan.head_count,
            head_count_note=plan.head_count_note,
            public_summary=plan.summary if past else "",
            internal_notes=plan.note,
            trip_report=plan.report if past and outbound else "",
        )
        people = self._participants(delegation, plan, city)
        for offset, time, kind, title, place in plan.programme:
            item = ProgrammeItem(
                delegation=delegation,
                date=start + datetime.timedelta(days=offset),
                starts_at=datetime.time.fromisoformat(time) if time else None,
                kind=kind,
                title=title,
                place=place,
            )
            item.full_clean()
            item.save()
        costs = self._costs(delegation, plan, people)
        steps = self._workflow(delegation, plan, start, end, costs)
        for direction, description, counterpart, value in plan.gifts:
            Gift.objects.create(
                delegation=delegation,
                direction=direction,
                description=description,
                counterpart=counterpart,
                value=Decimal(value) if value else None,
            )
        if past:
            for kind, description, due_after, done in plan.outcomes:
                Outcome.objects.create(
                    delegation=delegation,
                    kind=kind,
                    description=description,
                    owner=self.staff,
                    due_on=end + datetime.timedelta(days=due_after) if due_after else None,
                    done=done,
                )
        self._date_history(delegation, steps)
        return delegation

    def _participants(self, delegation, plan, city) -> int:
        if plan.direction == Direction.OUTBOUND:
            members = [(self.official(key), role, sector) for key, role, sector in plan.people]
        else:
            members = [
                (
                    _person(
                        name,
                        title,
                        organisation=plan.organisation,
                        city=city,
                        dietary=dietary,
                        accessibility=accessibility,
                    ),
                    role,
                    sector,
                )
                for name, title, role, sector, dietary, accessibility in plan.visitors
            ]
        for person, role, sector in members:
            services.participant_add(delegation=delegation, person=person, role=role, sector=sector)
        return len(members)

    def _costs(self, delegation, plan, people) -> list[Cost]:
        rows = []
        if plan.direction == Direction.OUTBOUND:
            nights = max(plan.days - 1, 0)
            rows.append((CostCategory.TRAVEL, f"Return journey, {people} people", plan.fare * people, Payer.CITY))
            if nights:
                rows.append(
                    (
                        CostCategory.ACCOMMODATION,
                        f"Hotel, {people} people × {nights} nights",
                        plan.nightly * people * nights,
                        Payer.CITY,
                    )
                )
        rows.extend(plan.costs)
        costs = []
        for category, description, estimated, payer in rows:
            cost = Cost(
                delegation=delegation,
                category=category,
                description=description,
                estimated=Decimal(estimated),
                payer=payer,
            )
            cost.full_clean()
            cost.save()
            costs.append(cost)
        return costs

    def _record_actuals(self, plan, costs) -> None:
        factor = Decimal(plan.actual_factor)
        for cost in costs:
            cost.actual = (cost.estimated * factor).quantize(Decimal("1"))
            cost.save(update_fields=["actual"])

    def _workflow(self, delegation, plan, start, end, costs) -> list[tuple[Transition, datetime.date]]:
        """Take the workflow steps; return each with the day it plausibly happened."""
        steps: list[tuple[Transition, datetime.date]] = []

        def step(to_status, by, comment, on):
            steps.append(
                (
                    services.delegation_transition(delegation=delegation, to_status=to_status, by=by, comment=comment),
                    on,
                )
            )

        before = lambda days: start - datetime.timedelta(days=days)  # noqa: E731
        after = lambda days: end + datetime.timedelta(days=days)  # noqa: E731
        happened = end < self.today
        running = start <= self.today <= end
        if plan.direction == Direction.OUTBOUND:
            if plan.state == "cancelled":
                step(S.SUBMITTED, self.staff, "Programme agreed with the host.", before(50))
                step(S.CANCELLED, self.staff, plan.note, before(10))
                return steps
            target = S.COMPLETED if happened else S.APPROVED if running else plan.state or S.APPROVED
            if target == S.DRAFT:
                return steps
            step(S.SUBMITTED, self.staff, "Programme agreed with the host; please approve.", before(50))
            if target == S.SUBMITTED:
                return steps
            step(S.APPROVED, self.admin, "Approved.", before(40))
            if target == S.APPROVED:
                return steps
            if end < self.today - datetime.timedelta(days=INVOICES_PENDING_DAYS):
                self._record_actuals(plan, costs)
            if services.needs_reapproval(delegation):
                step(S.SUBMITTED, self.staff, "Actual costs above the approved estimate: please re-approve.", after(5))
                step(S.APPROVED, self.admin, "Re-approved with the actual costs.", after(7))
            step(S.COMPLETED, self.staff, "Trip report filed.", after(10))
            return steps
        if plan.state == "cancelled":
            step(S.CANCELLED, self.staff, plan.note, before(7))
            return steps
        target = S.COMPLETED if happened else S.CONFIRMED if running else plan.state or S.CONFIRMED
        if target == S.REQUESTED:
            return steps
        step(S.CONFIRMED, self.staff, "Programme confirmed with the guests.", before(21))
        if target == S.COMPLETED:
            if end < self.today - datetime.timedelta(days=INVOICES_PENDING_DAYS):
                self._record_actuals(plan, costs)
            step(S.COMPLETED, self.staff, "The visit took place.", after(2))
        return steps

    def _date_history(self, delegation, steps) -> None:
        """Date the creation and each step back to its plausible day, never in the future."""
        created = Transition.objects.filter(delegation=delegation).order_by("pk").first()
        days = [(created, delegation.start_on - datetime.timedelta(days=70)), *steps]
        latest = self.now - datetime.timedelta(minutes=len(days))
        stamps = []
        for index, (transition, on) in enumerate(days):
            at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9 + index, 15)))
            at = min(at, latest + datetime.timedelta(minutes=index))
            if stamps and at <= stamps[-1]:
                at = stamps[-1] + datetime.timedelta(minutes=1)
            Transition.objects.filter(pk=transition.pk).update(at=at)
            stamps.append(at)
        Delegation.objects.filter(pk=delegation.pk).update(created_at=stamps[0])


@transaction.atomic
def load_demo_delegations() -> int:
    """Load the demo year; return how many delegations were created."""
    today = timezone.localdate()
    year = today.year
    plans = [*OUTBOUND, *INBOUND]
    existing = set(
        Delegation.objects.in_years(year)
        .filter(title__in=[plan.title for plan in plans])
        .values_list("title", flat=True)
    )
    loader = _Loader(year, today)
    created = 0
    for plan in plans:
        if plan.title in existing:
            continue
        loader.load(plan)
        created += 1
    return created
