"""Writes that touch more than one row: a membership with its fee split, and
the yearly review of what a membership yields. Edits made on an old version
are refused, so no colleague's change is silently overwritten.

Reviews are their own records (``MembershipReview``), every one kept; the
membership's ``verdict``, ``verdict_note`` and ``review_on`` repeat the latest
review and are written only by ``membership_review``. The membership form
may set ``review_on`` only while the membership has no review (when to
review it first)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from delegations.models import Department
from oia.money import currency_symbol
from oia.versioning import lock_at_version, save_new_version

from .choices import Verdict
from .models import FeeShare, Membership, MembershipReview

# The key under which fee-split errors are reported (the API field of the split).
SPLIT = "fee_shares"
CENT = Decimal("0.01")


def fee_text(amount: Decimal) -> str:
    """An amount as the fee-split messages show it: the office currency's
    symbol, then the number grouped as the language does ("€16,000.00",
    "€-500.00": the sign stays with the number the user typed)."""
    return currency_symbol() + number_format(amount, decimal_pos=2, force_grouping=True)


def split_errors(fee: Decimal, shares: list[tuple[Department, Decimal]]) -> list[str]:
    """Why a fee split is refused; an empty list when it is fine."""
    errors = []
    seen = set()
    for department, amount in shares:
        if department.pk in seen:
            errors.append(_("%(department)s appears more than once in the split.") % {"department": department})
        seen.add(department.pk)
        if amount < 0:
            errors.append(
                _("The share of %(department)s cannot be negative (%(amount)s).")
                % {"department": department, "amount": fee_text(amount)}
            )
        elif amount != amount.quantize(CENT):
            errors.append(_("The share of %(department)s has more than two decimals.") % {"department": department})
    if errors or fee is None:
        return errors
    if not shares:
        if fee != 0:
            errors.append(_("Split the fee of %(fee)s among the departments that pay it.") % {"fee": fee_text(fee)})
        return errors
    total = sum((amount for _department, amount in shares), Decimal("0"))
    if total != fee:
        errors.append(
            _("The shares add up to %(total)s but the fee is %(fee)s.")
            % {"total": fee_text(total), "fee": fee_text(fee)}
        )
    return errors


@transaction.atomic
def membership_save(
    *, membership: Membership, shares: list[tuple[Department, Decimal]], version: int | None
) -> Membership:
    """Create ``membership`` (no pk yet) or save an edit of it made on
    ``version``, and replace its fee split by ``shares`` in the same
    transaction. The shares must add up exactly to the yearly fee."""
    shares = [(department, Decimal(amount)) for department, amount in shares]
    if membership.pk:
        lock_at_version(
            membership,
            version=version,
            message=_(
                "Someone else changed this membership while you were editing it. "
                "Reload the page to see their changes, then make yours again."
            ),
        )
    errors = _review_field_errors(membership)
    try:
        membership.full_clean(exclude=["version"])
    except ValidationError as error:
        errors = {**dict(error.error_dict), **errors}
    problems = split_errors(membership.yearly_fee if "yearly_fee" not in errors else None, shares)
    if problems:
        errors[SPLIT] = problems
    if errors:
        raise ValidationError(errors)

    if membership.pk:
        save_new_version(membership)
        membership.fee_shares.all().delete()
    else:
        membership.version = 1
        membership.save()
    FeeShare.objects.bulk_create(
        FeeShare(membership=membership, department=department, amount=amount) for department, amount in shares
    )
    return membership


def _review_field_errors(membership: Membership) -> dict:
    """The fields a review owns, guarded for ``membership_save``: a new
    membership has no verdict yet; an edit keeps the latest review's verdict,
    and its next review date once there is a review."""
    if not membership.pk:
        if membership.verdict or membership.verdict_note:
            return {"verdict": [_("A new membership has no review yet: record one on its page once it is saved.")]}
        return {}
    saved = Membership.objects.values("verdict", "verdict_note", "review_on").get(pk=membership.pk)
    membership.verdict, membership.verdict_note = saved["verdict"], saved["verdict_note"]
    if membership.review_on != saved["review_on"] and membership.reviews.exists():
        return {"review_on": [_("Each review sets the next review date: record a review to change it.")]}
    return {}


@transaction.atomic
def membership_review(
    *,
    membership: Membership,
    verdict: str,
    note: str,
    next_review_on: datetime.date | None,
    reviewed_on: datetime.date | None = None,
    by=None,
) -> Membership:
    """Record a review: the verdict, what the membership yields ("simply being
    a member is not enough"), the day of the review (today unless given; never
    in the future) and when to look at it again (after the review). The
    review is kept with the earlier ones; if it is the latest by date, the
    membership takes over its verdict, reasoning and next review date."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    latest = locked.reviews.order_by("-reviewed_on", "-pk").first()
    becomes_latest = latest is None or reviewed_on >= latest.reviewed_on
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose keep, reduce or leave.")
    note = (note or "").strip()
    if not note:
        errors["verdict_note"] = _("Say what the membership yields: expertise, project partners, funding leads.")
    if reviewed_on > today:
        errors["reviewed_on"] = _("A review cannot be dated in the future.")
    if next_review_on is None and verdict != Verdict.LEAVE:
        errors["review_on"] = _("Give the date of the next review.")
    elif next_review_on is not None and next_review_on <= reviewed_on:
        errors["review_on"] = _("The next review must be after this one.")
    if errors:
        raise ValidationError(errors)
    MembershipReview.objects.create(
        membership=locked,
        verdict=verdict,
        reasoning=note,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
        reviewer=by,
        reviewer_name=(by.get_full_name() or by.get_username()) if by is not None else "",
    )
    if becomes_latest:
        Membership.objects.filter(pk=locked.pk).update(
            verdict=verdict, verdict_note=note, review_on=next_review_on, version=F("version") + 1
        )
    membership.refresh_from_db()
    return membership
