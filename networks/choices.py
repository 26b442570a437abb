"""Choices of the networks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    GLOBAL = "global", _("Global")
    EUROPEAN = "european", _("European")
    REGIONAL = "regional", _("Regional")
    THEMATIC = "thematic", _("Thematic")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class Verdict(models.TextChoices):
    KEEP = "keep", _("Keep")
    REDUCE = "reduce", _("Reduce")
    LEAVE = "leave", _("Leave")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting attended")
    PROJECT_PARTNERS = "project_partners", _("Project partners found")
    FUNDING_LEAD = "funding_lead", _("Funding lead")
    EXPERTISE = "expertise", _("Expertise gained")
    OTHER = "other", _("Other outcome")
