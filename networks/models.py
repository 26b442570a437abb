"""International city networks: the city's memberships, the fee each
department pays, the roles our officials hold and what each membership
yields ("simply being a member is not enough")."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Department, Person

from .choices import ActivityKind, MembershipStatus, Scope, Verdict

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Network(models.Model):
    """Eurocities, CEMR, UCLG, ICLEI, Mayors for Peace …"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    themes = models.CharField(_("themes"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name


class Membership(models.Model):
    """The city's membership in a network. The yearly fee is split among
    departments (FeeShare); the shares must add up to the fee."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("network")
    )
    since = models.DateField(_("member since"))
    until = models.DateField(_("member until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead department")
    )
    tier = models.CharField(_("membership tier"), max_length=100, blank=True)
    yearly_fee = models.DecimalField(
        _("yearly fee"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    fee_due_on = models.DateField(_("fee due on"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    verdict = models.CharField(_("verdict of the last review"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("what the membership yields"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network__name", "-since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="membership_until_after_since",
                violation_error_message=_("The end of the membership cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(yearly_fee__gte=0),
                name="membership_fee_not_negative",
                violation_error_message=_("The fee cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.network} ({self.since.year})"


class MembershipReview(models.Model):
    """One review of a membership: the verdict, why, when and by whom, and
    when to look again. Every review is kept; the membership's ``verdict``,
    ``verdict_note`` and ``review_on`` repeat the latest one (by date), so
    lists, the dashboard and the report read them without a join.
    ``networks.services.membership_review`` is the only writer."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("membership")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reasoning = models.TextField(
        _("reasoning"), help_text=_("What the membership yields: expertise, project partners, funding leads.")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    next_review_on = models.DateField(
        _("next review"), null=True, blank=True, help_text=_("Empty only when the verdict is to leave.")
    )
    # The account may be deleted; the name it had stays on the record.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reviewer"),
    )
    reviewer_name = models.CharField(_("reviewer's name"), max_length=300, blank=True, editable=False)
    # Taken over from the membership when reviews began to be kept (migration
    # networks 0002): the date is estimated as a year before the next review.
    carried_over = models.BooleanField(_("taken over from before reviews were kept"), default=False, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership review")
        verbose_name_plural = _("membership reviews")
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("reviewed_on")),
                name="membership_review_next_after_review",
                violation_error_message=_("The next review must be after this one."),
            ),
        ]

    def __str__(self):
        return f"{self.membership}: {self.get_verdict_display()} ({self.reviewed_on})"

    def clean(self):
        """A review is recorded once it has taken place: not dated after today."""
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})


class FeeShare(models.Model):
    """The part of a membership fee one department pays (Frankfurt's
    Eurocities fee is pooled by four departments)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="fee_shares", verbose_name=_("membership")
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE)

    class Meta:
        verbose_name = _("fee share")
        verbose_name_plural = _("fee shares")
        ordering = ["-amount", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "department"],
                name="fee_share_once_per_department",
                violation_error_message=_("Each department can appear only once in the split."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fee_share_not_negative",
                violation_error_message=_("A share cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.department}: {self.amount}"


class NetworkRole(models.Model):
    """A role one of our officials holds in a network body."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles", verbose_name=_("network"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="network_roles", verbose_name=_("person"))
    body = models.CharField(_("body"), max_length=200, help_text=_("E.g. Executive Committee, Mobility Forum."))
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. Treasurer, Vice Chair."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="network_role_ends_after_start",
                violation_error_message=_("The role cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.body}"


class NetworkActivity(models.Model):
    """A meeting attended (ideally linked to the outbound delegation) or an
    outcome the membership produced."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="activities", verbose_name=_("network"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    delegation = models.ForeignKey(
        Delegation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("delegation")
    )

    class Meta:
        verbose_name = _("network activity")
        verbose_name_plural = _("network activities")
        ordering = ["-date", "-pk"]
        # The API's cursor pages walk by date and id (oia.api.keyset).
        indexes = [models.Index(fields=["date", "id"], name="network_activity_date_id")]

    def __str__(self):
        return self.title
