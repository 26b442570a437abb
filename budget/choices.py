"""Choices of the budget app: the budget's mode and status, the categories of
its lines, the kinds of change, and the statuses of supplementary requests,
commitments and grant applications. ``budget.models`` re-exports them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetMode(models.TextChoices):
    LINE_ITEM = "line_item", _("Line-item (the council fixes each line)")
    DISCRETIONARY = "discretionary", _("Discretionary (the director may move money)")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    CLOSED = "closed", _("Closed")


class LineCategory(models.TextChoices):
    PARTNER_CITIES = "partner_cities", _("Partner cities")
    EUROPE_NETWORKS = "europe_networks", _("Europe & networks")
    DEVELOPMENT = "development", _("Development cooperation")
    PUBLIC_RELATIONS = "public_relations", _("Public relations")
    EVENTS = "events", _("Events")
    HOSTING = "hosting", _("Hosting of visitors")
    GIFTS = "gifts", _("Gifts")
    GRANTS = "grants", _("Club and community grants")
    RESERVE = "reserve", _("Flexible reserve")
    OTHER = "other", _("Other")


class ChangeKind(models.TextChoices):
    AMENDMENT = "amendment", _("Amendment (council decision)")
    TRANSFER = "transfer", _("Transfer between lines")
    SUPPLEMENTARY = "supplementary", _("Supplementary grant")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RELEASED = "released", _("Released")
    REPLACED = "replaced", _("Replaced by the expense")


class GrantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    PAID = "paid", _("Paid")
    REPORTED = "reported", _("Reported after the trip")


class JubileePlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
