"""Trip grants to clubs and community groups: the writes from the application
to the report after the trip. What the rules allow is computed once, in
``budget.selectors`` (``allowed_for``), for the pages, the API and approval.

Approval commits the approved amount on a line of the category "club and
community grants" under a row lock; payment books the expense, which replaces
the commitment; cancelling releases it.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oia.money import format_money
from oia.notifications import notify
from oia.roles import ADMINS, OFFICE, has_role
from oia.security import log_event
from oia.text import ControlCharacterValidator
from oia.versioning import save_new_version, update_versioned
from partners.choices import ExchangeKind
from partners.models import Club
from partners.services import exchange_create

from ..models import (
    BudgetLine,
    BudgetStatus,
    Commitment,
    CommitmentStatus,
    Expense,
    GrantApplication,
    GrantRules,
    GrantStatus,
    LineCategory,
)
from ..selectors import allowed_for
from .bookings import commitment_open, commitment_release, expense_book
from .budgets import available, lock_line, money

APPLICATION_FIELDS = (
    "partnership",
    "starts_on",
    "ends_on",
    "destination",
    "programme_summary",
    "travellers",
    "students",
    "total_costs",
    "own_contribution",
    "requested_amount",
    "partner_contact",
)
# The field of the payment's form and API body naming the administrator's reason.
FOUR_EYES_FIELD = "four_eyes_override_reason"
RULE_FIELDS = ("base_rate", "student_rate", "max_per_application", "yearly_cap_per_club")


@transaction.atomic
def grant_rules_update(*, rules: GrantRules, version: int, by, **fields) -> GrantRules:
    if not has_role(by, OFFICE):
        raise ValidationError(_("Only the office changes the grant rules."))
    return update_versioned(
        rules,
        version=version,
        fields={**fields, "updated_by": by},
        message=_("Someone else changed the grant rules while you were editing them. Reload the page and try again."),
        allowed=(*RULE_FIELDS, "updated_by"),
    )


def _lock_application(application: GrantApplication) -> GrantApplication:
    return GrantApplication.objects.select_related("club").select_for_update(of=("self",)).get(pk=application.pk)


def _require_status(application: GrantApplication, *allowed: str) -> None:
    if application.status not in allowed:
        raise ValidationError(
            _("This is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def _require_office(by) -> None:
    if not has_role(by, OFFICE):
        raise ValidationError(_("Only the office decides on grant applications."))


@transaction.atomic
def grant_apply(*, club: Club, created_by, submit: bool = False, **fields) -> GrantApplication:
    """Create an application as a draft (or submit it at once)."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")
    application = GrantApplication(club=club, created_by=created_by, **fields)
    application.full_clean()
    application.save()
    if submit:
        application = grant_submit(application=application, by=created_by)
    return application


