"""Coordination cases: pairs of delegations found to travel to the same place
at about the same time, for the office to coordinate."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CaseState,
    MatchKind,
)
from .delegations import Delegation


class CoordinationCase(models.Model):
    """Two delegations that may be unknowingly heading to the same place at
    about the same time (or a trip there while visitors from there come here).
    The pair is stored once, lower id first."""

    trip = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="+", verbose_name=_("trip"))
    other = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="+", verbose_name=_("other delegation")
    )
    match = models.CharField(_("match"), max_length=20, choices=MatchKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    comment = models.TextField(_("comment"), blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinated by"),
    )
    resolved_at = models.DateTimeField(_("coordinated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coordination case")
        verbose_name_plural = _("coordination cases")
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "other"], name="coordination_case_pair_once"),
            models.CheckConstraint(condition=Q(trip__lt=F("other")), name="coordination_case_ordered_pair"),
        ]

    def __str__(self):
        return f"{self.trip} / {self.other}"
