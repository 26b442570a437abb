"""Events, their costs on a budget line (by the budget's own rules,
``budget.services``), their guests, invitation links and answers."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import BudgetLine, BudgetStatus, CommitmentStatus
from budget.services import (
    EVENT_COST,
    commitment_open,
    commitment_release,
    expense_book,
    line_charge,
    lock_line,
    money,
)
from delegations.models import Person
from oia.versioning import lock_at_version, save_new_version

from ..choices import Answer, EventStatus
from ..models import Ambassador, ConsularPost, Event, EventCost, Guest
from ..models.events import token_hash

# Events, their costs on a budget line and their guest lists. A cost's
# estimate is committed on the event's line by the rule of every charge
# (``budget.services.line_charge``: an adopted budget only; a line-item line
# is not overdrawn without an administrator's reason, a discretionary one is,
# with a warning); booking the actual cost replaces the commitment with an
# expense (``expense_book``); cancelling the event releases what is still open.
# A guest's invitation link carries a random token of which only the SHA-256
# is kept: issuing a new one kills the old link.


EVENT_FIELDS = (
    "title",
    "kind",
    "role",
    "starts_at",
    "ends_at",
    "place",
    "is_public",
    "summary",
    "programme",
    "internal_notes",
    "department",
    "jubilee_plan",
    "budget_line",
    "rsvp_by",
    "capacity",
)


def event_lines(year: int | None):
    """The budget lines an event of ``year`` may be paid from: those of that
    year's draft or adopted budget (a closed budget takes nothing new)."""
    lines = BudgetLine.objects.select_related("budget").filter(
        budget__status__in=[BudgetStatus.DRAFT, BudgetStatus.ADOPTED]
    )
    return lines.filter(budget__year=year) if year else lines


def _event_stale() -> str:
    return _(
        "Someone else changed this event while you were editing it. Reload the page, then make your changes again."
    )


def _check_event(event: Event) -> None:
    errors = {}
    try:
        event.full_clean(exclude=["version", "partnerships", "consular_posts"])
    except ValidationError as error:
        errors = dict(error.error_dict)
    if event.budget_line_id and event.starts_at:
        if not event_lines(event.starts_at.year).filter(pk=event.budget_line_id).exists():
            errors.setdefault("budget_line", []).append(
                _("Choose a line of the draft or adopted budget of %(year)s, the year of the event.")
                % {"year": event.starts_at.year}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, by, partnerships=(), consular_posts=(), **fields) -> Event:
    """Record an event with the partner cities and consular posts involved."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of an event: {sorted(unknown)}")
    event = Event(created_by=by, **fields)
    _check_event(event)
    event.save()
    event.partnerships.set(partnerships)
    event.consular_posts.set(consular_posts)
    return event


@transaction.atomic
def event_update(*, event: Event, version: int | None, partnerships=None, consular_posts=None, **fields) -> Event:
    """Save an edit made on ``version``. The line of an event whose costs are
    already committed cannot change (release them by cancelling, or book them)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of an event: {sorted(unknown)}")
    locked = lock_at_version(event, version=version, message=_event_stale())
    if locked.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    before_line = locked.budget_line_id
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_event(locked)
    if locked.budget_line_id != before_line and _charged_costs(locked).exists():
        raise ValidationError(
            {"budget_line": _("Costs of this event are already on its budget line; the line cannot change now.")}
        )
    save_new_version(locked)
    if partnerships is not None:
        locked.partnerships.set(partnerships)
    if consular_posts is not None:
        locked.consular_posts.set(consular_posts)
    return locked


def _charged_costs(event: Event):
    return event.costs.filter(Q(commitment__isnull=False) | Q(expense__isnull=False))


