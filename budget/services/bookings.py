"""Commitments and expenses: money promised and money spent on a line.

Money charged to a line (an expense booked, an approved trip's estimate
committed) follows one rule, ``line_charge``: only on an adopted budget; when
it would leave the line below zero, a discretionary budget takes it with a
warning, a line-item budget refuses it unless an administrator overrides with
a recorded reason. The line row is locked first, so two charges at the same
moment cannot both overdraw it. An expense for a delegation (or a trip grant)
replaces its open commitment on that line; approving a trip commits its
estimate, cancelling it releases the commitment (``delegation_status_changed``,
connected in ``BudgetConfig.ready``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass(frozen=True)
class ChargeWords:
    """What the refusals of ``line_charge`` say, for one kind of charge: the
    field they belong to, and the sentences for a budget not adopted
    (``year``, ``status``) and for an overdraft (``line``, ``over``, ``available``)."""

    field: str
    not_adopted: str
    overdraft: str


EXPENSE = ChargeWords(
    field="amount",
    not_adopted=gettext_lazy("Expenses can be booked only on an adopted budget; the budget of %(year)s is %(status)s."),
    overdraft=gettext_lazy(
        "This expense would overdraw “%(line)s” by %(over)s: only %(available)s is "
        "available. An administrator can override with a reason."
    ),
)
JUBILEE_PLAN = ChargeWords(
    field="estimate",
    not_adopted="",  # a jubilee may be planned on a draft budget's line (line_overdraft)
    overdraft=gettext_lazy(
        "This estimate would overdraw “%(line)s” by %(over)s: only %(available)s is "
        "available. An administrator can override with a reason."
    ),
)
TRIP_APPROVAL = ChargeWords(
    field="override_reason",
    not_adopted=gettext_lazy(
        "The trip's budget line belongs to the budget of %(year)s, which is %(status)s: a trip is approved "
        "on a line of an adopted budget. Choose another line, or none if the trip is paid from elsewhere."
    ),
    overdraft=gettext_lazy(
        "Approving this trip would overdraw “%(line)s” by %(over)s: only %(available)s is available. "
        "An administrator can override with a reason."
    ),
)

EVENT_COST = ChargeWords(
    field="estimated",
    not_adopted=gettext_lazy(
        "Costs are committed only on a line of an adopted budget; the budget of %(year)s is %(status)s."
    ),
    overdraft=gettext_lazy(
        "This cost would overdraw “%(line)s” by %(over)s: only %(available)s is "
        "available. An administrator can override with a reason."
    ),
)


@dataclass(frozen=True)
class Charge:
    """What ``line_charge`` allowed: the warning to show ('' if none) and the
    override reason to record ('' unless the line is overdrawn by it)."""

    warning: str = ""
    override_reason: str = ""


def require_adopted(line: BudgetLine, words: ChargeWords) -> None:
    """Money is charged only to a line of an adopted budget (not a draft, not a closed one)."""
    budget = line.budget
    if budget.status != BudgetStatus.ADOPTED:
        raise ValidationError(
            words.not_adopted % {"year": budget.year, "status": BudgetStatus(budget.status).label.lower()}
        )


def line_charge(
    *, line: BudgetLine, amount: Decimal, by, words: ChargeWords, override_reason: str = "", released=ZERO
) -> Charge:
    """Whether ``amount`` may be charged to ``line`` (locked by the caller with
    ``lock_line``), ``released`` being what the charge frees on it at the same
    time (the commitment an expense replaces). The rule of every charge:
    only on an adopted budget; an overdraft goes through with a warning in a
    discretionary budget, and in a line-item budget only with an
    administrator's reason. Raises ValidationError on ``words.field``."""
    require_adopted(line, words)
    return line_overdraft(
        line=line, amount=amount, by=by, words=words, override_reason=override_reason, released=released
    )


def line_overdraft(
    *, line: BudgetLine, amount: Decimal, by, words: ChargeWords, override_reason: str = "", released=ZERO
) -> Charge:
    """The overdraft half of ``line_charge``, for a charge that may also go on
    a draft budget's line (a jubilee planned before its year's budget is adopted)."""
    budget = line.budget
    before = available(line) + released
    remaining = before - amount
    if remaining >= 0:
        return Charge()
    over = format_money(-remaining, budget.currency)
    reason = (override_reason or "").strip()
    if budget.mode != BudgetMode.LINE_ITEM:
        warning = _("“%(line)s” is now overdrawn by %(over)s.") % {"line": line.name, "over": over}
        return Charge(warning=warning, override_reason=reason)
    if not reason:
        raise ValidationError(
            {
                words.field: words.overdraft
                % {"line": line.name, "over": over, "available": format_money(before, budget.currency)}
            }
        )
    require_admin(by, _("overdraw a line"))
    return Charge(override_reason=reason)


