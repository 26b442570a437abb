"""The office's programme budget: a budget per fiscal year with its lines,
the changes after adoption (amendments, transfers, supplementary grants),
commitments and expenses.

Available on a line = planned + changes − open commitments − spent.
All amounts are Decimals with two places in the office currency.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation
from networks.models import Membership
from oia.bounds import year_validators
from partners.models import Partnership

from ..choices import BudgetMode, BudgetStatus, ChangeKind, CommitmentStatus, LineCategory, RequestStatus

ZERO = Decimal("0.00")
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
MONEY = {"max_digits": 14, "decimal_places": 2}
CURRENCY_CODE = RegexValidator(r"^[A-Za-z]{3}$", _("Give the three-letter currency code, e.g. EUR."))
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Round to cents, half up, as bookkeeping does."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fiscal_year_start(year: int) -> datetime.date:
    """First day of fiscal ``year``: 1 January unless OIA_FISCAL_YEAR_START_MONTH shifts it."""
    return datetime.date(year, settings.OIA_FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_end(year: int) -> datetime.date:
    return fiscal_year_start(year + 1) - datetime.timedelta(days=1)


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a day belongs to (the year in which that fiscal year starts)."""
    return day.year if day.month >= settings.OIA_FISCAL_YEAR_START_MONTH else day.year - 1