@transaction.atomic
def event_mark_held(*, event: Event, version: int | None) -> Event:
    """The event took place; its costs are booked one by one as the invoices come in."""
    locked = lock_at_version(event, version=version, message=_event_stale())
    if locked.status != EventStatus.PLANNED:
        raise ValidationError(_("Only a planned event can be marked as held."))
    if locked.starts_at > timezone.now():
        raise ValidationError(_("An event can be marked as held once it has started."))
    locked.status = EventStatus.HELD
    return save_new_version(locked, update_fields=["status"])


@transaction.atomic
def event_cancel(*, event: Event, version: int | None, reason: str) -> Event:
    """Call the event off, with the reason: every cost's open commitment is
    released (the money is available on the line again); booked expenses stay.
    Invitation links stop taking answers."""
    locked = lock_at_version(event, version=version, message=_event_stale())
    if locked.status != EventStatus.PLANNED:
        raise ValidationError(_("Only a planned event can be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the event is cancelled.")})
    for cost in locked.costs.select_related("commitment").filter(commitment__status=CommitmentStatus.OPEN):
        commitment_release(commitment=cost.commitment)
    locked.status = EventStatus.CANCELLED
    locked.cancellation_reason = reason
    return save_new_version(locked, update_fields=["status", "cancellation_reason"])


@dataclass
class CostSaving:
    cost: EventCost
    warning: str = ""


def _cost_stale() -> str:
    return _("Someone else changed this cost while you were editing it. Reload the page, then make your changes again.")


def _commit_estimate(cost: EventCost, *, by, override_reason: str) -> str:
    """Commit (or re-commit) the cost's estimate on the event's line; the
    earlier open commitment counts as available again. Returns the warning."""
    event = cost.event
    old = cost.commitment if cost.commitment_id and cost.commitment.status == CommitmentStatus.OPEN else None
    if not event.budget_line_id or cost.expense_id:
        return ""
    line = lock_line(event.budget_line)
    amount = money(cost.estimated or Decimal("0"))
    released = old.amount if old is not None and old.line_id == line.pk else Decimal("0")
    charge = line_charge(
        line=line, amount=amount, by=by, words=EVENT_COST, override_reason=override_reason, released=released
    )
    if old is not None:
        commitment_release(commitment=old)
    cost.commitment = commitment_open(
        line=line,
        amount=amount,
        description=(_("Event: %(title)s – %(cost)s") % {"title": event.title, "cost": cost.description})[:300],
        override_reason=charge.override_reason,
    )
    return charge.warning


def _check_cost(cost: EventCost) -> None:
    if cost.estimated is not None and cost.estimated < 0:
        raise ValidationError({"estimated": _("A cost cannot be negative.")})
    cost.full_clean(exclude=["version", "event"])


@transaction.atomic
def event_cost_add(*, event: Event, description: str, estimated: Decimal | None, by, override_reason: str = ""):
    """Add a cost to a planned event; its estimate is committed on the event's line."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.PLANNED:
        raise ValidationError(_("Costs are added to planned events only."))
    cost = EventCost(event=event, description=(description or "").strip(), estimated=estimated)
    _check_cost(cost)
    warning = _commit_estimate(cost, by=by, override_reason=override_reason) if estimated is not None else ""
    cost.save()
    return CostSaving(cost=cost, warning=warning)


@transaction.atomic
def event_cost_update(
    *, cost: EventCost, version: int | None, description: str, estimated: Decimal | None, by, override_reason: str = ""
) -> CostSaving:
    """Change a cost's estimate: its commitment is replaced by one of the new amount."""
    locked = lock_at_version(cost, version=version, message=_cost_stale())
    if locked.expense_id:
        raise ValidationError(_("This cost is booked; its expense is changed in the budget."))
    if locked.event.status == EventStatus.CANCELLED:
        raise ValidationError(_("The costs of a cancelled event cannot change."))
    changed = locked.estimated != estimated
    locked.description, locked.estimated = (description or "").strip(), estimated
    _check_cost(locked)
    warning = ""
    if changed and estimated is not None:
        warning = _commit_estimate(locked, by=by, override_reason=override_reason)
    elif changed and locked.commitment_id and locked.commitment.status == CommitmentStatus.OPEN:
        commitment_release(commitment=locked.commitment)
    return CostSaving(cost=save_new_version(locked), warning=warning)


