"""Jubilee plans: planning a partnership's jubilee commits its estimate to a
line of that year's budget, under the rule an expense is booked by (a
line-item line is not overdrawn unless an administrator gives a reason; a
discretionary one is, with a warning). Editing the estimate or the line
replaces the commitment; marking the jubilee held lets the expenses booked
for it take the commitment's place; cancelling releases it. A plan is never
deleted, and a closed budget takes no new plan or estimate.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oia.money import format_money
from oia.versioning import lock_at_version, save_new_version
from partners.models import Partnership

from ..models import (
    ZERO,
    BudgetLine,
    BudgetMode,
    BudgetStatus,
    Commitment,
    CommitmentStatus,
    JubileePlan,
    JubileePlanStatus,
)
from .bookings import commitment_open, commitment_release
from .budgets import available, lock_line, money, require_admin

# What an edit may change; the partnership and the year make the jubilee.
EDITABLE = ("title", "starts_on", "ends_on", "estimate", "line", "status", "override_reason")


@dataclass
class JubileePlanning:
    plan: JubileePlan
    warning: str = ""


# --- MERGE NOTE ---------------------------------------------------------------
# The overdraft rule of ``expense_book`` (budget/services/bookings.py), repeated
# for a jubilee's estimate while the trip-money work extracts that rule into a
# shared function in bookings.py. When both are merged, call the shared one here
# and delete this helper.
def _overdraft_warning(*, line: BudgetLine, amount: Decimal, released: Decimal, by, override_reason: str) -> str:
    """Refuse or warn when committing ``amount`` (``released`` is given back
    first) leaves ``line`` (locked) below zero; "" when it stays covered."""
    before = available(line) + released
    remaining = before - amount
    if remaining >= 0:
        return ""
    currency = line.budget.currency
    if line.budget.mode == BudgetMode.LINE_ITEM:
        if not (override_reason or "").strip():
            raise ValidationError(
                {
                    "estimate": _(
                        "This estimate would overdraw “%(line)s” by %(over)s: only %(available)s is "
                        "available. An administrator can override with a reason."
                    )
                    % {
                        "line": line.name,
                        "over": format_money(-remaining, currency),
                        "available": format_money(before, currency),
                    }
                }
            )
        require_admin(by, _("overdraw a line"))
        return ""
    return _("“%(line)s” is now overdrawn by %(over)s.") % {
        "line": line.name,
        "over": format_money(-remaining, currency),
    }


def _open_commitments(plan: JubileePlan) -> list[Commitment]:
    return list(Commitment.objects.filter(jubilee_plan=plan, status=CommitmentStatus.OPEN).order_by("pk"))


def _commit(plan: JubileePlan) -> Commitment:
    """Commit the plan's estimate to its line. ``commitment_open`` does not
    know jubilee plans yet (the trip-money work changes it too): the link is
    set right after, in the same transaction."""
    commitment = commitment_open(
        line=plan.line, amount=plan.estimate, description=_("Jubilee: %(title)s") % {"title": plan.title}
    )
    commitment.jubilee_plan = plan
    commitment.save(update_fields=["jubilee_plan"])
    return commitment


def _check(plan: JubileePlan) -> None:
    """The model's rules, and the rules about the budget and the partnership."""
    errors = {}
    try:
        plan.full_clean(exclude=["version"])
    except ValidationError as error:
        errors = dict(error.error_dict)
    if plan.partnership_id and not Partnership.objects.not_ended().filter(pk=plan.partnership_id).exists():
        errors["partnership"] = [_("This partnership has ended: it has no jubilees to celebrate.")]
    if errors:
        raise ValidationError(errors)


def _require_open_budget(line: BudgetLine) -> None:
    """Money is committed only to a budget whose books are open."""
    if line.budget.status == BudgetStatus.CLOSED:
        raise ValidationError({"line": _("The budget %(year)s is closed.") % {"year": line.budget.year}})


def _lock_lines(*lines: BudgetLine) -> dict[int, BudgetLine]:
    """Lock the lines in one order (no deadlock), keyed by pk."""
    return {pk: lock_line(line) for pk, line in sorted({line.pk: line for line in lines}.items())}


