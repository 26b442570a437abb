"""Writes of the budget itself: adoption, closing, lines, and the changes
after adoption (amendments, transfers, supplementary requests). Every write
that depends on what is still available locks the line row first
(SELECT … FOR UPDATE, ``lock_line``), so two writes at the same moment are
checked one after the other and cannot both overdraw a line.

Rules:
- A draft budget's lines may be edited freely; after adoption a line-item
  budget changes only through council amendments, a discretionary one
  through transfers between lines (both recorded, admin only).
- Booking an expense that leaves a line below zero: in a discretionary
  budget it goes through with a warning; in a line-item budget it is
  refused unless an admin overrides with a recorded reason.
- An expense for a delegation (or a trip grant) replaces its open
  commitment on that line; cancelling the trip releases it.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oia.money import format_money
from oia.roles import ADMINS, has_role

from ..models import (
    Budget,
    BudgetChange,
    BudgetLine,
    BudgetMode,
    BudgetStatus,
    ChangeKind,
    RequestStatus,
    SupplementaryRequest,
    money,
)


def convert(original_amount: Decimal, rate: Decimal) -> Decimal:
    """Office-currency amount of a foreign-currency expense, rounded once at the end."""
    return money(Decimal(original_amount) * Decimal(rate))


def available(line: BudgetLine) -> Decimal:
    return BudgetLine.objects.with_amounts().get(pk=line.pk).available


def require_admin(user, action: str) -> None:
    """Refuse ``action`` to anyone but an OIA administrator."""
    if not has_role(user, ADMINS):
        raise ValidationError(_("Only an OIA administrator can %(action)s.") % {"action": action})


def lock_line(line: BudgetLine) -> BudgetLine:
    """The line, locked until the transaction ends."""
    return BudgetLine.objects.select_related("budget").select_for_update(of=("self",)).get(pk=line.pk)


# --- the budget ----------------------------------------------------------


@transaction.atomic
def budget_adopt(*, budget: Budget, by, adopted_on: datetime.date | None = None) -> Budget:
    require_admin(by, _("adopt a budget"))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.status != BudgetStatus.DRAFT:
        raise ValidationError(_("Only a draft budget can be adopted."))
    if not budget.lines.exists():
        raise ValidationError(_("A budget without lines cannot be adopted."))
    budget.status = BudgetStatus.ADOPTED
    budget.adopted_on = adopted_on or timezone.localdate()
    budget.adopted_by = by
    budget.save(update_fields=["status", "adopted_on", "adopted_by"])
    return budget


@transaction.atomic
def budget_close(*, budget: Budget, by) -> Budget:
    """Close the year's books: no more expenses, amendments or transfers."""
    require_admin(by, _("close a budget"))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.status != BudgetStatus.ADOPTED:
        raise ValidationError(_("Only an adopted budget can be closed."))
    budget.status = BudgetStatus.CLOSED
    budget.save(update_fields=["status"])
    return budget


def _require_draft(budget: Budget) -> None:
    if budget.status != BudgetStatus.DRAFT:
        raise ValidationError(
            _("The budget is adopted: change its lines through amendments or transfers, not by editing them.")
        )


@transaction.atomic
def line_save(*, line: BudgetLine) -> BudgetLine:
    """Create or edit a line of a draft budget."""
    _require_draft(line.budget)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def lines_split_evenly(*, budget: Budget, total: Decimal, category: str, partnerships) -> list[BudgetLine]:
    """One line per partnership sharing ``total``; the cents left over go to the
    first lines so the lines add up exactly (Frankfurt: €208,000 over 16)."""
    _require_draft(budget)
    partnerships = list(partnerships)
    if not partnerships:
        raise ValidationError(_("There are no partnerships to split the amount over."))
    total = money(total)
    if total < 0:
        raise ValidationError({"total": _("The amount cannot be negative.")})
    cents = int(total * 100)
    share, remainder = divmod(cents, len(partnerships))
    lines = []
    for index, partnership in enumerate(partnerships):
        amount = Decimal(share + (1 if index < remainder else 0)) / 100
        line = BudgetLine(
            budget=budget,
            category=category,
            partnership=partnership,
            name=_("Partner city %(city)s") % {"city": partnership.partner_city.name},
            planned=money(amount),
        )
        lines.append(line_save(line=line))
    return lines


# --- changes after adoption ------------------------------------------------


