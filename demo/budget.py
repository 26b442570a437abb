"""Demo budget: Frankfurt am Main's programme budget for the current year,
in line-item mode, adopted by the demo administrator "admin"; the amounts and
names are in ``data/budget.json``:

- €208,000 split evenly over the partner-city partnerships (active or not),
- €20,000 "Europe and networks", €47,000 "America and development
  cooperation", €5,000 "Public relations": €280,000 in all,
- and €15,000 "Club and community grants" for the clubs' trip grants
  (``demo/grants.py`` decides the demo applications on it).

Then the year's money, consistent with the demo delegations (loaded before):
a supplementary grant for the Yokohama jubilee, the OIA's share of the
Eurocities fee (if the networks demo made the membership), one expense per
actual cost the city paid, and commitments for approved trips still ahead.
Everything goes through budget.services. Idempotent: the budget is keyed by
year, expenses by (delegation, description), the fee by its membership.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from budget import services
from budget.models import (
    Budget,
    BudgetLine,
    BudgetMode,
    BudgetStatus,
    Commitment,
    CommitmentStatus,
    Expense,
    LineCategory,
    RequestStatus,
    SupplementaryRequest,
)
from delegations import services as delegation_services
from delegations.choices import CostCategory, DelegationStatus, Direction, Payer, Purpose
from delegations.models import Cost, Delegation
from networks.models import FeeShare, Membership
from partners.choices import Region, region_for_country
from partners.models import Partnership

from .delegations import demo_plans
from .files import read_json

# Trips there are paid from the "America and development cooperation" line.
AMERICAS_AND_AFRICA = {Region.NORTH_AMERICA, Region.LATIN_AMERICA, Region.SUB_SAHARAN_AFRICA}
NORTH_AFRICA = {"DZ", "EG", "EH", "LY", "MA", "TN"}


def _at_the_latest(day: datetime.date, today: datetime.date) -> datetime.date:
    return min(day, today)


class BudgetLoader:
    def __init__(self, data: dict, budget: Budget, admin, staff, today: datetime.date):
        self.data = data
        self.budget = budget
        self.admin = admin
        self.staff = staff
        self.today = today
        lines = list(budget.lines.select_related("partnership__partner_city"))
        self.by_name = {line.name: line for line in lines}
        self.by_partnership = {line.partnership_id: line for line in lines if line.partnership_id}

    def line_for(self, delegation: Delegation) -> BudgetLine | None:
        """The partnership's line; else Europe for network meetings; else
        America and development for the Americas and Africa. Other trips (trade
        fairs, study tours) are paid from the departments' own budgets."""
        if delegation.partnership_id in self.by_partnership:
            return self.by_partnership[delegation.partnership_id]
        if delegation.purpose == Purpose.NETWORK_MEETING or delegation.network_id:
            return self.by_name.get(self.data["europe_line"])
        country = delegation.country.code if delegation.country else ""
        if region_for_country(country) in AMERICAS_AND_AFRICA or country in NORTH_AFRICA:
            return self.by_name.get(self.data["america_line"])
        return None

    def jubilee(self) -> None:
        """Yokohama's jubilee: the council grants part of a supplementary request."""
        if SupplementaryRequest.objects.filter(line__budget=self.budget).exists():
            return
        jubilee = self.data["jubilee"]
        partner_lines = sorted(self.by_partnership.values(), key=lambda line: line.name)
        line = next(
            (line for line in partner_lines if line.partnership.partner_city.name == jubilee["city"]),
            partner_lines[0] if partner_lines else self.by_name.get(self.data["partner_cities_fallback"]),
        )
        if line is None:
            return
        if line.partnership_id:
            city = line.partnership.partner_city.name
            years = self.budget.year - line.partnership.formalised_on.year
            justification = (
                f"Jubilee year: {years} years of partnership with {city}. The anniversary ceremony in {city}, "
                "the Lord Mayor's delegation and the return visit cost more than the line's share."
            )
        else:
            justification = "Jubilee year of a partnership: the anniversary programme costs more than planned."
        request = SupplementaryRequest(
            line=line,
            amount_requested=Decimal(jubilee["requested"]),
            justification=justification,
            status=RequestStatus.SUBMITTED,
            created_by=self.staff,
        )
        request.full_clean()
        request.save()
        services.supplementary_request_decide(
            request=request,
            status=RequestStatus.GRANTED,
            granted_amount=Decimal(jubilee["granted"]),
            council_reference=f"Council decision {self.budget.year}/0412",
            decided_on=_at_the_latest(datetime.date(self.budget.year, 3, 26), self.today),
            by=self.admin,
        )

    def eurocities_fee(self) -> None:
        """The OIA's share of the Eurocities fee, booked on the Europe line."""
        membership = (
            Membership.objects.filter(Q(network__name__iexact="Eurocities") | Q(network__acronym__iexact="Eurocities"))
            .order_by("-since", "pk")
            .first()
        )
        line = self.by_name.get(self.data["europe_line"])
        if membership is None or line is None:
            return
        if Expense.objects.filter(line__budget=self.budget, membership=membership).exists():
            return
        share = FeeShare.objects.filter(membership=membership, department__short_name="OIA").first()
        due = membership.fee_due_on
        date = datetime.date(self.budget.year, due.month, min(due.day, 28)) if due else None
        services.expense_book(
            line=line,
            date=_at_the_latest(date or datetime.date(self.budget.year, 3, 31), self.today),
            amount=share.amount if share else Decimal(self.data["eurocities_fee_share"]),
            payee="Eurocities asbl",
            description=f"Eurocities membership fee {self.budget.year}: share of the Office for International Affairs",
            membership=membership,
            by=self.admin,
            override_reason=self.data["override_reason"],
        )

    def expenses(self, delegations) -> int:
        """One expense per actual cost the city paid, on the delegation's line."""
        costs = (
            Cost.objects.filter(delegation__in=delegations, actual__isnull=False, payer=Payer.CITY)
            .select_related("delegation__city")
            .order_by("delegation__end_on", "delegation__pk", "pk")
        )
        booked = set(
            Expense.objects.filter(line__budget=self.budget, delegation__in=delegations).values_list(
                "delegation_id", "description"
            )
        )
        created = 0
        for cost in costs:
            delegation = cost.delegation
            description = f"{delegation.title} – {cost.description or cost.category}"[:300]
            line = self.line_for(delegation)
            if line is None or (delegation.pk, description) in booked:
                continue
            services.expense_book(
                line=line,
                date=_at_the_latest(delegation.end_on + datetime.timedelta(days=14), self.today),
                payee=self.payee(delegation, cost),
                description=description,
                delegation=delegation,
                by=self.admin,
                override_reason=self.data["override_reason"],
                **self.amount(delegation, cost),
            )
            booked.add((delegation.pk, description))
            created += 1
        return created

    def payee(self, delegation: Delegation, cost: Cost) -> str:
        city = delegation.city.name if delegation.city_id else ""
        if cost.category == CostCategory.ACCOMMODATION and city:
            return f"Hotel in {city}"
        if cost.category == CostCategory.EVENTS and delegation.direction == Direction.OUTBOUND and city:
            return f"Event services in {city}"
        return self.data["payees"].get(cost.category, "Various")

    def amount(self, delegation: Delegation, cost: Cost) -> dict:
        """A hotel abroad outside the euro area is booked in its currency when
        the conversion gives exactly the actual cost; everything else in euros."""
        country = delegation.country.code if delegation.country else ""
        local = self.data["local_currency"].get(country)
        if delegation.direction == Direction.OUTBOUND and cost.category == CostCategory.ACCOMMODATION and local:
            rate = Decimal(local["euros"])
            original = services.money(cost.actual / rate)
            if services.convert(original, rate) == cost.actual:
                return {"original_amount": original, "original_currency": local["currency"], "exchange_rate": rate}
        return {"amount": cost.actual}

    def commitments(self, delegations) -> int:
        """Approved trips still ahead: charge them to their line and commit the estimate."""
        trips = delegations.filter(
            direction=Direction.OUTBOUND, status=DelegationStatus.APPROVED, end_on__gte=self.today
        ).order_by("start_on", "pk")
        created = 0
        for trip in trips:
            line = self.line_for(trip)
            if line is None:
                continue
            if trip.budget_line_id is None:
                trip = delegation_services.delegation_update(
                    delegation=trip, version=trip.version, by=self.admin, budget_line=line
                )
            if trip.approved_estimate is None:
                continue
            if Commitment.objects.filter(delegation=trip, status=CommitmentStatus.OPEN).exists():
                continue
            if services.delegation_commit(
                delegation=trip,
                amount=trip.approved_estimate,
                by=self.admin,
                override_reason=self.data["override_reason"],
            ):
                created += 1
        return created


