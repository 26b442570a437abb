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

from oia.versioning import lock_at_version, save_new_version
from partners.models import Partnership

from ..models import (
    ZERO,
    BudgetLine,
    BudgetStatus,
    Commitment,
    CommitmentStatus,
    JubileePlan,
    JubileePlanStatus,
)
from .bookings import JUBILEE_PLAN, commitment_open, commitment_release, line_overdraft
from .budgets import lock_line, money

# What an edit may change; the partnership and the year make the jubilee.
EDITABLE = ("title", "starts_on", "ends_on", "estimate", "line", "status", "override_reason")


@dataclass
class JubileePlanning:
    plan: JubileePlan
    warning: str = ""


def _open_commitments(plan: JubileePlan) -> list[Commitment]:
    return list(Commitment.objects.filter(jubilee_plan=plan, status=CommitmentStatus.OPEN).order_by("pk"))


def _commit(plan: JubileePlan, override_reason: str) -> Commitment:
    return commitment_open(
        line=plan.line,
        amount=plan.estimate,
        description=_("Jubilee: %(title)s") % {"title": plan.title},
        jubilee_plan=plan,
        override_reason=override_reason,
    )


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
    charge = line_overdraft(line=line, amount=plan.estimate, by=by, words=JUBILEE_PLAN, override_reason=override_reason)
    plan.override_reason = charge.override_reason
    plan.save()
    _commit(plan, charge.override_reason)
    return JubileePlanning(plan=plan, warning=charge.warning)


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
        charge = line_overdraft(
            line=locked.line,
            amount=locked.estimate,
            by=by,
            words=JUBILEE_PLAN,
            override_reason=override_reason,
            released=released,
        )
        warning, locked.override_reason = charge.warning, charge.override_reason
        for commitment in open_commitments:
            commitment_release(commitment=commitment)
        _commit(locked, charge.override_reason)
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
