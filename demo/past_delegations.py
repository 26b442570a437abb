"""Demo history, delegations: the office's three earlier years, so that the
council report, the dashboard and the charts compare every year with a
previous year that has data (``data/history.json``).

An earlier year repeats a share of this year's plans (``keep``, rising
towards today: the office grows), in the same week on the same weekday,
with the party, the groups (``groups``) and the prices (``prices``) varying
by a seeded draw, plus the year's own trips (its jubilee). Plans made for
this year only are left out. Everything in those years has happened: trips
and visits are completed with their actual costs and their history of
steps, one plan a year was cancelled. Nobody travels twice at once (a
member who would is left at home). The rows are checked (``full_clean``)
and bulk-inserted: three years through the services took longer than the
demo may (issue 17). Idempotent: a year whose plans are there is skipped.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from delegations.choices import CostCategory, DelegationStatus, Direction, ParticipantRole, Payer, Purpose
from delegations.models import (
    Cost,
    Delegation,
    Gift,
    Outcome,
    Participant,
    ProgrammeItem,
    Transition,
    counting_year,
)

from .delegations import DelegationLoader, Plan, demo_plans
from .files import read_json

SEED = 2023
S = DelegationStatus
# Loaded a moment ago from the database: checking that they exist took a query each.
# The rows' check constraints are left to the database, which enforces them on insert
# (Django's own check asks it once a row and constraint).
LOADED_KEYS = ["city", "partnership", "network", "budget_line", "department", "lead", "created_by"]


def past_years(today: datetime.date) -> list[dict]:
    """The earlier years of ``history.json``, oldest first, each with its calendar ``year``."""
    rows = sorted(read_json("history.json")["years"], key=lambda row: -row["years_ago"])
    return [{**row, "year": today.year - row["years_ago"]} for row in rows]


def same_weekday(day: datetime.date, year: int) -> datetime.date:
    """The day of ``year`` on the same weekday, in the same week: meetings and fairs recur that way."""
    moved = day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)
    shift = (day.weekday() - moved.weekday()) % 7
    return moved + datetime.timedelta(days=shift - 7 if shift > 3 else shift)


def _at(day: datetime.date, index: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + index, 15)))


def _overlaps(start, end, other_start, other_end) -> bool:
    """Sharing only a first or last day (back to back) is allowed, as in the services."""
    return start < other_end and other_start < end


class _Year:
    """The plans of one earlier year, turned into checked, unsaved rows."""

    def __init__(self, loader: DelegationLoader, row: dict, history: dict, today: datetime.date):
        self.loader = loader
        self.row = row
        self.year = row["year"]
        self.today = today
        self.history = history
        self.random = random.Random(SEED * 10 + row["years_ago"])
        self.busy: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
        self.threshold = Decimal(100 + settings.OIA_REAPPROVAL_THRESHOLD_PERCENT) / Decimal(100)
        self.delegations, self.children, self.steps = [], [], []

    def plans(self) -> list[Plan]:
        """A share of this year's plans, the year's own, and one of them cancelled (not a
        network meeting: the networks demo counts those as attended)."""
        keep = float(self.row["keep"])
        left_out = set(self.history["this_year_only"])
        plans = [
            plan
            for plan in demo_plans()
            if plan.state not in (S.DRAFT, S.SUBMITTED) and plan.title not in left_out and self.random.random() < keep
        ]
        for plan in plans:
            plan.state, plan.note = "", ""  # cancelled this year, it took place then
        cancelled = self.random.choice([plan for plan in plans if plan.purpose != Purpose.NETWORK_MEETING])
        cancelled.state, cancelled.note = "cancelled", self.random.choice(self.history["cancel_notes"])
        own = [
            Plan(**{key: value for key, value in row.items() if key != "years_ago"})
            for row in self.history["delegations"]
            if row["years_ago"] == self.row["years_ago"]
        ]
        return plans + own

    def members(self, plan: Plan, city, start, end, cancelled: bool) -> list[tuple]:
        """The party: the head always, the others mostly; nobody on two trips at once."""
        rows = self.loader.party(plan, city)
        if plan.direction == Direction.OUTBOUND:
            rows = [
                member
                for index, member in enumerate(rows)
                if index == 0 or member[1] == ParticipantRole.LEAD or self.random.random() < 0.85
            ]
        if cancelled:
            return rows
        free = [
            member
            for member in rows
            if not any(_overlaps(start, end, *dates) for dates in self.busy.get(member[0].pk, []))
        ]
        if rows[0] not in free:
            return []  # the head is away: the trip did not take place that year
        for person, _role, _sector in free:
            self.busy.setdefault(person.pk, []).append((start, end))
        return free

    def add(self, plan: Plan) -> None:
        loader = self.loader
        start = same_weekday(datetime.date.fromisoformat(f"{self.today.year}-{plan.start}"), self.year)
        end = start + datetime.timedelta(days=plan.days - 1)
        city = loader.city(plan.city)
        outbound = plan.direction == Direction.OUTBOUND
        cancelled = plan.state == "cancelled"
        members = self.members(plan, city, start, end, cancelled)
        if not members:
            return
        lead = next((person for person, role, _sector in members if role == ParticipantRole.LEAD), None)
        head_count = plan.head_count
        if head_count:
            head_count = max(1, round(head_count * float(self.row["groups"]) * self.random.uniform(0.85, 1.15)))
        delegation = Delegation(
            direction=plan.direction,
            title=plan.title,
            purpose=plan.purpose,
            city=city,
            country=city.country,
            partnership=loader.partnerships.get(city.pk),
            start_on=start,
            end_on=end,
            department=loader.departments[plan.department],
            lead=lead,
            official_guest=plan.official_guest,
            travel_class=plan.travel_class,
            head_count=head_count,
            head_count_note=plan.head_count_note,
            public_summary="" if cancelled else plan.summary,
            internal_notes=plan.note,
            trip_report=plan.report or self.history["fallback_report"] if outbound and not cancelled else "",
            created_by=loader.staff,
        )
        costs = self.costs(delegation, plan, len(members), cancelled)
        delegation.status, steps = self.workflow(delegation, costs, cancelled)
        delegation.full_clean(exclude=LOADED_KEYS, validate_constraints=False)
        self.delegations.append(delegation)
        self.steps.append((delegation, steps))
        children = [Participant(delegation=delegation, person=p, role=r, sector=s) for p, r, s in members]
        children += [
            ProgrammeItem(
                delegation=delegation,
                date=start + datetime.timedelta(days=row["day"]),
                starts_at=datetime.time.fromisoformat(row["time"]) if row["time"] else None,
                kind=row["kind"],
                title=row["title"],
                place=row["place"],
            )
            for row in plan.programme
        ]
        children += costs
        if not cancelled:
            children += [
                Gift(
                    delegation=delegation,
                    direction=row["direction"],
                    description=row["description"],
                    counterpart=row["counterpart"],
                    value=Decimal(row["value"]) if row["value"] else None,
                )
                for row in plan.gifts
                if self.random.random() < 0.8
            ]
            children += [
                Outcome(
                    delegation=delegation,
                    kind=row["kind"],
                    description=row["description"],
                    owner=loader.staff,
                    due_on=end + datetime.timedelta(days=row["due_days_after_end"])
                    if row["due_days_after_end"]
                    else None,
                    done=True,
                )
                for row in plan.outcomes
            ]
        self.children.extend(children)

    def costs(self, delegation: Delegation, plan: Plan, people: int, cancelled: bool) -> list[Cost]:
        """This year's kinds of cost at that year's prices; actuals once the trip took place."""
        rows = []
        if plan.direction == Direction.OUTBOUND:
            nights = max(plan.days - 1, 0)
            rows.append((CostCategory.TRAVEL, f"Return journey, {people} people", plan.fare * people, Payer.CITY))
            if nights:
                hotel = f"Hotel, {people} people × {nights} nights"
                rows.append((CostCategory.ACCOMMODATION, hotel, plan.nightly * people * nights, Payer.CITY))
        rows.extend((row["category"], row["description"], row["estimated"], row["payer"]) for row in plan.costs)
        prices = Decimal(self.row["prices"])
        factor = Decimal(plan.actual_factor)
        costs = []
        for category, description, estimated, payer in rows:
            draw = Decimal(str(round(self.random.uniform(0.92, 1.08), 2)))
            amount = (Decimal(estimated) * prices * draw).quantize(Decimal("1"))
            actual = None if cancelled else (amount * factor).quantize(Decimal("1"))
            costs.append(
                Cost(
                    delegation=delegation,
                    category=category,
                    description=description,
                    estimated=amount,
                    actual=actual,
                    payer=payer,
                )
            )
        return costs

    def workflow(self, delegation: Delegation, costs: list[Cost], cancelled: bool) -> tuple[str, list]:
        """The steps the services would have taken, as (from, to, by, comment, day); the final status."""
        loader = self.loader
        staff, admin = loader.staff, loader.admin
        start, end = delegation.start_on, delegation.end_on
        before = lambda days: start - datetime.timedelta(days=days)  # noqa: E731
        after = lambda days: end + datetime.timedelta(days=days)  # noqa: E731
        if delegation.is_outbound:
            steps = [("", S.DRAFT, staff, "Created.", before(70))]
            steps.append((S.DRAFT, S.SUBMITTED, staff, "Programme agreed with the host; please approve.", before(50)))
            if cancelled:
                steps.append((S.SUBMITTED, S.CANCELLED, staff, delegation.internal_notes, before(10)))
                return S.CANCELLED, steps
            estimated = sum((cost.estimated for cost in costs), Decimal(0))
            actual = sum((cost.actual or 0 for cost in costs), Decimal(0))
            steps.append((S.SUBMITTED, S.APPROVED, admin, "Approved.", before(40)))
            delegation.approved_estimate = estimated
            if actual > estimated * self.threshold:
                comment = "Actual costs above the approved estimate: please re-approve."
                steps.append((S.APPROVED, S.SUBMITTED, staff, comment, after(5)))
                steps.append((S.SUBMITTED, S.APPROVED, admin, "Re-approved with the actual costs.", after(7)))
                delegation.approved_estimate = actual
            steps.append((S.APPROVED, S.COMPLETED, staff, "Trip report filed.", after(10)))
            return S.COMPLETED, steps
        steps = [("", S.REQUESTED, staff, "Created.", before(70))]
        if cancelled:
            steps.append((S.REQUESTED, S.CANCELLED, staff, delegation.internal_notes, before(7)))
            return S.CANCELLED, steps
        steps.append((S.REQUESTED, S.CONFIRMED, staff, "Programme confirmed with the guests.", before(21)))
        steps.append((S.CONFIRMED, S.COMPLETED, staff, "The visit took place.", after(2)))
        return S.COMPLETED, steps


def _save(years: list[_Year]) -> int:
    """One insert per table for all the years; then the history's days, as the services cannot date them."""
    delegations = [delegation for year in years for delegation in year.delegations]
    for delegation, steps in [pair for year in years for pair in year.steps]:
        delegation.version = len(steps)
    Delegation.objects.bulk_create(delegations)
    children: dict[type, list] = {}
    for record in [record for year in years for record in year.children]:
        children.setdefault(type(record), []).append(record)
    for model in (Participant, ProgrammeItem, Cost, Gift, Outcome):
        rows = children.get(model, [])
        for record in rows:
            record.full_clean(exclude=["delegation", "person", "owner"], validate_constraints=False)
        if rows:
            model.objects.bulk_create(rows)
    transitions, stamps = [], []
    for delegation, steps in [pair for year in years for pair in year.steps]:
        for index, (from_status, to_status, by, comment, day) in enumerate(steps):
            transitions.append(
                Transition(delegation=delegation, from_status=from_status, to_status=to_status, by=by, comment=comment)
            )
            stamps.append(_at(day, index))
        delegation.created_at = _at(steps[0][4], 0)
    Transition.objects.bulk_create(transitions)
    for transition, at in zip(transitions, stamps, strict=True):
        transition.at = at  # auto_now_add set it to now on insert
    Transition.objects.bulk_update(transitions, ["at"])
    Delegation.objects.bulk_update(delegations, ["created_at"])
    return len(delegations)


@transaction.atomic
def load_demo_past_delegations() -> int:
    """Load the earlier years that are missing; return how many delegations were created."""
    today = timezone.localdate()
    history = read_json("history.json")
    rows = past_years(today)
    titles = [plan.title for plan in demo_plans()] + [row["title"] for row in history["delegations"]]
    done = set(
        Delegation.objects.in_years(rows[0]["year"], rows[-1]["year"])
        .filter(title__in=titles)
        .annotate(year=counting_year())
        .values_list("year", flat=True)
        .distinct()
    )
    loader = DelegationLoader(read_json("delegations.json"), today.year, today)
    years = []
    for row in rows:
        if row["year"] in done:
            continue
        year = _Year(loader, row, history, today)
        for plan in year.plans():
            year.add(plan)
        years.append(year)
    return _save(years)