def _require_adopted(budget: Budget, mode: str, what: str) -> None:
    if budget.status != BudgetStatus.ADOPTED:
        raise ValidationError(_("Only an adopted budget can be changed by %(what)s.") % {"what": what})
    if budget.mode != mode:
        raise ValidationError(
            _("This budget is %(mode)s: it cannot be changed by %(what)s.")
            % {"mode": BudgetMode(budget.mode).label, "what": what}
        )


@transaction.atomic
def amendment_record(
    *, line: BudgetLine, amount: Decimal, council_reference: str, decided_on, reason: str, by
) -> BudgetChange:
    """A council decision changing a line of a line-item budget."""
    require_admin(by, _("record an amendment"))
    line = lock_line(line)
    _require_adopted(line.budget, BudgetMode.LINE_ITEM, _("amendments"))
    amount = money(amount)
    errors = {}
    if amount == 0:
        errors["amount"] = _("An amendment of zero changes nothing.")
    if not council_reference.strip():
        errors["council_reference"] = _("Give the reference of the council decision.")
    if errors:
        raise ValidationError(errors)
    if amount < 0 and available(line) + amount < 0:
        raise ValidationError({"amount": _("The line would not cover what is already committed and spent.")})
    return BudgetChange.objects.create(
        line=line,
        kind=ChangeKind.AMENDMENT,
        amount=amount,
        council_reference=council_reference.strip(),
        decided_on=decided_on,
        reason=reason,
        recorded_by=by,
    )


@transaction.atomic
def transfer_record(
    *, source: BudgetLine, target: BudgetLine, amount: Decimal, reason: str, by, decided_on=None
) -> tuple[BudgetChange, BudgetChange]:
    """Move money between two lines of a discretionary budget (the director's call)."""
    require_admin(by, _("transfer money between lines"))
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose two different lines.")})
    first, second = sorted([source, target], key=lambda line: line.pk)  # lock in one order: no deadlock
    locked = {line.pk: lock_line(line) for line in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.budget_id != target.budget_id:
        raise ValidationError({"target": _("Both lines must belong to the same budget.")})
    _require_adopted(source.budget, BudgetMode.DISCRETIONARY, _("transfers"))
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Transfer a positive amount.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the money is moved.")})
    left = available(source)
    if left < amount:
        raise ValidationError(
            {
                "amount": _("Only %(available)s is available on “%(line)s”.")
                % {"available": format_money(left, source.budget.currency), "line": source.name}
            }
        )
    decided_on = decided_on or timezone.localdate()
    out = BudgetChange.objects.create(
        line=source,
        kind=ChangeKind.TRANSFER,
        amount=-amount,
        counterpart=target,
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=by,
    )
    into = BudgetChange.objects.create(
        line=target,
        kind=ChangeKind.TRANSFER,
        amount=amount,
        counterpart=source,
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=by,
    )
    return out, into


@transaction.atomic
def supplementary_request_decide(
    *, request: SupplementaryRequest, status: str, by, granted_amount=None, council_reference: str = "", decided_on=None
) -> SupplementaryRequest:
    """Record the council's answer; a grant raises the line by the granted amount."""
    require_admin(by, _("record the council's decision"))
    request = (
        SupplementaryRequest.objects.select_related("line__budget").select_for_update(of=("self",)).get(pk=request.pk)
    )
    if request.line.budget.status != BudgetStatus.ADOPTED:
        raise ValidationError(_("Only lines of an adopted budget can be raised by a supplementary grant."))
    if request.status in (RequestStatus.GRANTED, RequestStatus.REFUSED):
        raise ValidationError(_("This request has already been decided."))
    if status not in (RequestStatus.SUBMITTED, RequestStatus.GRANTED, RequestStatus.REFUSED):
        raise ValidationError({"status": _("Choose submitted, granted or refused.")})
    decided_on = decided_on or timezone.localdate()
    request.status = status
    if status == RequestStatus.GRANTED:
        granted = money(granted_amount if granted_amount is not None else request.amount_requested)
        if granted <= 0:
            raise ValidationError({"granted_amount": _("A grant must be a positive amount.")})
        request.granted_amount = granted
        request.council_reference = council_reference
        request.decided_on = decided_on
        lock_line(request.line)
        BudgetChange.objects.create(
            line=request.line,
            kind=ChangeKind.SUPPLEMENTARY,
            amount=granted,
            council_reference=council_reference,
            decided_on=decided_on,
            reason=request.justification,
            recorded_by=by,
        )
    elif status == RequestStatus.REFUSED:
        request.decided_on = decided_on
        request.council_reference = council_reference
    request.save()
    return request