def year_budget(data: dict, year: int, admin) -> Budget:
    """The year's budget with its lines, adopted; created if missing."""
    budget = Budget.objects.filter(year=year).first()
    if budget is None:
        budget = Budget(year=year, mode=BudgetMode.LINE_ITEM, currency="EUR")
        budget.full_clean()
        budget.save()
    if budget.status != BudgetStatus.DRAFT:
        return budget
    if not budget.lines.exists():
        total = Decimal(data["partner_cities_total"])
        partnerships = Partnership.objects.select_related("partner_city").order_by("partner_city__name", "pk")
        if partnerships.exists():
            services.lines_split_evenly(
                budget=budget, total=total, category=LineCategory.PARTNER_CITIES, partnerships=partnerships
            )
        else:  # one line when there is no partnership to split over
            services.line_save(
                line=BudgetLine(
                    budget=budget,
                    name=data["partner_cities_fallback"],
                    category=LineCategory.PARTNER_CITIES,
                    planned=total,
                )
            )
        for row in data["lines"]:
            services.line_save(
                line=BudgetLine(
                    budget=budget, name=row["name"], category=row["category"], planned=Decimal(row["planned"])
                )
            )
    return services.budget_adopt(budget=budget, by=admin, adopted_on=datetime.date(year - 1, 12, 11))


@transaction.atomic
def load_demo_budget() -> int:
    """Load the year's budget and money; return how many expenses were booked."""
    users = get_user_model().objects.in_bulk(["staff", "admin"], field_name="username")
    admin, staff = users.get("admin"), users.get("staff")
    if admin is None:
        return 0
    data = read_json("budget.json")
    today = timezone.localdate()
    budget = year_budget(data, today.year, admin)
    if budget.status != BudgetStatus.ADOPTED:
        return 0
    loader = BudgetLoader(data, budget, admin, staff, today)
    delegations = Delegation.objects.in_years(today.year).filter(title__in=[plan.title for plan in demo_plans()])
    loader.jubilee()
    loader.eurocities_fee()
    created = loader.expenses(delegations)
    loader.commitments(delegations)
    return created