@transaction.atomic
def event_cost_book(
    *,
    cost: EventCost,
    version: int | None,
    actual: Decimal,
    date: datetime.date,
    payee: str,
    by,
    override_reason: str = "",
) -> CostSaving:
    """Book what the cost actually came to as an expense on the event's line
    (``expense_book``); the expense replaces the cost's open commitment."""
    locked = lock_at_version(cost, version=version, message=_cost_stale())
    event = locked.event
    if locked.expense_id:
        raise ValidationError(_("This cost is booked already."))
    if not event.budget_line_id:
        raise ValidationError({"actual": _("Choose the event's budget line first.")})
    if actual is None or actual < 0:
        raise ValidationError({"actual": _("A cost cannot be negative.")})
    lock_line(event.budget_line)
    open_commitment = (
        locked.commitment if locked.commitment_id and locked.commitment.status == CommitmentStatus.OPEN else None
    )
    if open_commitment is not None:
        # Given back first, so the expense is checked against what is truly
        # available; a refusal below rolls this back with everything else.
        commitment_release(commitment=open_commitment, status=CommitmentStatus.REPLACED)
    try:
        booking = expense_book(
            line=event.budget_line,
            date=date,
            payee=payee,
            description=locked.description,
            by=by,
            amount=actual,
            event=event.title[:200],
            override_reason=override_reason,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "amount" in error.error_dict:
            error.error_dict["actual"] = error.error_dict.pop("amount")
        raise
    locked.actual, locked.expense = booking.expense.amount, booking.expense
    return CostSaving(cost=save_new_version(locked, update_fields=["actual", "expense"]), warning=booking.warning)


# --- guests ---------------------------------------------------------------


def _guest_stale() -> str:
    return _("Someone else changed this guest while you were editing. Reload the page, then make your changes again.")


def _refuse_closed(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("The event is cancelled: its guest list is closed."))


@transaction.atomic
def guest_add(*, event: Event, person: Person, consular_post=None, ambassador=None, note: str = "") -> Guest:
    """Put a person on the guest list (once per event)."""
    _refuse_closed(event)
    if Guest.objects.filter(event=event, person=person).exists():
        raise ValidationError({"person": _("This person is already on the guest list.")})
    guest = Guest(event=event, person=person, consular_post=consular_post, ambassador=ambassador, note=note)
    guest.full_clean(exclude=["version"])
    guest.save()
    return guest


def _invite_many(event: Event, rows: list[tuple[int, dict]]) -> int:
    """Add each (person id, capacity) not yet on the list; how many were added."""
    _refuse_closed(event)
    present = set(event.guests.values_list("person_id", flat=True))
    new = [Guest(event=event, person_id=pk, **capacity) for pk, capacity in rows if pk not in present]
    Guest.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def guests_invite_consular_heads(*, event: Event) -> int:
    """Invite the head of every consular post open on the day of the event."""
    posts = ConsularPost.objects.open_on(timezone.localdate(event.starts_at)).filter(head__isnull=False)
    return _invite_many(event, [(post.head_id, {"consular_post": post}) for post in posts])


@transaction.atomic
def guests_invite_ambassadors(*, event: Event) -> int:
    """Invite every city ambassador serving on the day of the event."""
    ambassadors = Ambassador.objects.serving_on(timezone.localdate(event.starts_at))
    return _invite_many(event, [(ambassador.person_id, {"ambassador": ambassador}) for ambassador in ambassadors])


GUEST_FIELDS = ("answer", "represented_by", "companions", "seat", "note")


@transaction.atomic
def guest_update(*, guest: Guest, version: int | None, **fields) -> Guest:
    """Record a guest's answer (as told to the office), companions, seat or note."""
    unknown = set(fields) - set(GUEST_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on a guest: {sorted(unknown)}")
    locked = lock_at_version(guest, version=version, message=_guest_stale())
    answer_before = locked.answer
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if locked.answer != Answer.REPRESENTED:
        locked.represented_by = ""
    locked.full_clean(exclude=["version"])
    if locked.answer != answer_before:
        locked.answered_at = timezone.now() if locked.answer != Answer.PENDING else None
    return save_new_version(locked)


@transaction.atomic
def guest_remove(*, guest: Guest) -> None:
    guest.delete()


def guest_issue_token(*, guest: Guest) -> str:
    """A new personal RSVP token for the guest (``Guest.issue_token``); the one before stops working."""
    return guest.issue_token()


def guests_send_invitations(*, event: Event, guests, base_url: str) -> int:
    """Queue an invitation email to each of ``guests`` with an email address,
    after the commit (a Celery task issues the token and sends the link).
    How many were queued."""
    from ..tasks import send_event_invitation

    _refuse_closed(event)
    if event.answers_closed(timezone.now()):
        raise ValidationError(_("Answers to this event are no longer accepted; no invitation was sent."))
    queued = 0
    for guest in guests:
        if guest.event_id == event.pk and guest.person.email:
            transaction.on_commit(lambda pk=guest.pk: send_event_invitation.delay(pk, base_url))
            queued += 1
    return queued


class AnswersClosed(Exception):
    """The invitation link no longer takes answers."""


def guest_for_token(token: str) -> Guest | None:
    """The guest a link's token belongs to, or None (a wrong or replaced link)."""
    if not token or len(token) > 200:
        return None
    return Guest.objects.select_related("event", "person").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def rsvp_answer(*, token: str, answer: str, represented_by: str = "", companions: int = 0) -> Guest:
    """A guest's answer through their link. The link must still count
    (``Event.answers_closed``), else ``AnswersClosed``; nothing is changed then."""
    guest = guest_for_token(token)
    if guest is None:
        raise Guest.DoesNotExist
    locked = Guest.objects.select_for_update().get(pk=guest.pk)
    if locked.event.answers_closed(timezone.now()):
        raise AnswersClosed
    if answer not in (Answer.ACCEPTED, Answer.DECLINED, Answer.REPRESENTED):
        raise ValidationError({"answer": _("Choose your answer.")})
    represented_by = (represented_by or "").strip()
    if answer == Answer.REPRESENTED and not represented_by:
        raise ValidationError({"represented_by": _("Say who will represent you.")})
    locked.answer = answer
    locked.represented_by = represented_by if answer == Answer.REPRESENTED else ""
    locked.companions = companions if answer != Answer.DECLINED else 0
    locked.answered_at = timezone.now()
    locked.full_clean(exclude=["version"])
    return save_new_version(locked)


def guests_in_seating_order(event: Event) -> list[Guest]:
    """The guest list as protocol seats it: heads of consular posts in the
    order of precedence (``ConsularPost.objects.in_precedence_order``), then
    the city ambassadors, then officials of our city, then everyone else,
    each group by name."""
    guests = list(
        event.guests.select_related("person__department", "consular_post", "ambassador").order_by("person__name", "pk")
    )
    post_ids = {guest.consular_post_id for guest in guests if guest.consular_post_id}
    rank = {
        pk: index
        for index, pk in enumerate(
            ConsularPost.objects.filter(pk__in=post_ids).in_precedence_order().values_list("pk", flat=True)
        )
    }

    def key(guest):
        if guest.consular_post_id:
            return (0, rank.get(guest.consular_post_id, 0), "")
        if guest.ambassador_id:
            return (1, 0, guest.person.name.casefold())
        if guest.person.department_id:
            return (2, 0, guest.person.name.casefold())
        return (3, 0, guest.person.name.casefold())

    return sorted(guests, key=key)
