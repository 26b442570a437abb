"""Jubilee plans: the office's plan for a partnership's jubilee (a 25th, a
50th …), with the estimate committed to a line of that year's budget, the
"jubilee budget" offices set aside. The council report uses the planned
estimate; ``OIA_JUBILEE_BUDGET`` stays the flat estimate of a jubilee that is
not planned yet. Written by ``budget.services.jubilees`` only."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from oia.bounds import year_validators
from partners.anniversaries import is_jubilee
from partners.models import Partnership

from ..choices import CommitmentStatus, JubileePlanStatus
from .budgets import MONEY, NOT_NEGATIVE, ZERO, BudgetLine, Commitment


class JubileePlanQuerySet(models.QuerySet):
    def not_cancelled(self):
        """The plans that stand: planned or held."""
        return self.exclude(status=JubileePlanStatus.CANCELLED)

    def for_list(self):
        """With what a page or the API shows of each plan, ``committed`` (its
        open commitments) computed in SQL: one query for any number of plans."""
        open_amounts = (
            Commitment.objects.filter(jubilee_plan=OuterRef("pk"), status=CommitmentStatus.OPEN)
            .order_by()
            .values("jubilee_plan")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money = DecimalField(**MONEY)
        return (
            self.select_related("partnership__partner_city", "line__budget", "created_by")
            .annotate(committed=Coalesce(Subquery(open_amounts, output_field=money), Value(ZERO), output_field=money))
            .order_by("year", "partnership__partner_city__name", "pk")
        )


class JubileePlan(models.Model):
    """A planned jubilee: events in the jubilee year, their estimate and the
    budget line that carries it. At most one plan stands per jubilee; a
    cancelled one makes room for a new one."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="jubilee_plans", verbose_name=_("partnership")
    )
    year = models.PositiveIntegerField(_("jubilee year"), validators=year_validators())
    years = models.PositiveSmallIntegerField(
        _("anniversary"), editable=False, help_text=_("How many years of partnership, e.g. 50.")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    estimate = models.DecimalField(_("estimate"), **MONEY, validators=NOT_NEGATIVE)
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="jubilee_plans", verbose_name=_("budget line")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=JubileePlanStatus.choices, default=JubileePlanStatus.PLANNED
    )
    override_reason = models.TextField(_("reason for overdrawing the line"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = JubileePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("jubilee plan")
        verbose_name_plural = _("jubilee plans")
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimate__gte=0),
                name="jubilee_plan_estimate_not_negative",
                violation_error_message=_("The estimate cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="jubilee_plan_ends_after_start",
                violation_error_message=_("The jubilee cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["partnership", "year"],
                condition=~Q(status=JubileePlanStatus.CANCELLED),
                name="jubilee_plan_once_per_jubilee",
                violation_error_message=_("This jubilee is planned already: edit that plan or cancel it first."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """The year must be a jubilee of the partnership, the line one of that
        year's budget and the first event in that year."""
        errors = {}
        if self.partnership_id and self.year:
            self.years = self.year - self.partnership.formalised_on.year
            if not is_jubilee(self.years):
                message = _("%(year)s is no jubilee year of this partnership (formalised in %(formalised)s).")
                errors["year"] = message % {"year": self.year, "formalised": self.partnership.formalised_on.year}
        if self.line_id and self.year and self.line.budget.year != self.year:
            errors["line"] = _("Choose a line of the budget %(year)s, the jubilee year.") % {"year": self.year}
        if self.starts_on and self.year and self.starts_on.year != self.year:
            errors["starts_on"] = _("The jubilee is celebrated in %(year)s: the first event falls in that year.") % {
                "year": self.year
            }
        if errors:
            raise ValidationError(errors)
