"""The city's international events: what the office organises or attends,
its guest list with the answers, and its costs on a budget line."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine, Commitment, Expense, JubileePlan
from delegations.models import Department, Person
from oia.bounds import YEAR_MAX, YEAR_MIN
from partners.models import Partnership

from ..choices import Answer, EventKind, EventRole, EventStatus
from .ambassadors import Ambassador
from .consular import ConsularPost

MONEY = {"max_digits": 14, "decimal_places": 2}


def token_hash(token: str) -> str:
    """What is kept of an invitation link's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class EventQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see without signing in: public events not cancelled."""
        return self.filter(is_public=True).exclude(status=EventStatus.CANCELLED)

    def for_list(self):
        """The rows of the list page and the API, with the guest counts, in one query."""
        return (
            self.select_related("department", "budget_line__budget", "jubilee_plan")
            .annotate(
                guest_count=models.Count("guests", distinct=True),
                accepted_count=models.Count("guests", filter=Q(guests__answer=Answer.ACCEPTED), distinct=True),
            )
            .order_by("-starts_at", "-pk")
        )


class Event(models.Model):
    """An event the office organises or attends: Europe Day, a theme day, a
    reception, a consulate opening, the ambassadors' meeting, a jubilee."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    role = models.CharField(
        _("the office's part"), max_length=20, choices=EventRole.choices, default=EventRole.ORGANISED
    )
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300)
    is_public = models.BooleanField(
        _("public event"),
        default=False,
        help_text=_("Public events have a page and a calendar feed anyone can see; others are by invitation only."),
    )
    summary = models.TextField(_("public description"), blank=True, help_text=_("Shown on the public page."))
    programme = models.TextField(_("programme"), blank=True, help_text=_("Shown on the public page."))
    internal_notes = models.TextField(_("internal notes"), blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising department"),
    )
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="events", verbose_name=_("partner cities involved")
    )
    consular_posts = models.ManyToManyField(
        ConsularPost, blank=True, related_name="events", verbose_name=_("consular posts involved")
    )
    jubilee_plan = models.ForeignKey(
        JubileePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("jubilee"),
        help_text=_("The planned jubilee this event celebrates."),
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("budget line"),
    )
    rsvp_by = models.DateField(
        _("answers by"), null=True, blank=True, help_text=_("Invitation links stop working after this day.")
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at", "id"], name="event_starts_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        # Beyond these years a time zone's offset is no whole minute, which no client reads.
        for name in ("starts_at", "ends_at", "rsvp_by"):
            value = getattr(self, name)
            if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
                errors[name] = _("Enter a date from %(first)s to %(last)s.") % {"first": YEAR_MIN, "last": YEAR_MAX}
        if not errors and self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def answers_closed(self, now) -> bool:
        """Whether invitation links no longer take answers: the event was
        cancelled or has started, or the day for answers (``rsvp_by``) has passed."""
        if self.status == EventStatus.CANCELLED or now >= self.starts_at:
            return True
        return self.rsvp_by is not None and timezone.localdate(now) > self.rsvp_by


class EventCost(models.Model):
    """One cost of an event. Its estimate is committed on the event's budget
    line and the booked expense replaces the commitment, by the budget's rules
    (``budget.services.bookings``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="costs", verbose_name=_("event"))
    description = models.CharField(_("description"), max_length=200)
    estimated = models.DecimalField(_("estimated"), **MONEY, null=True, blank=True)
    actual = models.DecimalField(_("actual"), **MONEY, null=True, blank=True)
    commitment = models.OneToOneField(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_cost", editable=False
    )
    expense = models.OneToOneField(
        Expense, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_cost", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("event cost")
        verbose_name_plural = _("event costs")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated__isnull=True) | Q(estimated__gte=0),
                name="event_cost_estimate_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0),
                name="event_cost_actual_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.description


class Guest(models.Model):
    """A person on an event's guest list, with their answer. ``consular_post``
    or ``ambassador`` says in which capacity they are invited (it decides the
    seating by precedence). The personal RSVP link carries a token of which
    only the hash is kept."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guests", verbose_name=_("event"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("guest"))
    consular_post = models.ForeignKey(
        ConsularPost,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("invited as head of"),
    )
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("invited as city ambassador"),
    )
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING)
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)
    companions = models.PositiveSmallIntegerField(_("accompanying persons"), default=0)
    seat = models.CharField(_("table / seat"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["event", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="guest_once_per_event",
                violation_error_message=_("This person is already on the guest list."),
            ),
            models.CheckConstraint(
                condition=~Q(answer=Answer.REPRESENTED) | ~Q(represented_by=""),
                name="guest_represented_by_whom",
                violation_error_message=_("Say who represents the guest."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.event})"

    def issue_token(self) -> str:
        """A new personal RSVP token (256 random bits); the one before stops
        working. Only its hash is kept, so the link exists only in the email."""
        token = secrets.token_urlsafe(32)
        self.token_hash, self.invited_at = token_hash(token), timezone.now()
        type(self).objects.filter(pk=self.pk).update(token_hash=self.token_hash, invited_at=self.invited_at)
        return token

    def clean(self):
        if self.answer == Answer.REPRESENTED and not (self.represented_by or "").strip():
            raise ValidationError({"represented_by": _("Say who represents the guest.")})