class Budget(models.Model):
    """The programme budget of one fiscal year."""

    year = models.PositiveIntegerField(_("fiscal year"), unique=True, validators=year_validators())
    mode = models.CharField(_("mode"), max_length=20, choices=BudgetMode.choices, default=BudgetMode.LINE_ITEM)
    status = models.CharField(_("status"), max_length=20, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    @property
    def starts_on(self) -> datetime.date:
        return fiscal_year_start(self.year)

    @property
    def ends_on(self) -> datetime.date:
        return fiscal_year_end(self.year)


def _sum_of(queryset, field: str):
    """A correlated subquery summing ``field`` per line (no join fan-out)."""
    totals = queryset.filter(line=OuterRef("pk")).order_by().values("line").annotate(total=Sum(field))
    return Coalesce(Subquery(totals.values("total"), output_field=DecimalField(**MONEY)), Value(ZERO))


class BudgetLineQuerySet(models.QuerySet):
    def with_amounts(self):
        """Annotate changes, committed, spent and available, in SQL."""
        return (
            self.annotate(
                changes=_sum_of(BudgetChange.objects.all(), "amount"),
                committed=_sum_of(Commitment.objects.filter(status=CommitmentStatus.OPEN), "amount"),
                spent=_sum_of(Expense.objects.all(), "amount"),
            )
            .annotate(current=models.F("planned") + models.F("changes"))
            .annotate(available=models.F("current") - models.F("committed") - models.F("spent"))
        )

    def with_trip_amounts(self):
        """Annotate what a line holds for trips and visits: ``trips`` (those
        taking place charged to it), ``trip_committed`` (their open
        commitments on it) and ``trip_spent`` (expenses booked on it for a
        delegation), in SQL. Part of ``committed`` and ``spent``."""
        trips = (
            Delegation.objects.taking_place()
            .filter(budget_line=OuterRef("pk"))
            .order_by()
            .values("budget_line")
            .annotate(n=models.Count("pk"))
        )
        return self.annotate(
            trips=Coalesce(Subquery(trips.values("n"), output_field=models.IntegerField()), Value(0)),
            trip_committed=_sum_of(
                Commitment.objects.filter(status=CommitmentStatus.OPEN, delegation__isnull=False), "amount"
            ),
            trip_spent=_sum_of(Expense.objects.filter(delegation__isnull=False), "amount"),
        )

    def open_to_trips(self):
        """Lines a trip may be charged to: those of a budget not yet closed. A
        draft budget's lines are offered too, since next year's trips are planned
        before the council adopts its budget (approval waits for the adoption)."""
        return self.exclude(budget__status=BudgetStatus.CLOSED)


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget"))
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=LineCategory.choices)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("partnership"),
    )
    planned = models.DecimalField(_("planned"), **MONEY, default=ZERO, validators=NOT_NEGATIVE)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "name"],
                name="budget_line_name_once",
                violation_error_message=_("This budget already has a line with this name."),
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0),
                name="budget_line_planned_not_negative",
                violation_error_message=_("The planned amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.budget.year})" if self.budget_id else self.name

    # Which trips fit a line, written once, in Python for one trip (a form, the
    # API, a booking) and in SQL for a list of them (the expense form's choices):
    # a trip is charged to the budget of the fiscal year its start date falls in,
    # and a line reserved for a partner city pays only that partnership's trips.

    def trip_refusal(self, delegation) -> str | None:
        """Why ``delegation`` cannot be charged to this line, or None if it fits."""
        budget = self.budget
        if delegation.start_on and fiscal_year_of(delegation.start_on) != budget.year:
            return _(
                "This line belongs to the budget of %(year)s, but the trip starts in the fiscal year "
                "%(trip_year)s: choose a line of that year's budget."
            ) % {"year": budget.year, "trip_year": fiscal_year_of(delegation.start_on)}
        if self.partnership_id and self.partnership_id != delegation.partnership_id:
            return _(
                "This line is reserved for the partnership with %(city)s: only that partnership's trips "
                "can be charged to it."
            ) % {"city": self.partnership.partner_city.name}
        return None

    def fitting_trips(self):
        """The delegations that fit this line (see ``trip_refusal``), as a queryset."""
        budget = self.budget
        trips = Delegation.objects.filter(start_on__gte=budget.starts_on, start_on__lte=budget.ends_on)
        return trips.filter(partnership_id=self.partnership_id) if self.partnership_id else trips


class BudgetChange(models.Model):
    """A change of a line after adoption: an amendment by the council
    (line-item mode), one side of a transfer (discretionary mode), or a
    granted supplementary request."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="budget_changes", verbose_name=_("budget line")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY, help_text=_("Negative to reduce the line."))
    counterpart = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other line of the transfer"),
    )
    council_reference = models.CharField(_("council decision"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget change")
        verbose_name_plural = _("budget changes")
        ordering = ["-decided_on", "-pk"]
        # The API's cursor pages walk by date and id (oia.api.keyset).
        indexes = [models.Index(fields=["decided_on", "id"], name="budget_change_decided_id")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount}"


class SupplementaryRequest(models.Model):
    """A request to the council for extra money (e.g. for a jubilee year)."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="supplementary_requests", verbose_name=_("budget line")
    )
    amount_requested = models.DecimalField(_("amount requested"), **MONEY, validators=NOT_NEGATIVE)
    justification = models.TextField(_("justification"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    granted_amount = models.DecimalField(_("granted amount"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE)
    council_reference = models.CharField(_("council decision"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplementary request")
        verbose_name_plural = _("supplementary requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.line}: {self.amount_requested}"


class Commitment(models.Model):
    """Money promised but not yet paid: an approved trip's estimated cost, an
    approved grant or a planned jubilee's estimate. Released when the trip (or
    the jubilee) is cancelled, replaced when the expense is booked."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("budget line")
    )
    amount = models.DecimalField(_("amount"), **MONEY, validators=NOT_NEGATIVE)
    description = models.CharField(_("description"), max_length=300)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("delegation"),
    )
    grant = models.ForeignKey(
        "budget.GrantApplication",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("grant"),
    )
    # A plan is cancelled, never deleted: its commitments stay on the line's record.
    jubilee_plan = models.ForeignKey(
        "budget.JubileePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("jubilee plan"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    override_reason = models.TextField(
        _("reason for overdrawing the line"),
        blank=True,
        help_text=_("Given by the administrator who approved a trip beyond what a line-item line had available."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-created_at"]
        # The API's cursor pages walk by time and id (oia.api.keyset).
        indexes = [models.Index(fields=["created_at", "id"], name="commitment_created_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="commitment_not_negative",
                violation_error_message=_("A commitment cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.description


class Expense(models.Model):
    """Money spent. A foreign-currency expense keeps its original amount,
    currency and rate; ``amount`` is what is booked in the office currency."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount booked"), **MONEY, validators=NOT_NEGATIVE)
    original_amount = models.DecimalField(_("original amount"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE)
    original_currency = models.CharField(_("original currency"), max_length=3, blank=True)
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Office currency per unit of the original currency."),
    )
    payee = models.CharField(_("payee"), max_length=200)
    description = models.CharField(_("description"), max_length=300)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("delegation"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("membership fee"),
    )
    grant = models.ForeignKey(
        "budget.GrantApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("grant"),
    )
    event = models.CharField(_("event"), max_length=200, blank=True)
    override_reason = models.TextField(_("reason for overdrawing the line"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("booked by")
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["line", "date"]),
            models.Index(fields=["date"], name="expense_date"),
            # The API's cursor pages walk by date and id (oia.api.keyset).
            models.Index(fields=["date", "id"], name="expense_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="expense_not_negative",
                violation_error_message=_("An expense cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.date}: {self.payee} {self.amount}"
