"""Models shared by the whole project."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import one_line


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task.

    Beat queues the task every minute, so ``/readyz`` can tell whether a
    worker is consuming the queue, not only whether the broker answers.
    """

    hostname = models.CharField(_("worker"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a user's personal calendar feed address.

    Calendar apps cannot sign in, so the key alone authenticates the feed;
    replacing it is how a leaked address is withdrawn. Calendar apps rarely
    say which language they want, so the feeds are written in the language
    chosen here, whatever the app asks for.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
        verbose_name=_("user"),
    )
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    language = models.CharField(
        _("language of the feed"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "CalendarFeedToken":
        return cls.objects.get_or_create(user=user)[0]

    @classmethod
    def renew_for(cls, user) -> "CalendarFeedToken":
        """Give ``user`` a new key; the old address stops working at once."""
        token, _created = cls.objects.update_or_create(
            user=user, defaults={"key": new_feed_key(), "created_at": timezone.now()}
        )
        return token


class EmailStatus(models.TextChoices):
    NOT_EMAILED = "not_emailed", _("not emailed")
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    """An in-app message to one user (e.g. a coordination warning). Also
    emailed when ``OIA_NOTIFY_BY_EMAIL`` is on and the user has an address;
    the email's fate is kept, so an administrator sees the ones that failed."""

    SUBJECT_LENGTH = 120

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("email"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.NOT_EMAILED
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_error = models.TextField(_("last email error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # A user's list, newest first, in cursor pages (oia.api.keyset)
            # and on the notifications page (read backwards).
            models.Index(fields=["user", "created_at", "id"], name="notification_user_created_id"),
        ]

    def __str__(self):
        return self.text

    @property
    def email_subject(self) -> str:
        """The text on one line (an email header cannot hold a line break),
        cut at a word with an ellipsis when it is long; the body has it all."""
        line = one_line(self.text)
        if len(line) <= self.SUBJECT_LENGTH:
            return line
        cut = line[: self.SUBJECT_LENGTH - 1]
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        return cut.rstrip(" ,;:.-–") + "…"


class RetentionRun(models.Model):
    """What one retention rule did in one nightly run: counts, never names,
    so the record of the erasure holds no personal data itself."""

    ran_at = models.DateTimeField(_("run at"), db_index=True)
    rule = models.CharField(_("rule"), max_length=50)
    count = models.PositiveIntegerField(_("records"))
    seconds = models.FloatField(_("seconds"))

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-ran_at", "pk"]

    def __str__(self):
        return f"{self.rule} @ {self.ran_at:%Y-%m-%d %H:%M}: {self.count}"


class Anonymised(models.Model):
    """When, by whom and why a record about a person was anonymised (GDPR
    Art. 17), without the name it had. The nightly retention job sets only the
    time (no one asked, the period ran out)."""

    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("anonymised by"),
    )
    anonymisation_reason = models.TextField(_("reason for anonymising"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class AnonymisedAccount(models.Model):
    """A club leader's account that was deactivated and anonymised: the
    record of it (the account keeps no name to say so itself)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="anonymisation", verbose_name=_("account")
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), auto_now_add=True)
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("anonymised by"),
    )
    anonymisation_reason = models.TextField(_("reason for anonymising"))

    class Meta:
        verbose_name = _("anonymised account")
        verbose_name_plural = _("anonymised accounts")

    def __str__(self):
        return f"#{self.user_id}"
