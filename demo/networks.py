"""Demo networks: Frankfurt am Main's memberships, the fee split, the roles
its officials hold, and the meetings attended (linked to the demo trips to
network meetings, when the delegations demo has loaded them) with what they
yielded; rows in ``data/networks.json``.

Memberships go through the service, so the split adds up, and each gets
its last review through the review service. Review and fee dates follow
today's date (a review and a fee are due soon). Idempotent:
networks are keyed by name, roles by holder, body and title, outcomes by
title and meetings by their trip."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from delegations.choices import Direction, Purpose
from delegations.models import Delegation, Department, Person
from networks import services
from networks.choices import ActivityKind, MembershipStatus
from networks.models import Membership, Network, NetworkActivity, NetworkRole

from .files import read_json


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    """The first day of the month that many months before today's."""
    month_index = today.year * 12 + today.month - 1 - months
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


class _Loader:
    def __init__(self, officials: dict, today: datetime.date):
        self.officials = officials
        self.today = today
        self.departments = {d.short_name: d for d in Department.objects.all() if d.short_name}
        self.people = {p.name: p for p in Person.objects.filter(name__in=officials)}
        self.trips = list(
            Delegation.objects.filter(direction=Direction.OUTBOUND, purpose=Purpose.NETWORK_MEETING).order_by(
                "start_on", "pk"
            )
        )

    def person(self, name: str) -> Person:
        """The official of that name; the delegations demo creates the same people, reused when present."""
        if name not in self.people:
            official = self.officials[name]
            self.people[name] = Person.objects.create(
                name=name, title=official["title"], department=self.departments[official["department"]]
            )
        return self.people[name]

    def load(self, plan: dict) -> None:
        network, _created = Network.objects.get_or_create(
            name=plan["name"],
            defaults={
                "acronym": plan["acronym"],
                "scope": plan["scope"],
                "themes": plan["themes"],
                "website": plan["website"],
            },
        )
        if not Membership.objects.filter(network=network).exists():
            self.membership(network, plan)
        for role in plan["roles"]:
            self.role(network, role)
        for outcome in plan["outcomes"]:
            NetworkActivity.objects.get_or_create(
                network=network,
                title=outcome["title"],
                defaults={
                    "kind": outcome["kind"],
                    "date": _months_ago(self.today, outcome["months_ago"]),
                    "note": outcome["note"],
                },
            )
        if plan["trip_marker"]:  # trips whose title contains it are the meetings attended
            for trip in self.trips:
                if plan["trip_marker"] in trip.title:
                    NetworkActivity.objects.get_or_create(
                        network=network,
                        delegation=trip,
                        kind=ActivityKind.MEETING,
                        defaults={"date": trip.start_on, "title": trip.title},
                    )

    def membership(self, network: Network, plan: dict) -> None:
        fee = Decimal(plan["fee"])
        membership = Membership(
            network=network,
            since=datetime.date(plan["since"], 1, 1),
            status=MembershipStatus.ACTIVE,
            lead_department=self.departments[plan["lead"]],
            tier=plan["tier"],
            yearly_fee=fee,
            fee_due_on=self.today + datetime.timedelta(days=plan["fee_due_in_days"]) if fee else None,
        )
        next_review_on = self.today + datetime.timedelta(days=plan["review_in_days"])
        if not plan["verdict"]:
            membership.review_on = next_review_on  # not reviewed yet: the first review
        shares = [(self.departments[short_name], Decimal(amount)) for short_name, amount in plan["shares"].items()]
        membership = services.membership_save(membership=membership, shares=shares, version=None)
        if not plan["verdict"]:
            return
        # The last review took place a year before the next one (not after today).
        services.membership_review(
            membership=membership,
            verdict=plan["verdict"],
            note=plan["verdict_note"],
            reviewed_on=min(self.today, next_review_on - datetime.timedelta(days=365)),
            next_review_on=next_review_on,
        )

    def role(self, network: Network, role: dict) -> None:
        """Roles start on the first of a month some years back; ended ones end on the 28th."""
        starts_on = datetime.date(self.today.year - role["starts_years_ago"], role["starts_month"], 1)
        ends_on = None
        if role["ends_years_ago"] is not None:
            ends_on = datetime.date(self.today.year - role["ends_years_ago"], role["ends_month"], 28)
        NetworkRole.objects.get_or_create(
            network=network,
            person=self.person(role["person"]),
            body=role["body"],
            title=role["title"],
            defaults={"starts_on": starts_on, "ends_on": ends_on},
        )


@transaction.atomic
def load_demo_networks() -> int:
    """Load the demo networks; return how many networks were created."""
    data = read_json("networks.json")
    before = Network.objects.count()
    loader = _Loader(data["officials"], timezone.localdate())
    for plan in data["networks"]:
        loader.load(plan)
    return Network.objects.count() - before
