"""Writes that touch more than one row: a membership with its fee split, and
the yearly review of what a membership yields. Edits made on an old version
are refused, so no colleague's change is silently overwritten."""

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
from .models import FeeShare, Membership

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
    errors = {}
    try:
        membership.full_clean(exclude=["version"])
    except ValidationError as error:
        errors = dict(error.error_dict)
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


@transaction.atomic
def membership_review(
    *, membership: Membership, verdict: str, note: str, next_review_on: datetime.date | None
) -> Membership:
    """Record the verdict of a review and what the membership yields ("simply
    being a member is not enough"), and when to look at it again."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose keep, reduce or leave.")
    note = (note or "").strip()
    if not note:
        errors["verdict_note"] = _("Say what the membership yields: expertise, project partners, funding leads.")
    if next_review_on is None and verdict != Verdict.LEAVE:
        errors["review_on"] = _("Give the date of the next review.")
    if next_review_on is not None and next_review_on <= timezone.localdate():
        errors["review_on"] = _("The next review must be after today.")
    if errors:
        raise ValidationError(errors)
    Membership.objects.filter(pk=locked.pk).update(
        verdict=verdict, verdict_note=note, review_on=next_review_on, version=F("version") + 1
    )
    membership.refresh_from_db()
    return membership
