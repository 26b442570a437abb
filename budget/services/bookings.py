"""Commitments and expenses: money promised and money spent on a line.

Booking an expense that leaves a line below zero: in a discretionary budget
it goes through with a warning; in a line-item budget it is refused unless an
admin overrides with a recorded reason. The line row is locked first, so two
bookings at the same moment cannot both overdraw it. An expense for a
delegation (or a trip grant) replaces its open commitment on that line;
approving a trip commits its estimate, cancelling it releases the commitment
(``delegation_status_changed``, connected in ``BudgetConfig.ready``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.choices import DelegationStatus
from oia.money import format_money

from ..models import (
    ZERO,
    BudgetLine,
    BudgetMode,
    BudgetStatus,
    Commitment,
    CommitmentStatus,
    Expense,
)
from .budgets import available, convert, lock_line, money, require_admin


@transaction.atomic
def commitment_open(*, line: BudgetLine, amount: Decimal, description: str, delegation=None, grant=None) -> Commitment:
    lock_line(line)
    amount = money(amount)
    if amount < 0:
        raise ValidationError({"amount": _("A commitment cannot be negative.")})
    return Commitment.objects.create(
        line=line, amount=amount, description=description, delegation=delegation, grant=grant
    )


@transaction.atomic
def commitment_release(*, commitment: Commitment, status: str = CommitmentStatus.RELEASED) -> Commitment:
    Commitment.objects.filter(pk=commitment.pk, status=CommitmentStatus.OPEN).update(
        status=status, closed_at=timezone.now()
    )
    commitment.refresh_from_db()
    return commitment


def delegation_commit(*, delegation, amount: Decimal) -> Commitment | None:
    """Commit an approved trip's estimate to its budget line (replacing an
    earlier open commitment, e.g. after re-approval)."""
    if not delegation.budget_line_id:
        return None
    for old in Commitment.objects.filter(delegation=delegation, status=CommitmentStatus.OPEN):
        commitment_release(commitment=old)
    return commitment_open(
        line=delegation.budget_line,
        amount=amount,
        delegation=delegation,
        description=_("Trip: %(title)s") % {"title": delegation.title},
    )


def delegation_release(*, delegation) -> None:
    for commitment in Commitment.objects.filter(delegation=delegation, status=CommitmentStatus.OPEN):
        commitment_release(commitment=commitment)


def delegation_status_changed_received(sender, *, delegation, to_status: str, **kwargs) -> None:
    """Receiver of ``delegations.signals.delegation_status_changed``: approval
    commits the approved estimate, cancelling releases it."""
    if to_status == DelegationStatus.APPROVED:
        delegation_commit(delegation=delegation, amount=delegation.approved_estimate)
    elif to_status == DelegationStatus.CANCELLED:
        delegation_release(delegation=delegation)


@dataclass
class Booking:
    expense: Expense
    warning: str = ""


@transaction.atomic
def expense_book(
    *,
    line: BudgetLine,
    date: datetime.date,
    payee: str,
    description: str,
    by,
    amount: Decimal | None = None,
    original_amount: Decimal | None = None,
    original_currency: str = "",
    exchange_rate: Decimal | None = None,
    delegation=None,
    membership=None,
    grant=None,
    event: str = "",
    override_reason: str = "",
) -> Booking:
    """Book an expense on a line, checking what is available under a row lock."""
    line = lock_line(line)
    budget = line.budget
    errors = {}
    if budget.status != BudgetStatus.ADOPTED:
        raise ValidationError(
            _("Expenses can be booked only on an adopted budget; the budget of %(year)s is %(status)s.")
            % {"year": budget.year, "status": BudgetStatus(budget.status).label.lower()}
        )
    if original_currency and original_currency.upper() != budget.currency:
        if original_amount is None or exchange_rate is None:
            errors["exchange_rate"] = _("Give the original amount and the exchange rate.")
        elif original_amount < 0 or exchange_rate <= 0:
            errors["exchange_rate"] = _("The original amount and the rate must be positive.")
        else:
            amount = convert(original_amount, exchange_rate)
    if amount is None and "exchange_rate" not in errors:
        errors["amount"] = _("Give the amount.")
    elif amount is not None and amount < 0:
        errors["amount"] = _("An expense cannot be negative.")
    if errors:
        raise ValidationError(errors)
    amount = money(amount)
    replaced = []
    if delegation is not None:
        replaced += Commitment.objects.filter(line=line, delegation=delegation, status=CommitmentStatus.OPEN)
    if grant is not None:
        replaced += Commitment.objects.filter(line=line, grant=grant, status=CommitmentStatus.OPEN)
    released = sum((c.amount for c in replaced), ZERO)
    before = available(line) + released
    remaining = before - amount
    warning = ""
    if remaining < 0:
        if budget.mode == BudgetMode.LINE_ITEM:
            if not override_reason.strip():
                raise ValidationError(
                    {
                        "amount": _(
                            "This expense would overdraw “%(line)s” by %(over)s: only %(available)s is "
                            "available. An administrator can override with a reason."
                        )
                        % {
                            "line": line.name,
                            "over": format_money(-remaining, budget.currency),
                            "available": format_money(before, budget.currency),
                        }
                    }
                )
            require_admin(by, _("overdraw a line"))
        else:
            warning = _("“%(line)s” is now overdrawn by %(over)s.") % {
                "line": line.name,
                "over": format_money(-remaining, budget.currency),
            }
    expense = Expense.objects.create(
        line=line,
        date=date,
        amount=amount,
        payee=payee,
        description=description,
        booked_by=by,
        original_amount=original_amount if original_currency else None,
        original_currency=original_currency.upper() if original_currency else "",
        exchange_rate=exchange_rate if original_currency else None,
        delegation=delegation,
        membership=membership,
        grant=grant,
        event=event,
        override_reason=override_reason.strip() if remaining < 0 else "",
    )
    for commitment in replaced:
        commitment_release(commitment=commitment, status=CommitmentStatus.REPLACED)
    return Booking(expense=expense, warning=warning)
