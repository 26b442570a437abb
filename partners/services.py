"""Writes that touch more than one row: creating a partnership with its first
status, recording status changes, and edits that must not overwrite a
colleague's concurrent edit."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Status
from .models import Partnership, StatusChange


@transaction.atomic
def partnership_create(*, recorded_by, areas=(), initial_status: str = Status.ACTIVE, **fields) -> Partnership:
    """Create a partnership and its first status entry, dated on formalisation."""
    partnership = Partnership(**fields)
    partnership.full_clean()
    partnership.save()
    partnership.areas.set(areas)
    StatusChange.objects.create(
        partnership=partnership,
        status=initial_status,
        effective_on=partnership.formalised_on,
        reason=_("Partnership formalised."),
        recorded_by=recorded_by,
    )
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, version: int, areas=None, **fields) -> Partnership:
    """Save an edit made on ``version``; refuse it if someone saved in between."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if locked.version != version:
        raise ValidationError(
            _(
                "Someone else changed this partnership while you were editing it. "
                "Reload the page to see their changes, then make yours again."
            )
        )
    for name, value in fields.items():
        setattr(partnership, name, value)
    partnership.full_clean()
    partnership.version = F("version") + 1
    partnership.save()
    partnership.refresh_from_db()
    if areas is not None:
        partnership.areas.set(areas)
    return partnership


@transaction.atomic
def partnership_change_status(
    *,
    partnership: Partnership,
    status: str,
    effective_on: datetime.date,
    reason: str,
    recorded_by,
    institutional_contacts_continue: bool = True,
) -> StatusChange:
    """Record a new status. The row lock makes two simultaneous changes queue up,
    so the second one is checked against the first."""
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    latest = partnership.status_changes.order_by("-effective_on", "-pk").first()
    errors = {}
    if latest and latest.status == status:
        errors["status"] = _("The partnership already has this status.")
    if latest and effective_on < latest.effective_on:
        errors["effective_on"] = _("The date cannot be before the last recorded change (%(date)s).") % {
            "date": latest.effective_on.isoformat()
        }
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("A status change cannot be dated in the future.")
    if not (reason or "").strip():
        errors["reason"] = _("Give a reason for the change.")
    if errors:
        raise ValidationError(errors)
    return StatusChange.objects.create(
        partnership=partnership,
        status=status,
        effective_on=effective_on,
        reason=reason.strip(),
        recorded_by=recorded_by,
        institutional_contacts_continue=institutional_contacts_continue if status == Status.FROZEN else True,
    )
