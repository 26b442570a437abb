"""Demo delegations: a realistic year of Frankfurt am Main's trips abroad and
visitors received, in the current year, from ``data/delegations.json``.
Everything goes through the services (creation, participants, workflow steps by
the demo users "staff" and "admin"), so the rules hold; the history is then
dated back to plausible days.

Dates are fixed in the calendar (``start`` is month-day); the state follows
today's date: trips that have ended are completed (outbound with a trip
report), running ones approved or confirmed, later ones in the planned
``state``; "cancelled" is cancelled whatever the date (``note`` says why).
Exactly one coordination case arises: the Culture and Economic Development
departments both travel to Lyon in early December. Idempotent: delegations are
keyed by title within the year.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from delegations import services
from delegations.choices import CostCategory, DelegationStatus, Direction, Payer
from delegations.models import Cost, Delegation, Department, Gift, Outcome, Person, ProgrammeItem, Transition
from partners.models import City, Partnership

from .files import read_json


@dataclass
class Plan:
    """One delegation of the demo year, as written in the data file.

    Outbound: ``people`` are keys of the file's ``people`` with a role and
    sector; travel and accommodation costs follow from ``fare`` and ``nightly``
    per person. Inbound: ``visitors`` of ``organisation``; their costs are
    listed in ``costs``."""

    direction: str
    title: str
    city: str
    department: str
    purpose: str
    start: str  # "MM-DD"
    days: int
    programme: list[dict]
    state: str = ""
    people: list[dict] = field(default_factory=list)
    organisation: str = ""
    visitors: list[dict] = field(default_factory=list)
    official_guest: bool = False
    travel_class: str = ""
    head_count: int = 0
    head_count_note: str = ""
    fare: int = 0
    nightly: int = 0
    costs: list[dict] = field(default_factory=list)
    actual_factor: str = "0.97"
    gifts: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    summary: str = ""
    report: str = ""
    note: str = ""


def demo_plans() -> list[Plan]:
    """The year's trips abroad, then the visitors received."""
    return [Plan(**row) for row in read_json("delegations.json")["delegations"]]


def _insert_checked(records: list) -> list:
    """Check each of a new delegation's records (its ``clean()``, fields and
    constraints), then insert them in one statement. The check leaves out the
    delegation's foreign key only: the delegation was saved a moment ago, and
    asking the database whether it exists took a query a record."""
    for record in records:
        record.full_clean(exclude=["delegation"])
    return type(records[0]).objects.bulk_create(records) if records else records