@transaction.atomic
def commitment_open(
    *,
    line: BudgetLine,
    amount: Decimal,
    description: str,
    delegation=None,
    grant=None,
    jubilee_plan=None,
    override_reason: str = "",
) -> Commitment:
    lock_line(line)
    amount = money(amount)
    if amount < 0:
        raise ValidationError({"amount": _("A commitment cannot be negative.")})
    return Commitment.objects.create(
        line=line,
        amount=amount,
        description=description,
        delegation=delegation,
        grant=grant,
        jubilee_plan=jubilee_plan,
        override_reason=override_reason,
    )


@transaction.atomic
def commitment_release(*, commitment: Commitment, status: str = CommitmentStatus.RELEASED) -> Commitment:
    Commitment.objects.filter(pk=commitment.pk, status=CommitmentStatus.OPEN).update(
        status=status, closed_at=timezone.now()
    )
    commitment.refresh_from_db()
    return commitment


@transaction.atomic
def delegation_commit(*, delegation, amount: Decimal, by=None, override_reason: str = "") -> Charge | None:
    """Commit an approved trip's estimate to its budget line under the rule of
    every charge (``line_charge``, the line row locked), replacing an earlier
    open commitment of the trip (re-approval): what that one held counts as
    available again. A trip without a line is paid from elsewhere: nothing to commit."""
    if not delegation.budget_line_id:
        return None
    line = lock_line(delegation.budget_line)
    amount = money(amount or ZERO)
    earlier = list(Commitment.objects.filter(delegation=delegation, status=CommitmentStatus.OPEN))
    freed = sum((old.amount for old in earlier if old.line_id == line.pk), ZERO)
    charge = line_charge(
        line=line, amount=amount, by=by, words=TRIP_APPROVAL, override_reason=override_reason, released=freed
    )
    for old in earlier:
        commitment_release(commitment=old)
    commitment_open(
        line=line,
        amount=amount,
        delegation=delegation,
        description=_("Trip: %(title)s") % {"title": delegation.title},
        override_reason=charge.override_reason,
    )
    return charge


def delegation_release(*, delegation) -> None:
    for commitment in Commitment.objects.filter(delegation=delegation, status=CommitmentStatus.OPEN):
        commitment_release(commitment=commitment)


def delegation_status_changed_received(
    sender, *, delegation, to_status: str, by=None, override_reason: str = "", **kwargs
) -> str:
    """Receiver of ``delegations.signals.delegation_status_changed``: approval
    commits the approved estimate (a refusal raises and rolls the step back),
    cancelling releases it. Returns the warning to show, if any."""
    if to_status == DelegationStatus.APPROVED:
        charge = delegation_commit(
            delegation=delegation, amount=delegation.approved_estimate, by=by, override_reason=override_reason
        )
        return charge.warning if charge else ""
    if to_status == DelegationStatus.CANCELLED:
        delegation_release(delegation=delegation)
    return ""


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
    """Book an expense on a line, checking what is available under a row lock
    (``line_charge``). An expense for a delegation must fit the line
    (``BudgetLine.trip_refusal``) and replaces the trip's open commitment on it."""
    line = lock_line(line)
    budget = line.budget
    require_adopted(line, EXPENSE)
    errors = {}
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
    if delegation is not None and (refusal := line.trip_refusal(delegation)):
        errors["delegation"] = refusal
    if errors:
        raise ValidationError(errors)
    amount = money(amount)
    replaced = []
    if delegation is not None:
        replaced += Commitment.objects.filter(line=line, delegation=delegation, status=CommitmentStatus.OPEN)
    if grant is not None:
        replaced += Commitment.objects.filter(line=line, grant=grant, status=CommitmentStatus.OPEN)
    released = sum((c.amount for c in replaced), ZERO)
    charge = line_charge(
        line=line, amount=amount, by=by, words=EXPENSE, override_reason=override_reason, released=released
    )
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
        override_reason=charge.override_reason,
    )
    for commitment in replaced:
        commitment_release(commitment=commitment, status=CommitmentStatus.REPLACED)
    return Booking(expense=expense, warning=charge.warning)
