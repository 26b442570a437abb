"""Trip grants to partner-city clubs and community groups: the office's rules
(rates per traveller, the student rate at 75 %, caps) and the applications
with their decision, commitment, payment and report after the trip."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Club, Exchange, Partnership

from ..choices import GrantStatus
from .budgets import MONEY, NOT_NEGATIVE, ZERO, BudgetLine

# Statuses in which a grant counts against the club's yearly cap.
GRANTED_STATUSES = (GrantStatus.APPROVED, GrantStatus.PAID, GrantStatus.REPORTED)


class GrantRules(models.Model):
    """The office's rules for trip grants, edited in the UI. One row: use
    ``GrantRules.current()``. Frankfurt's rule: the higher student rate applies
    when at least three quarters of the travellers are students."""

    base_rate = models.DecimalField(_("rate per traveller"), **MONEY, default=Decimal("50.00"), validators=NOT_NEGATIVE)
    student_rate = models.DecimalField(
        _("rate per traveller when at least 75 % are students"),
        **MONEY,
        default=Decimal("80.00"),
        validators=NOT_NEGATIVE,
    )
    max_per_application = models.DecimalField(
        _("maximum per application"), **MONEY, default=Decimal("2500.00"), validators=NOT_NEGATIVE
    )
    yearly_cap_per_club = models.DecimalField(
        _("yearly cap per club"), **MONEY, default=Decimal("5000.00"), validators=NOT_NEGATIVE
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grant rules")
        verbose_name_plural = _("grant rules")

    def __str__(self):
        return str(_("Grant rules"))

    @classmethod
    def current(cls) -> "GrantRules":
        rules = cls.objects.order_by("pk").first()
        return rules if rules is not None else cls.objects.create()


class GrantApplicationQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("club", "partnership__partner_city", "budget_line__budget", "four_eyes_override_by")

    def led_by(self, user):
        return self.filter(club__leaders=user)


class GrantApplication(models.Model):
    """A club's (or community group's) application for a group trip grant,
    the office's decision, the payment and the report after the trip."""

    club = models.ForeignKey(
        Club, on_delete=models.PROTECT, related_name="grant_applications", verbose_name=_("club or group")
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grant_applications", verbose_name=_("partnership")
    )
    starts_on = models.DateField(_("trip starts on"))
    ends_on = models.DateField(_("trip ends on"))
    destination = models.CharField(_("destination"), max_length=200)
    programme_summary = models.TextField(_("programme summary"))
    travellers = models.PositiveIntegerField(_("number of travellers"))
    students = models.PositiveIntegerField(_("of whom students"), default=0)
    total_costs = models.DecimalField(_("total costs"), **MONEY, validators=NOT_NEGATIVE)
    own_contribution = models.DecimalField(_("own contribution"), **MONEY, default=ZERO, validators=NOT_NEGATIVE)
    requested_amount = models.DecimalField(_("requested amount"), **MONEY, validators=NOT_NEGATIVE)
    partner_contact = models.CharField(_("contact in the partner city"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.DRAFT)
    approved_amount = models.DecimalField(_("approved amount"), **MONEY, null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("budget line"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Four eyes (OIA_GRANT_FOUR_EYES): who approved does not book the payment,
    # unless an administrator overrides with a reason, recorded here.
    four_eyes_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("paid despite the four-eyes rule by"),
    )
    four_eyes_override_reason = models.TextField(_("reason for paying despite the four-eyes rule"), blank=True)
    actual_travellers = models.PositiveIntegerField(_("actual number of travellers"), null=True, blank=True)
    report = models.TextField(_("report after the trip"), blank=True)
    exchange = models.OneToOneField(
        Exchange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_application",
        verbose_name=_("exchange"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GrantApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="grant_trip_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(students__lte=models.F("travellers")),
                name="grant_students_within_travellers",
                violation_error_message=_("There cannot be more students than travellers."),
            ),
        ]

    def __str__(self):
        return f"{self.club}: {self.destination} ({self.starts_on})"

    @property
    def editable_by_leader(self) -> bool:
        return self.status == GrantStatus.DRAFT

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if self.travellers is not None and self.travellers < 1:
            errors["travellers"] = _("A group trip has at least one traveller.")
        if self.travellers is not None and self.students is not None and self.students > self.travellers:
            errors["students"] = _("There cannot be more students (%(students)s) than travellers (%(travellers)s).") % {
                "students": self.students,
                "travellers": self.travellers,
            }
        if self.total_costs is not None and self.own_contribution is not None:
            if self.own_contribution > self.total_costs:
                errors["own_contribution"] = _("The own contribution cannot be more than the total costs.")
            elif self.requested_amount is not None and self.requested_amount > self.total_costs - self.own_contribution:
                errors["requested_amount"] = _(
                    "Request at most the costs not covered by your own contribution (%(gap)s)."
                ) % {"gap": self.total_costs - self.own_contribution}
        if self.club_id and self.partnership_id and not self.club.partnerships.filter(pk=self.partnership_id).exists():
            errors["partnership"] = _("Choose one of the club's partnerships.")
        if errors:
            raise ValidationError(errors)