@transaction.atomic
def grant_update(*, application: GrantApplication, version: int, by, **fields) -> GrantApplication:
    """Edit a draft application; a stale ``version`` is refused."""
    return update_versioned(
        application,
        version=version,
        fields=fields,
        message=_(
            "Someone else changed this application while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
        allowed=APPLICATION_FIELDS,
        queryset=GrantApplication.objects.select_related("club").select_for_update(of=("self",)),
        refuse=_refuse_submitted,
    )


def _refuse_submitted(application: GrantApplication) -> None:
    if not application.editable_by_leader:
        raise ValidationError(_("A submitted application can no longer be changed."))


def _save(application: GrantApplication, *fields: str) -> GrantApplication:
    return save_new_version(application, update_fields=fields)


@transaction.atomic
def grant_submit(*, application: GrantApplication, by) -> GrantApplication:
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.DRAFT)
    locked.status = GrantStatus.SUBMITTED
    locked = _save(locked, "status")
    notify(
        [locked.partnership.responsible_officer],
        text=_("%(club)s applied for a trip grant: %(destination)s.")
        % {"club": locked.club.name, "destination": locked.destination},
        url=reverse("budget:grant-detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def grant_withdraw(*, application: GrantApplication, by) -> GrantApplication:
    """The club takes a submitted application back to change it (a draft again),
    as long as the office has not decided."""
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.SUBMITTED)
    locked.status = GrantStatus.DRAFT
    return _save(locked, "status")


def _tell_the_club(application: GrantApplication, text: str) -> None:
    notify(application.club.leaders.all(), text=text, url=reverse("portal:grant-detail", args=[application.pk]))


@transaction.atomic
def grant_approve(
    *, application: GrantApplication, by, approved_amount: Decimal, budget_line: BudgetLine, conditions: str = ""
) -> GrantApplication:
    """Approve up to the allowed amount and commit it on a grants line. The
    club's row is locked so two approvals cannot both use the last of its cap."""
    _require_office(by)
    Club.objects.select_for_update().get(pk=application.club_id)
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.SUBMITTED)
    line = lock_line(budget_line)
    approved_amount = money(approved_amount)
    allowed = allowed_for(locked)
    currency = line.budget.currency
    errors = {}
    if approved_amount <= 0:
        errors["approved_amount"] = _("Approve a positive amount, or reject the application with a reason.")
    elif approved_amount > allowed:
        errors["approved_amount"] = _("The rules allow at most %(allowed)s for this application.") % {
            "allowed": format_money(allowed, currency)
        }
    elif approved_amount > locked.requested_amount:
        errors["approved_amount"] = _("The club asked for %(requested)s; approve no more than that.") % {
            "requested": format_money(locked.requested_amount, currency)
        }
    if line.category != LineCategory.GRANTS:
        errors["budget_line"] = _("Choose a line of the category “club and community grants”.")
    elif line.budget.status != BudgetStatus.ADOPTED:
        errors["budget_line"] = _("Choose a line of an adopted budget.")
    elif "approved_amount" not in errors and available(line) < approved_amount:
        errors["budget_line"] = _("Only %(available)s is available on “%(line)s”.") % {
            "available": format_money(available(line), currency),
            "line": line.name,
        }
    if errors:
        raise ValidationError(errors)
    locked.status = GrantStatus.APPROVED
    locked.approved_amount = approved_amount
    locked.budget_line = line
    locked.conditions = conditions.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    commitment_open(
        line=line,
        amount=approved_amount,
        description=_("Trip grant: %(club)s to %(destination)s")
        % {"club": locked.club.name, "destination": locked.destination},
        grant=locked,
    )
    locked = _save(locked, "status", "approved_amount", "budget_line", "conditions", "decided_by", "decided_at")
    _tell_the_club(
        locked,
        _("Your grant for %(destination)s was approved: %(amount)s.")
        % {"destination": locked.destination, "amount": format_money(approved_amount, currency)},
    )
    return locked


@transaction.atomic
def grant_reject(*, application: GrantApplication, by, reason: str) -> GrantApplication:
    _require_office(by)
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.SUBMITTED)
    if not (reason or "").strip():
        raise ValidationError({"rejection_reason": _("Give the club the reason for the rejection.")})
    locked.status = GrantStatus.REJECTED
    locked.rejection_reason = reason.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked = _save(locked, "status", "rejection_reason", "decided_by", "decided_at")
    _tell_the_club(
        locked,
        _("Your application for %(destination)s was rejected: %(reason)s")
        % {"destination": locked.destination, "reason": locked.rejection_reason},
    )
    return locked


def _release_commitments(application: GrantApplication) -> None:
    for commitment in Commitment.objects.filter(grant=application, status=CommitmentStatus.OPEN):
        commitment_release(commitment=commitment)


@transaction.atomic
def grant_cancel(*, application: GrantApplication, by, reason: str) -> GrantApplication:
    """Cancel an approved grant that will not be paid (the trip did not happen);
    its commitment is released."""
    _require_office(by)
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.APPROVED)
    if not (reason or "").strip():
        raise ValidationError({"rejection_reason": _("Say why the grant is cancelled.")})
    ControlCharacterValidator(multiline=True)(reason)  # the page sends the reason without a form
    _release_commitments(locked)
    locked.status = GrantStatus.CANCELLED
    locked.rejection_reason = reason.strip()
    return _save(locked, "status", "rejection_reason")


