"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Step(models.TextChoices):
    WAITING = "", _("Waiting for a worker")
    FIGURES = "figures", _("Counting the figures")
    HTML = "html", _("Writing the web page")
    PDF = "pdf", _("Printing the PDF")
    XLSX = "xlsx", _("Writing the spreadsheet")
    SAVING = "saving", _("Saving the version")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
