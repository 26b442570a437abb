"""Delegations: inbound visits and outbound trips, with their participants,
working programme, costs, gifts, outcomes and workflow history."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partners.models import City, Partnership

from ..budget_line import line_refusal
from ..choices import (
    CostCategory,
    DelegationStatus,
    Direction,
    GiftDirection,
    OutcomeKind,
    ParticipantRole,
    Payer,
    ProgrammeItemKind,
    Purpose,
    Sector,
    TravelClass,
)
from .people import Department, Person

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
# Trips that no longer take place are ignored by coordination and counting.
INACTIVE_STATUSES = [DelegationStatus.CANCELLED, DelegationStatus.REJECTED]


def counting_year(prefix: str = ""):
    """The year a delegation counts in: the year its start date falls in, so a
    trip across New Year counts in the year it started. ``prefix`` reaches the
    delegation through a relation (``"delegation__"`` from a cost)."""
    return ExtractYear(f"{prefix}start_on")


def days_away():
    """A delegation's days, first and last included, as a PostgreSQL date range:
    the expression of the GiST index that finds the delegations of a month
    without reading the years before it (``DelegationQuerySet.overlapping``)."""
    return Func(F("start_on"), F("end_on"), Value("[]"), function="daterange", output_field=DateRangeField())


def named_participants():
    """The number of named participants of each delegation, as a correlated
    subquery (no join, so it neither multiplies rows nor needs GROUP BY)."""
    named = Participant.objects.filter(delegation=OuterRef("pk")).order_by().values("delegation")
    return Coalesce(Subquery(named.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


class DelegationQuerySet(models.QuerySet):
    def with_size(self):
        """Annotate ``named_count`` and ``total_size``. The size of a delegation
        is its named participants plus its head-count (the unnamed members, e.g.
        a group of 18 students)."""
        return self.annotate(named_count=named_participants()).annotate(total_size=F("named_count") + F("head_count"))

    def in_years(self, first: int, last: int | None = None):
        """Delegations that count in the years ``first`` to ``last`` (or in
        ``first`` alone): those whose start date falls in them (see
        ``counting_year``). A range of dates, so the start-date index serves it."""
        if last is None:
            return self.filter(start_on__year=first)
        return self.filter(start_on__year__gte=first, start_on__year__lte=last)

    def counted_in(self, first: int, last: int | None = None):
        """What the council report and the dashboard count: completed
        delegations only, each in the year its start date falls in."""
        return self.filter(status=DelegationStatus.COMPLETED).in_years(first, last)

    def for_list(self):
        # Order explicitly: the calendar and the pages need a stable order (pk keeps pages stable).
        return (
            self.with_size()
            .select_related("city", "department", "lead", "partnership__partner_city")
            .order_by("-start_on", "title", "pk")
        )

    def taking_place(self):
        return self.exclude(status__in=INACTIVE_STATUSES)

    def overlapping(self, start, end):
        """Delegations whose dates share at least one day with ``start``–``end``
        (both included). A range overlap, so the ``delegation_days`` index
        serves it: a start-date index would read every earlier year."""
        return self.alias(days=days_away()).filter(days__overlap=DateRange(start, end, "[]"))


class Delegation(models.Model):
    """One delegation, either direction. Outbound: draft → submitted →
    approved → completed (or rejected / cancelled). Inbound: requested →
    confirmed → completed (or cancelled). See services.TRANSITIONS."""

    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("city"),
        help_text=_("Where the trip goes, or where the visitors come from."),
    )
    country = CountryField(_("country"), blank=True, help_text=_("Taken from the city when one is chosen."))
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("partnership"),
    )
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("network"),
    )
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("budget line"),
        help_text=_("Approving the trip commits its estimated cost to this line."),
    )
    start_on = models.DateField(_("starts on"))
    end_on = models.DateField(_("ends on"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("organising department")
    )
    lead = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("head of delegation")
    )
    official_guest = models.BooleanField(
        _("official guests of the city"),
        default=False,
        help_text=_("Inbound: hosted by the city, which pays the costs in our city."),
    )
    travel_class = models.CharField(_("travel class"), max_length=20, choices=TravelClass.choices, blank=True)
    head_count = models.PositiveIntegerField(
        _("further members (head-count)"), default=0, help_text=_("Unnamed members, e.g. a group of 18 students.")
    )
    head_count_note = models.CharField(_("who they are"), max_length=200, blank=True)
    public_summary = models.TextField(
        _("public summary"), blank=True, help_text=_("For the press and the council report.")
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    trip_report = models.TextField(
        _("trip report"), blank=True, help_text=_("Outcomes in a few sentences; required to complete a trip.")
    )
    status = models.CharField(_("status"), max_length=20, choices=DelegationStatus.choices)
    approved_estimate = models.DecimalField(
        _("approved estimate"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="delegation_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_on", "end_on"]),
            # The council report counts by direction, status and start year over twenty years.
            models.Index(fields=["direction", "status", "start_on"], name="delegation_dir_status_start"),
            # The API's cursor pages walk by start date and id (oia.api.keyset).
            models.Index(fields=["start_on", "id"], name="delegation_start_id"),
            # The calendar's month and the iCalendar feed's window (see ``overlapping``).
            GistIndex(days_away(), name="delegation_days"),
            # Whether a partnership had a delegation lately (the dashboard's possibly dormant
            # partnerships): one index probe each, however many delegations it had.
            models.Index(
                fields=["partnership", "end_on"],
                condition=~Q(status__in=INACTIVE_STATUSES),
                name="delegation_partnership_end",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end date cannot be before the start date.")
        if self.city_id:
            self.country = self.city.country
        if not self.city_id and not self.country:
            errors["country"] = _("Give the city or at least the country.")
        if self.direction == Direction.OUTBOUND and self.official_guest:
            errors["official_guest"] = _("Only visitors to our city can be official guests of the city.")
        if self.partnership_id and self.city_id and self.partnership.partner_city_id != self.city_id:
            errors["partnership"] = _("This partnership is with another city.")
        if "partnership" not in errors and (refusal := line_refusal(self)):
            errors["budget_line"] = refusal
        if errors:
            raise ValidationError(errors)

    @property
    def is_outbound(self) -> bool:
        return self.direction == Direction.OUTBOUND

    def keeps_its_programme(self) -> bool:
        """Whether its working programme may no longer be emptied: the workflow
        approves a trip, and confirms an official visit, only with a programme,
        so from then on (until it goes back a step) the last item stays."""
        if self.is_outbound:
            return self.status in (DelegationStatus.APPROVED, DelegationStatus.COMPLETED)
        return self.official_guest and self.status in (DelegationStatus.CONFIRMED, DelegationStatus.COMPLETED)

    def estimated_total(self) -> Decimal:
        return self.costs.aggregate(total=Coalesce(Sum("estimated"), Decimal("0")))["total"]

    def actual_total(self) -> Decimal:
        return self.costs.aggregate(total=Coalesce(Sum("actual"), Decimal("0")))["total"]


class Participant(models.Model):
    """A named person in a delegation."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="participants", verbose_name=_("delegation")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.GOVERNMENT)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "person"],
                name="participant_once_per_delegation",
                violation_error_message=_("This person is already a participant of this delegation."),
            ),
        ]

    def __str__(self):
        return str(self.person)