class DelegationLoader:
    """Loads one year's plans; its people and cities serve the earlier years too (``demo/past_delegations.py``)."""

    def __init__(self, data: dict, year: int, today: datetime.date):
        users = get_user_model().objects.in_bulk(["staff", "admin"], field_name="username")
        self.staff, self.admin = users["staff"], users["admin"]
        self.data = data
        self.year = year
        self.today = today
        self.now = timezone.now()
        self.histories: list[tuple[Delegation, list]] = []
        self.departments = {d.short_name: d for d in Department.objects.all()}
        self.cities: dict[str, City] = {}
        self.partnerships = {p.partner_city_id: p for p in Partnership.objects.order_by("-pk")}
        self.home = City.objects.filter(name=settings.OIA_HOME_CITY).first()
        names = [row["name"] for row in data["people"].values()]
        names += [row["name"] for plan in data["delegations"] for row in plan.get("visitors", [])]
        self.people: dict[str, Person] = {}
        for person in Person.objects.filter(name__in=names).order_by("pk"):
            self.people.setdefault(person.name, person)  # the first of a name

    def person(self, name, title, *, department=None, organisation="", city=None, dietary="", accessibility=""):
        """The person of that name; created if missing."""
        if name not in self.people:
            self.people[name] = Person.objects.create(
                name=name,
                title=title,
                department=department,
                organisation=organisation,
                city=city,
                country=city.country if city else "",
                dietary_needs=dietary,
                accessibility_needs=accessibility,
            )
        return self.people[name]

    def city(self, name: str) -> City:
        """A partner city (made by the partners demo) or another city, created if missing."""
        if name not in self.cities:
            other = self.data["other_cities"].get(name)
            country = other["country"] if other else self.data["partner_cities"][name]
            city = City.objects.filter(name=name, country=country).first()
            if city is None:
                city = City.objects.create(
                    name=name,
                    country=country,
                    local_name=other["local_name"] if other else "",
                    latitude=other["latitude"] if other else None,
                    longitude=other["longitude"] if other else None,
                    population=other["population"] if other else None,
                )
            self.cities[name] = city
        return self.cities[name]

    def official(self, key: str) -> Person:
        row = self.data["people"][key]
        return self.person(
            row["name"],
            row["title"],
            department=self.departments[row["department"]] if row["department"] else None,
            organisation=row["organisation"],
            city=self.home,
            dietary=row["dietary"],
            accessibility=row["accessibility"],
        )

    def load(self, plan: Plan) -> Delegation:
        start = datetime.date.fromisoformat(f"{self.year}-{plan.start}")
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
        items = [
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
        _insert_checked(items)
        costs = self._costs(delegation, plan, people)
        steps = self._workflow(delegation, plan, start, end, costs)
        Gift.objects.bulk_create(
            Gift(
                delegation=delegation,
                direction=row["direction"],
                description=row["description"],
                counterpart=row["counterpart"],
                value=Decimal(row["value"]) if row["value"] else None,
            )
            for row in plan.gifts
        )
        if past:
            Outcome.objects.bulk_create(
                Outcome(
                    delegation=delegation,
                    kind=row["kind"],
                    description=row["description"],
                    owner=self.staff,
                    due_on=end + datetime.timedelta(days=row["due_days_after_end"])
                    if row["due_days_after_end"]
                    else None,
                    done=row["done"],
                )
                for row in plan.outcomes
            )
        self.histories.append((delegation, steps))  # dated in one go by date_histories()
        return delegation

    def party(self, plan, city) -> list[tuple]:
        """(person, role, sector) of everyone the plan names: our officials on a
        trip, the visitors (recorded as people of their organisation) on a visit."""
        if plan.direction == Direction.OUTBOUND:
            return [(self.official(row["person"]), row["role"], row["sector"]) for row in plan.people]
        return [
            (
                self.person(
                    row["name"],
                    row["title"],
                    organisation=plan.organisation,
                    city=city,
                    dietary=row["dietary"],
                    accessibility=row["accessibility"],
                ),
                row["role"],
                row["sector"],
            )
            for row in plan.visitors
        ]

    def _participants(self, delegation, plan, city) -> int:
        members = self.party(plan, city)
        services.participants_add(delegation=delegation, members=members)
        return len(members)

    def _costs(self, delegation, plan, people) -> list[Cost]:
        """Outbound: the journey and hotel for everyone; then the plan's own costs."""
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
        rows.extend((row["category"], row["description"], row["estimated"], row["payer"]) for row in plan.costs)
        costs = [
            Cost(
                delegation=delegation,
                category=category,
                description=description,
                estimated=Decimal(estimated),
                payer=payer,
            )
            for category, description, estimated, payer in rows
        ]
        return _insert_checked(costs)

    def _record_actuals(self, plan, costs) -> None:
        factor = Decimal(plan.actual_factor)
        for cost in costs:
            cost.actual = (cost.estimated * factor).quantize(Decimal("1"))
        Cost.objects.bulk_update(costs, ["actual"])

    def _workflow(self, delegation, plan, start, end, costs) -> list[tuple[Transition, datetime.date]]:
        """Take the workflow steps; return each with the day it plausibly happened."""
        steps: list[tuple[Transition, datetime.date]] = []
        invoices_pending = datetime.timedelta(days=self.data["invoices_pending_days"])

        def step(to_status, by, comment, on):
            transition = services.delegation_transition(
                delegation=delegation, to_status=to_status, by=by, comment=comment
            )
            steps.append((transition, on))

        def before(days):
            return start - datetime.timedelta(days=days)

        def after(days):
            return end + datetime.timedelta(days=days)

        happened = end < self.today
        running = start <= self.today <= end
        if plan.direction == Direction.OUTBOUND:
            if plan.state == "cancelled":
                step(DelegationStatus.SUBMITTED, self.staff, "Programme agreed with the host.", before(50))
                step(DelegationStatus.CANCELLED, self.staff, plan.note, before(10))
                return steps
            if happened:
                target = DelegationStatus.COMPLETED
            else:
                target = DelegationStatus.APPROVED if running else plan.state or DelegationStatus.APPROVED
            if target == DelegationStatus.DRAFT:
                return steps
            step(DelegationStatus.SUBMITTED, self.staff, "Programme agreed with the host; please approve.", before(50))
            if target == DelegationStatus.SUBMITTED:
                return steps
            step(DelegationStatus.APPROVED, self.admin, "Approved.", before(40))
            if target == DelegationStatus.APPROVED:
                return steps
            if end < self.today - invoices_pending:
                self._record_actuals(plan, costs)
            if services.needs_reapproval(delegation):
                comment = "Actual costs above the approved estimate: please re-approve."
                step(DelegationStatus.SUBMITTED, self.staff, comment, after(5))
                step(DelegationStatus.APPROVED, self.admin, "Re-approved with the actual costs.", after(7))
            step(DelegationStatus.COMPLETED, self.staff, "Trip report filed.", after(10))
            return steps
        if plan.state == "cancelled":
            step(DelegationStatus.CANCELLED, self.staff, plan.note, before(7))
            return steps
        if happened:
            target = DelegationStatus.COMPLETED
        else:
            target = DelegationStatus.CONFIRMED if running else plan.state or DelegationStatus.CONFIRMED
        if target == DelegationStatus.REQUESTED:
            return steps
        step(DelegationStatus.CONFIRMED, self.staff, "Programme confirmed with the guests.", before(21))
        if target == DelegationStatus.COMPLETED:
            if end < self.today - invoices_pending:
                self._record_actuals(plan, costs)
            step(DelegationStatus.COMPLETED, self.staff, "The visit took place.", after(2))
        return steps

    def date_histories(self) -> None:
        """Date each loaded delegation's creation and steps back to their
        plausible days, never in the future: one read and two writes for all."""
        created = {
            transition.delegation_id: transition
            for transition in Transition.objects.filter(
                delegation__in=[delegation for delegation, _steps in self.histories], from_status=""
            )
        }
        transitions = []
        for delegation, steps in self.histories:
            days = [(created[delegation.pk], delegation.start_on - datetime.timedelta(days=70)), *steps]
            latest = self.now - datetime.timedelta(minutes=len(days))
            stamps = []
            for index, (transition, on) in enumerate(days):
                at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9 + index, 15)))
                at = min(at, latest + datetime.timedelta(minutes=index))
                if stamps and at <= stamps[-1]:
                    at = stamps[-1] + datetime.timedelta(minutes=1)
                transition.at = at
                stamps.append(at)
                transitions.append(transition)
            delegation.created_at = stamps[0]
        Transition.objects.bulk_update(transitions, ["at"])
        Delegation.objects.bulk_update([delegation for delegation, _steps in self.histories], ["created_at"])
        self.histories = []


@transaction.atomic
def load_demo_delegations() -> int:
    """Load the demo year; return how many delegations were created."""
    today = timezone.localdate()
    year = today.year
    data = read_json("delegations.json")
    plans = demo_plans()
    existing = set(
        Delegation.objects.in_years(year)
        .filter(title__in=[plan.title for plan in plans])
        .values_list("title", flat=True)
    )
    loader = DelegationLoader(data, year, today)
    created = 0
    for plan in plans:
        if plan.title in existing:
            continue
        loader.load(plan)
        created += 1
    loader.date_histories()
    return created