def four_eyes_apply(application: GrantApplication, by) -> bool:
    """Whether the four-eyes rule stops ``by`` from booking this grant's
    payment: they approved it, and ``OIA_GRANT_FOUR_EYES`` is on."""
    return bool(
        settings.OIA_GRANT_FOUR_EYES and application.decided_by_id is not None and application.decided_by_id == by.pk
    )


def _four_eyes_override(application: GrantApplication, by, reason: str) -> str:
    """The reason an administrator gives for paying a grant they approved
    (empty when the rule does not apply); anyone else is refused."""
    if not four_eyes_apply(application, by):
        return ""
    reason = (reason or "").strip()
    if not has_role(by, ADMINS):
        raise ValidationError(
            {
                FOUR_EYES_FIELD: _(
                    "You approved this grant, so another member of the office must book its payment (four-eyes rule)."
                )
            }
        )
    if not reason:
        raise ValidationError(
            {
                FOUR_EYES_FIELD: _(
                    "You approved this grant. Another member of the office should book its payment; "
                    "to book it yourself as an administrator, give the reason."
                )
            }
        )
    ControlCharacterValidator(multiline=True)(reason)
    return reason


@transaction.atomic
def grant_pay(
    *, application: GrantApplication, by, date: datetime.date | None = None, four_eyes_override_reason: str = ""
):
    """Book the approved amount as an expense; it replaces the commitment.
    A club may report before it is paid, so a reported grant can still be paid.
    Four eyes: whoever approved it may not pay it, unless an administrator
    gives ``four_eyes_override_reason``, which is recorded and logged."""
    _require_office(by)
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.APPROVED, GrantStatus.REPORTED)
    if Expense.objects.filter(grant=locked).exists():
        raise ValidationError(_("This grant has already been paid."))
    override = _four_eyes_override(locked, by, four_eyes_override_reason)
    booking = expense_book(
        line=locked.budget_line,
        date=date or timezone.localdate(),
        amount=locked.approved_amount,
        payee=locked.club.name,
        description=_("Trip grant: %(destination)s") % {"destination": locked.destination},
        by=by,
        grant=locked,
    )
    changed = []
    if override:
        locked.four_eyes_override_by = by
        locked.four_eyes_override_reason = override
        changed += ["four_eyes_override_by", "four_eyes_override_reason"]
    if locked.status == GrantStatus.APPROVED:
        locked.status = GrantStatus.PAID
        changed.append("status")
    if changed:
        _save(locked, *changed)
    if override:
        log_event(
            "grant_four_eyes_override",
            user=by,
            level=logging.WARNING,
            grant=locked.pk,
            amount=str(locked.approved_amount),
            approved_by=by.get_username(),
            reason=override,
        )
    return booking


@transaction.atomic
def grant_report(
    *,
    application: GrantApplication,
    by,
    actual_travellers: int,
    report: str,
    kind: str = ExchangeKind.OTHER,
    direction: str,
    reciprocity: bool = False,
) -> GrantApplication:
    """After the trip the club reports; the report becomes an exchange, submitted
    to the office for review like any other."""
    locked = _lock_application(application)
    _require_status(locked, GrantStatus.APPROVED, GrantStatus.PAID)
    errors = {}
    if actual_travellers is None or actual_travellers < 1:
        errors["actual_travellers"] = _("Give the number of people who actually travelled.")
    if not (report or "").strip():
        errors["report"] = _("Write a short report of the trip.")
    if locked.ends_on > timezone.localdate():
        errors["report"] = _("Report after the trip: it ends on %(date)s.") % {
            "date": date_format(locked.ends_on, "DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)
    exchange = exchange_create(
        club=locked.club,
        created_by=by,
        partnership=locked.partnership,
        kind=kind,
        direction=direction,
        starts_on=locked.starts_on,
        ends_on=locked.ends_on,
        title=_("Group trip: %(destination)s") % {"destination": locked.destination},
        description=report.strip(),
        participants_local=actual_travellers,
        participants_partner=0,
        young_participants=min(locked.students, actual_travellers),
        reciprocity=reciprocity,
        submit=True,
    )
    locked.actual_travellers = actual_travellers
    locked.report = report.strip()
    locked.exchange = exchange
    locked.status = GrantStatus.REPORTED
    return _save(locked, "actual_travellers", "report", "exchange", "status")
