"""Demo networks: Frankfurt am Main's memberships, the fee split, the roles
its officials hold, and the meetings attended (linked to the demo trips to
network meetings, when the delegations demo has loaded them) with what they
yielded.

Memberships go through the service, so the split adds up. Review and fee
dates follow today's date (a review and a fee are due soon). Idempotent:
networks are keyed by name, roles by holder, body and title, outcomes by
title and meetings by their trip."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from delegations.choices import Direction, Purpose
from delegations.models import Delegation, Department, Person

from . import services
from .choices import ActivityKind, MembershipStatus, Scope, Verdict
from .models import Membership, Network, NetworkActivity, NetworkRole

# Officials holding roles: name -> (title, department short name). The
# delegations demo creates the same people; they are reused when present.
OFFICIALS = {
    "Dr. Markus Winter": ("Lord Mayor", "MO"),
    "Peter Lang": ("Deputy Mayor for Mobility", "MOB"),
    "Dr. Katharina Vogel": ("Deputy Mayor for Culture and Science", "CUL"),
    "Sabine Roth": ("Head of the Office for International Affairs", "OIA"),
    "Lea Fischer": ("EU and Networks Officer", "OIA"),
}


@dataclass
class Role:
    person: str
    body: str
    title: str
    starts: tuple[int, int]  # years before this year, month
    ends: tuple[int, int] | None = None


@dataclass
class Outcome:
    kind: str
    title: str
    months_ago: int
    note: str = ""


@dataclass
class Plan:
    name: str
    acronym: str
    scope: str
    themes: str
    website: str
    lead: str  # department short name
    since: int
    fee: Decimal
    shares: list[tuple[str, Decimal]]
    tier: str = ""
    review_in_days: int = 200
    fee_due_in_days: int = 120
    verdict: str = ""
    verdict_note: str = ""
    # Trips to network meetings whose title contains this text are linked as meetings attended.
    trip_marker: str = ""
    roles: list[Role] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


NETWORKS = [
    Plan(
        "Eurocities",
        "Eurocities",
        Scope.EUROPEAN,
        "Urban policy, mobility, culture, social affairs, economy",
        "https://eurocities.eu",
        "OIA",
        1993,
        Decimal("16000"),
        [("OIA", Decimal("7000")), ("ECON", Decimal("4000")), ("CUL", Decimal("3000")), ("MOB", Decimal("2000"))],
        tier="Full member",
        review_in_days=21,
        fee_due_in_days=45,
        verdict=Verdict.KEEP,
        verdict_note="Working groups on housing and mobility; project partners for two EU bids.",
        trip_marker="Eurocities",
        roles=[
            Role("Dr. Markus Winter", "Executive Committee", "Treasurer", (2, 11)),
            Role("Peter Lang", "Mobility Forum", "Vice Chair", (1, 4)),
            Role("Dr. Katharina Vogel", "Culture Forum", "Vice Chair", (1, 4)),
        ],
        outcomes=[
            Outcome(
                ActivityKind.PROJECT_PARTNERS,
                "Partners for the Horizon Europe bid on clean urban logistics",
                5,
                "Ghent, Gothenburg and Bologna joined through the Mobility Forum.",
            ),
            Outcome(ActivityKind.EXPERTISE, "Peer review of the night-time economy strategy", 8),
        ],
    ),
    Plan(
        "Council of European Municipalities and Regions",
        "CEMR",
        Scope.EUROPEAN,
        "Local self-government, EU legislation, town twinning",
        "https://www.ccre-cemr.org",
        "OIA",
        1951,
        Decimal("4500"),
        [("OIA", Decimal("4500"))],
        tier="Through the German Section (RGRE)",
        review_in_days=150,
        verdict=Verdict.KEEP,
        verdict_note="The twinning network and early notice of EU legislation affecting cities.",
        trip_marker="CEMR",
        roles=[Role("Sabine Roth", "Policy Committee", "Member", (6, 1), ends=(2, 12))],
        outcomes=[Outcome(ActivityKind.FUNDING_LEAD, "Citizens, Equality, Rights and Values call for twinning", 3)],
    ),
    Plan(
        "Mayors for Peace",
        "Mayors for Peace",
        Scope.GLOBAL,
        "Peace, nuclear disarmament",
        "https://www.mayorsforpeace.org",
        "MO",
        1985,
        Decimal("300"),
        [("MO", Decimal("300"))],
        review_in_days=320,
        fee_due_in_days=210,
    ),
    Plan(
        "ICLEI – Local Governments for Sustainability",
        "ICLEI",
        Scope.GLOBAL,
        "Climate, energy, sustainable procurement",
        "https://iclei.org",
        "ENV",
        1990,
        Decimal("6200"),
        [("ENV", Decimal("6200"))],
        review_in_days=-10,
        verdict=Verdict.REDUCE,
        verdict_note="Valuable on procurement; overlaps with the Covenant of Mayors on climate reporting.",
        fee_due_in_days=90,
        outcomes=[Outcome(ActivityKind.EXPERTISE, "Guidance on green public procurement for the canteens", 10)],
    ),
    Plan(
        "Covenant of Mayors for Climate & Energy",
        "Covenant of Mayors",
        Scope.EUROPEAN,
        "Climate mitigation and adaptation plans",
        "https://eu-mayors.ec.europa.eu",
        "ENV",
        2008,
        Decimal("0"),
        [],
        tier="Signatory (no fee)",
        review_in_days=400,
    ),
    Plan(
        "European Forum for Urban Security",
        "Efus",
        Scope.THEMATIC,
        "Urban security, crime prevention",
        "https://efus.eu",
        "POL",
        1996,
        Decimal("3800"),
        [("POL", Decimal("3800"))],
        review_in_days=240,
        fee_due_in_days=160,
        outcomes=[Outcome(ActivityKind.EXPERTISE, "Exchange on safety at major events", 6)],
    ),
]


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    month_index = today.year * 12 + today.month - 1 - months
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


class _Loader:
    def __init__(self, today: datetime.date):
        self.today = today
        self.departments = {d.short_name: d for d in Department.objects.all() if d.short_name}
        self.people = {p.name: p for p in Person.objects.filter(name__in=OFFICIALS)}
        self.trips = list(
            Delegation.objects.filter(direction=Direction.OUTBOUND, purpose=Purpose.NETWORK_MEETING).order_by(
                "start_on", "pk"
            )
        )

    def person(self, name: str) -> Person:
        if name not in self.people:
            title, department = OFFICIALS[name]
            self.people[name] = Person.objects.create(name=name, title=title, department=self.departments[department])
        return self.people[name]

    def load(self, plan: Plan) -> None:
        network, _created = Network.objects.get_or_create(
            name=plan.name,
            defaults={"acronym": plan.acronym, "scope": plan.scope, "themes": plan.themes, "website": plan.website},
        )
        if not Membership.objects.filter(network=network).exists():
            self.membership(network, plan)
        for role in plan.roles:
            self.role(network, role)
        for outcome in plan.outcomes:
            NetworkActivity.objects.get_or_create(
                network=network,
                title=outcome.title,
                defaults={
                    "kind": outcome.kind,
                    "date": _months_ago(self.today, outcome.months_ago),
                    "note": outcome.note,
                },
            )
        if plan.trip_marker:
            for trip in self.trips:
                if plan.trip_marker in trip.title:
                    NetworkActivity.objects.get_or_create(
                        network=network,
                        delegation=trip,
                        kind=ActivityKind.MEETING,
                        defaults={"date": trip.start_on, "title": trip.title},
                    )

    def membership(self, network: Network, plan: Plan) -> None:
        membership = Membership(
            network=network,
            since=datetime.date(plan.since, 1, 1),
            status=MembershipStatus.ACTIVE,
            lead_department=self.departments[plan.lead],
            tier=plan.tier,
            yearly_fee=plan.fee,
            fee_due_on=self.today + datetime.timedelta(days=plan.fee_due_in_days) if plan.fee else None,
            review_on=self.today + datetime.timedelta(days=plan.review_in_days),
            verdict=plan.verdict,
            verdict_note=plan.verdict_note,
        )
        shares = [(self.departments[short_name], amount) for short_name, amount in plan.shares]
        services.membership_save(membership=membership, shares=shares, version=None)

    def role(self, network: Network, role: Role) -> None:
        years_ago, month = role.starts
        starts_on = datetime.date(self.today.year - years_ago, month, 1)
        ends_on = None
        if role.ends:
            years_ago, month = role.ends
            ends_on = datetime.date(self.today.year - years_ago, month, 28)
        NetworkRole.objects.get_or_create(
            network=network,
            person=self.person(role.person),
            body=role.body,
            title=role.title,
            defaults={"starts_on": starts_on, "ends_on": ends_on},
        )


@transaction.atomic
def load_demo_networks() -> int:
    """Load the demo networks; return how many networks were created."""
    before = Network.objects.count()
    loader = _Loader(timezone.localdate())
    for plan in NETWORKS:
        loader.load(plan)
    return Network.objects.count() - before
