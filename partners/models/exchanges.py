"""Exchanges: what a partner-city club did with the partner city (a school
trip, a choir visit, a citizens' journey), logged by its leaders and reviewed
by the office. Only accepted exchanges count in the council report."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ExchangeAction, ExchangeDirection, ExchangeKind, ReviewStatus
from .partnerships import Club, Partnership

# Leaders may change an exchange until the office has accepted it.
EDITABLE_STATUSES = (ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED)
# What Pillow may read an uploaded photo as; anything else (GIF, WebP, SVG …) is refused.
PHOTO_FORMATS = ["JPEG", "PNG"]
PHOTO_MAX_SIDE = 1600


class ExchangeQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row shows, in one query."""
        return self.select_related("club", "partnership__partner_city")

    def led_by(self, user):
        return self.filter(club__leaders=user)

    def accepted(self):
        """What counts in the council report: exchanges the office has accepted."""
        return self.filter(review_status=ReviewStatus.ACCEPTED)


class Exchange(models.Model):
    """One exchange of a club with its partner city."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("club"))
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="exchanges", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExchangeKind.choices)
    direction = models.CharField(_("direction"), max_length=20, choices=ExchangeDirection.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    participants_local = models.PositiveIntegerField(_("participants from our city"), default=0)
    participants_partner = models.PositiveIntegerField(_("participants from the partner city"), default=0)
    young_participants = models.PositiveIntegerField(
        _("of whom students or young people"), default=0, help_text=_("From both cities together.")
    )
    partner_organisations = models.TextField(_("partner organisations involved"), blank=True)
    reciprocity = models.BooleanField(
        _("a public event took place in both cities"),
        default=False,
        help_text=_("The principle of reciprocity: the exchange was visible to the public in both cities."),
    )
    review_status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    review_comment = models.TextField(_("comment of the office"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "starts_on"]),
            # The API's cursor pages walk by start date and id (oia.api.keyset).
            models.Index(fields=["starts_on", "id"], name="exchange_starts_id"),
            # Whether a partnership had an exchange lately (the dashboard's possibly dormant
            # partnerships): one index probe each; drafts do not count.
            models.Index(
                fields=["partnership", "ends_on"],
                condition=~Q(review_status=ReviewStatus.DRAFT),
                name="exchange_partnership_end",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="exchange_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(young_participants__lte=F("participants_local") + F("participants_partner")),
                name="exchange_young_within_participants",
                violation_error_message=_("There cannot be more young participants than participants."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def participants_total(self) -> int:
        return self.participants_local + self.participants_partner

    @property
    def editable_by_leader(self) -> bool:
        return self.review_status in EDITABLE_STATUSES

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if self.starts_on and self.starts_on > timezone.localdate():
            errors["starts_on"] = _("Log an exchange once it has started; plans are not exchanges yet.")
        total = (self.participants_local or 0) + (self.participants_partner or 0)
        if (self.young_participants or 0) > total:
            errors["young_participants"] = _(
                "There cannot be more students or young people (%(young)s) than participants (%(total)s)."
            ) % {"young": self.young_participants, "total": total}
        if total == 0:
            errors["participants_local"] = _("Give the number of participants from at least one city.")
        if self.club_id and self.partnership_id and not self.club.partnerships.filter(pk=self.partnership_id).exists():
            errors["partnership"] = _("Choose one of the club's partnerships.")
        if errors:
            raise ValidationError(errors)


class ExchangeEvent(models.Model):
    """Who did what to an exchange, and when: the review history."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="events", verbose_name=_("exchange"))
    action = models.CharField(_("action"), max_length=20, choices=ExchangeAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("exchange event")
        verbose_name_plural = _("exchange events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.exchange}: {self.get_action_display()}"


def exchange_photo_path(instance, filename):
    return f"exchanges/{instance.exchange_id}/{timezone.now():%Y%m%d%H%M%S%f}.jpg"


class ExchangePhoto(models.Model):
    """A photo of an exchange, stored resized as JPEG (see services.exchange_photo_add).
    Served only through a view that checks the viewer may see the exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="photos", verbose_name=_("exchange"))
    image = models.ImageField(_("photo"), upload_to=exchange_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.caption or self.image.name
