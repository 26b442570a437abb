"""The annual council report: a request to generate it (with its progress)
and the immutable versions the worker produces.

A version is written once, in one transaction, with all its renderings
(HTML, PDF, XLSX) stored in the row itself, so a worker killed half-way
leaves nothing behind. Its figures never change afterwards; publishing only
moves its status (draft → published → superseded) and the ``public`` flag.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import RequestStatus, Step, VersionStatus

# Fields that may still change on a saved version: its publication state.
PUBLICATION_FIELDS = frozenset({"status", "public", "published_at", "published_by"})


class ReportRequest(models.Model):
    """One "generate the report for YEAR": queued, running (with its step),
    done or failed with a reason. The idempotency key makes a double-submitted
    form or a retried API call one request; the task makes at most one version
    per request. ``attempts`` counts the deliveries that started work (in the
    database, so a killed worker counts too) and ``last_error`` says why the
    last one ended without a version; a failed request is final."""

    year = models.PositiveIntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True, default=uuid.uuid4)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.QUEUED)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, blank=True, default=Step.WAITING)
    failure_reason = models.TextField(_("reason of the failure"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("why the last attempt stopped"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.year} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (RequestStatus.DONE, RequestStatus.FAILED)

    @property
    def step_number(self) -> int:
        """The running step's place among the working steps (1 to 5), 0 while queued."""
        steps = Step.values[1:]
        return steps.index(self.step) + 1 if self.status == RequestStatus.RUNNING and self.step in steps else 0

    @property
    def step_count(self) -> int:
        return len(Step.values) - 1

    @property
    def progress(self) -> int:
        """How far the generation is, in percent, for the progress bar: the
        running step counts as begun (a sixth per step), done is 100."""
        if self.status == RequestStatus.DONE:
            return 100
        return round(100 * self.step_number / (self.step_count + 1))


class ReportVersionQuerySet(models.QuerySet):
    def readable(self):
        """What council members may read: published versions and the ones they superseded."""
        return self.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])

    def for_list(self):
        return self.select_related("created_by", "published_by").defer("html", "pdf", "xlsx", "figures")


class ReportVersion(models.Model):
    """One frozen version of the report for a year."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("version"))
    request = models.OneToOneField(
        ReportRequest, on_delete=models.PROTECT, related_name="version", verbose_name=_("request")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    data_cut_off = models.DateTimeField(_("data cut-off"))
    checksum = models.CharField(_("data checksum (SHA-256)"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    public = models.BooleanField(
        _("public"), default=False, help_text=_("A published report marked public can be read without signing in.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    figures = models.JSONField(_("figures"))
    html = models.TextField(_("HTML"))
    pdf = models.BinaryField(_("PDF"))
    xlsx = models.BinaryField(_("XLSX"))
    generation_seconds = models.FloatField(_("generation time (seconds)"), default=0)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="report_version_number_once_per_year"),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status="published"),
                name="report_one_published_version_per_year",
                violation_error_message=_("Only one version of a year's report can be published."),
            ),
            models.CheckConstraint(
                condition=Q(public=False) | ~Q(status="draft"),
                name="report_public_only_when_published",
                violation_error_message=_("Only a published report can be made public."),
            ),
        ]

    def __str__(self):
        return _("Report %(year)s, version %(number)s") % {"year": self.year, "number": self.number}

    def save(self, *args, **kwargs):
        """A saved version's content is frozen: only its publication state may change."""
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= PUBLICATION_FIELDS:
                raise ValidationError(_("A report version cannot be changed once it is saved."))
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VersionStatus.SUPERSEDED and self.status != VersionStatus.SUPERSEDED:
                raise ValidationError(_("A superseded version cannot be published again."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != VersionStatus.DRAFT:
            raise ValidationError(_("A published report cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_readable_by_council(self) -> bool:
        return self.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)

    @property
    def year_end(self) -> datetime.datetime:
        """The first moment after the report's year, in the office's time zone."""
        return datetime.datetime(self.year + 1, 1, 1, tzinfo=timezone.get_current_timezone())

    @property
    def year_is_over(self) -> bool:
        return timezone.now() >= self.year_end

    @property
    def read_before_year_end(self) -> bool:
        """The data were read before the year was over: records of its last
        days (or months) are missing, so publishing it deserves a warning."""
        return self.data_cut_off < self.year_end

    def filename(self, extension: str) -> str:
        return f"council-report-{self.year}-v{self.number}.{extension}"