class ProgrammeItem(models.Model):
    """One point of the working programme: without one, a trip is a junket."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="programme", verbose_name=_("delegation")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProgrammeItemKind.choices, default=ProgrammeItemKind.MEETING
    )
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    hosts = models.CharField(_("hosts"), max_length=300, blank=True)
    counterparts = models.CharField(_("counterparts"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["date", "starts_at", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        delegation = self.delegation if self.delegation_id else None
        if delegation and self.date and not delegation.start_on <= self.date <= delegation.end_on:
            errors["date"] = _("The date must lie within the delegation's dates (%(start)s – %(end)s).") % {
                "start": date_format(delegation.start_on, "DATE_FORMAT"),
                "end": date_format(delegation.end_on, "DATE_FORMAT"),
            }
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end time must be after the start time.")
        if errors:
            raise ValidationError(errors)


class Cost(models.Model):
    """An estimated and (later) actual cost, by category and payer."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="costs", verbose_name=_("delegation")
    )
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    estimated = models.DecimalField(
        _("estimated"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    actual = models.DecimalField(
        _("actual"), max_digits=12, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    payer = models.CharField(_("paid by"), max_length=20, choices=Payer.choices, default=Payer.CITY)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated__gte=0) & (Q(actual__isnull=True) | Q(actual__gte=0)),
                name="cost_not_negative",
                violation_error_message=_("Costs cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.estimated}"


def declaration_threshold() -> Decimal:
    """Gifts worth more than this must be declared (``OIA_GIFT_DECLARATION_THRESHOLD``)."""
    return settings.OIA_GIFT_DECLARATION_THRESHOLD


def above_threshold_q(prefix: str = "") -> Q:
    """Gifts whose value is above the declaration threshold; a gift without a
    recorded value is not (it cannot be judged, and the register shows it as unknown)."""
    return Q(**{f"{prefix}value__gt": declaration_threshold()})


class GiftQuerySet(models.QuerySet):
    def in_years(self, first: int, last: int | None = None):
        """Gifts of the delegations that count in these years: a gift belongs
        to the year its delegation starts in, as the council report counts."""
        if last is None:
            return self.filter(delegation__start_on__year=first)
        return self.filter(delegation__start_on__year__gte=first, delegation__start_on__year__lte=last)

    def above_threshold(self):
        return self.filter(above_threshold_q())

    def with_declaration(self):
        """Annotate ``above_threshold`` (True or False) against the current threshold."""
        return self.annotate(
            above_threshold=models.Case(
                models.When(above_threshold_q(), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def for_register(self):
        """The office-wide gift register: gifts of delegations that take place
        (a cancelled or rejected trip gave nothing), newest delegation first,
        with everything a row shows in one query."""
        return (
            self.exclude(delegation__status__in=INACTIVE_STATUSES)
            .with_declaration()
            .select_related("delegation__city", "delegation__department")
            .order_by("-delegation__start_on", "delegation__title", "delegation_id", "direction", "pk")
        )


class Gift(models.Model):
    """The gift register the office must keep: given and received. Gifts above
    ``OIA_GIFT_DECLARATION_THRESHOLD`` are flagged for declaration."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="gifts", verbose_name=_("delegation")
    )
    direction = models.CharField(_("given or received"), max_length=10, choices=GiftDirection.choices)
    description = models.CharField(_("gift"), max_length=200)
    counterpart = models.CharField(_("to / from whom"), max_length=200)
    value = models.DecimalField(
        _("value"), max_digits=10, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = GiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["direction", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="gift_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.description


class Outcome(models.Model):
    """What a delegation produced: agreements, projects, contacts, follow-ups."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("delegation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    description = models.CharField(_("description"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["done", "due_on", "pk"]

    def __str__(self):
        return self.description


class Transition(models.Model):
    """One step of the workflow: who moved the delegation from what to what, when, why."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("delegation")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=DelegationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=DelegationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"