@transaction.atomic
def jubilee_plan_create(
    *,
    partnership: Partnership,
    year: int,
    title: str,
    starts_on,
    estimate: Decimal,
    line: BudgetLine,
    by,
    ends_on=None,
    override_reason: str = "",
) -> JubileePlanning:
    """Plan a jubilee and commit its estimate to ``line`` (of the jubilee year's budget)."""
    line = lock_line(line)
    plan = JubileePlan(
        partnership=partnership,
        year=year,
        title=(title or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        estimate=money(estimate) if estimate is not None else None,
        line=line,
        created_by=by,
    )
    _check(plan)
    _require_open_budget(line)
    overdrawn = available(line) < plan.estimate
    warning = _overdraft_warning(line=line, amount=plan.estimate, released=ZERO, by=by, override_reason=override_reason)
    plan.override_reason = override_reason.strip() if overdrawn else ""
    plan.save()
    _commit(plan)
    return JubileePlanning(plan=plan, warning=warning)


def _stale_message() -> str:
    return _(
        "Someone else changed this jubilee plan while you were editing it. "
        "Reload the page to see their changes, then make yours again."
    )


@transaction.atomic
def jubilee_plan_update(*, plan: JubileePlan, version: int | None, by, **fields) -> JubileePlanning:
    """Save an edit made on ``version``. A new estimate or line of a planned
    jubilee replaces its commitment (checked like a new one, with the old
    commitment given back first); marking it held closes the commitment as
    replaced by the expenses booked for it."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable on a jubilee plan: {sorted(unknown)}")
    override_reason = fields.pop("override_reason", "") or ""
    locked = lock_at_version(plan, version=version, message=_stale_message())
    if locked.status == JubileePlanStatus.CANCELLED:
        raise ValidationError(_("A cancelled jubilee plan cannot be changed."))
    before_status, before_line, before_estimate = locked.status, locked.line, locked.estimate
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.title = (locked.title or "").strip()
    if locked.estimate is not None:
        locked.estimate = money(locked.estimate)
    if locked.status not in (JubileePlanStatus.PLANNED, JubileePlanStatus.HELD) or (
        before_status == JubileePlanStatus.HELD and locked.status != JubileePlanStatus.HELD
    ):
        raise ValidationError({"status": _("A plan goes from planned to held; cancel it to call it off.")})
    lines = _lock_lines(before_line, locked.line) if locked.line_id else {}
    if locked.line_id:
        locked.line = lines[locked.line_id]
    _check(locked)

    warning = ""
    money_changed = locked.estimate != before_estimate or locked.line_id != before_line.pk
    open_commitments = _open_commitments(locked)
    if locked.status == JubileePlanStatus.PLANNED and (money_changed or not open_commitments):
        _require_open_budget(locked.line)
        released = sum((c.amount for c in open_commitments if c.line_id == locked.line_id), ZERO)
        overdrawn = available(locked.line) + released < locked.estimate
        warning = _overdraft_warning(
            line=locked.line, amount=locked.estimate, released=released, by=by, override_reason=override_reason
        )
        locked.override_reason = override_reason.strip() if overdrawn else ""
        for commitment in open_commitments:
            commitment_release(commitment=commitment)
        _commit(locked)
    elif locked.status == JubileePlanStatus.HELD and before_status == JubileePlanStatus.PLANNED:
        for commitment in open_commitments:
            commitment_release(commitment=commitment, status=CommitmentStatus.REPLACED)
    save_new_version(locked)
    return JubileePlanning(plan=locked, warning=warning)


@transaction.atomic
def jubilee_plan_cancel(*, plan: JubileePlan, version: int | None, by) -> JubileePlan:
    """Call the jubilee plan off: its open commitment is released, and the
    jubilee may be planned anew."""
    locked = lock_at_version(plan, version=version, message=_stale_message())
    if locked.status != JubileePlanStatus.PLANNED:
        raise ValidationError(
            _("Only a planned jubilee can be cancelled; this one is %(status)s.")
            % {"status": JubileePlanStatus(locked.status).label.lower()}
        )
    for commitment in _open_commitments(locked):
        commitment_release(commitment=commitment)
    locked.status = JubileePlanStatus.CANCELLED
    return save_new_version(locked, update_fields=["status"])
