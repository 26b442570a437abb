"""Writes of the delegations app: creating and editing delegations, their
participants, the workflow, and central travel coordination. A delegation's
own records (programme, costs, gifts, outcomes) are written by ``records``;
its public writes are importable from here too.

Workflow (every step is recorded as a Transition with who, when and why):
  outbound: draft → submitted → approved → completed;
            submitted → rejected → draft; submitted → draft (withdrawn);
            draft/submitted/approved → cancelled; approved → submitted (re-approval)
  inbound:  requested → confirmed → completed; requested/confirmed → cancelled
Approving an outbound trip needs a working programme and the admin role;
confirming an official inbound visit needs a programme; completing a trip
needs a trip report, and is refused while actual costs exceed the approved
estimate by more than OIA_REAPPROVAL_THRESHOLD_PERCENT. Approval commits the
estimate to the trip's budget line under the budget's rules (an overdraft of a
line-item line is refused unless an administrator gives a reason, and the
refusal undoes the step); cancelling releases the commitment.

Coordination: a trip is compared with other outbound trips to the same city
(or only the same country: a weaker match) whose dates overlap or lie within
OIA_COORDINATION_WINDOW_DAYS, and with inbound delegations from that city in
the window. Matches become CoordinationCases and notify the organisers. The
same traveller on two overlapping trips is an error; trips that only share
their first/last day (back to back) are allowed.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oia import audit, rights
from oia.notifications import notify
from oia.roles import ADMINS, has_role
from oia.security import log_event
from oia.text import replaced
from oia.versioning import lock_at_version, save_new_version, update_locked
from partners.models import Partnership

from ..choices import CaseState, DelegationStatus, Direction, MatchKind, ParticipantRole
from ..models import (
    INACTIVE_STATUSES,
    CoordinationCase,
    Delegation,
    Gift,
    Outcome,
    Participant,
    Person,
    ProgrammeItem,
    Transition,
)
from ..selectors import active_partnerships_of
from ..signals import delegation_status_changed
from .records import delegation_record_create as delegation_record_create
from .records import delegation_record_delete as delegation_record_delete
from .records import delegation_record_update as delegation_record_update

S = DelegationStatus
TRANSITIONS = {
    Direction.OUTBOUND: {
        S.DRAFT: {S.SUBMITTED, S.CANCELLED},
        S.SUBMITTED: {S.APPROVED, S.REJECTED, S.DRAFT, S.CANCELLED},
        S.APPROVED: {S.COMPLETED, S.CANCELLED, S.SUBMITTED},
        S.REJECTED: {S.DRAFT},
        S.COMPLETED: set(),
        S.CANCELLED: set(),
    },
    Direction.INBOUND: {
        S.REQUESTED: {S.CONFIRMED, S.CANCELLED},
        S.CONFIRMED: {S.COMPLETED, S.CANCELLED},
        S.COMPLETED: set(),
        S.CANCELLED: set(),
    },
}
INITIAL_STATUS = {Direction.OUTBOUND: S.DRAFT, Direction.INBOUND: S.REQUESTED}


class TransitionNotAllowed(Exception):
    """A workflow step that the rules refuse; the message says why."""


def allowed_transitions(delegation: Delegation) -> list[str]:
    return sorted(TRANSITIONS[delegation.direction].get(delegation.status, set()))


def role_refusal(delegation: Delegation, to_status: str, user) -> str | None:
    """Why ``user``'s role may not take the step at all, or None. The page
    leaves such steps out; the workflow refuses them with this reason."""
    if delegation.is_outbound and to_status == S.APPROVED and not has_role(user, ADMINS):
        return _("Only an OIA administrator can approve a trip.")
    return None


def steps_for(delegation: Delegation, user) -> list[str]:
    """The steps the workflow allows from here that ``user``'s role may take."""
    return [status for status in allowed_transitions(delegation) if role_refusal(delegation, status, user) is None]


def partnership_from_city(city) -> Partnership | None:
    """The partnership a delegation to or from ``city`` belongs to when none is
    given: its active partnership, if it has exactly one."""
    if city is None:
        return None
    active = list(active_partnerships_of(city.pk)[:2])
    return active[0] if len(active) == 1 else None


# --- delegations ---------------------------------------------------------


@transaction.atomic
def delegation_create(*, created_by, **fields) -> Delegation:
    delegation = Delegation(**fields)
    if delegation.partnership_id is None and delegation.city_id:
        delegation.partnership = partnership_from_city(delegation.city)
    delegation.status = INITIAL_STATUS[delegation.direction]
    delegation.created_by = created_by
    delegation.full_clean()
    delegation.save()
    Transition.objects.create(
        delegation=delegation, from_status="", to_status=delegation.status, by=created_by, comment=_("Created.")
    )
    coordination_refresh(delegation)
    return delegation


@transaction.atomic
def delegation_update(*, delegation: Delegation, version: int, by=None, **fields) -> Delegation:
    """Save an edit made on ``version``; refuse it if someone saved in between.
    Works on the locked row, so a refused edit leaves ``delegation`` untouched."""
    locked = lock_at_version(
        delegation,
        version=version,
        message=_(
            "Someone else changed this delegation while you were editing it. "
            "Reload the page to see their changes, then make yours again."
        ),
    )
    if "direction" in fields and fields["direction"] != locked.direction:
        raise ValidationError({"direction": _("The direction of a delegation cannot be changed.")})
    city_before = locked.city_id
    for name, value in fields.items():
        setattr(locked, name, value)
    if locked.partnership_id is None and locked.city_id and locked.city_id != city_before:
        locked.partnership = partnership_from_city(locked.city)
    locked.full_clean()
    _check_lead(locked)
    _check_travellers(locked, locked.participants.values_list("person", flat=True))
    save_new_version(locked)
    coordination_refresh(locked)
    return locked


def _check_lead(delegation: Delegation) -> None:
    if delegation.lead_id and not delegation.participants.filter(person_id=delegation.lead_id).exists():
        raise ValidationError({"lead": _("The head of delegation must be one of its participants.")})


def traveller_conflicts(delegation: Delegation, person_ids) -> list[tuple]:
    """(participant, other delegation) for people who would be on two
    overlapping delegations. Two trips of more than one day may share their
    last/first day (back to back); a day trip clashes with anything that day."""
    others = (
        Participant.objects.filter(person_id__in=list(person_ids))
        .exclude(delegation=delegation)
        .exclude(delegation__status__in=INACTIVE_STATUSES)
        .filter(delegation__start_on__lte=delegation.end_on, delegation__end_on__gte=delegation.start_on)
    )
    if delegation.start_on < delegation.end_on:
        multi_day = Q(delegation__start_on__lt=F("delegation__end_on"))
        back_to_back = Q(delegation__end_on=delegation.start_on) | Q(delegation__start_on=delegation.end_on)
        others = others.exclude(multi_day & back_to_back)
    return [(clash, clash.delegation) for clash in others.select_related("person", "delegation")]


def _check_travellers(delegation: Delegation, person_ids) -> None:
    if delegation.status in INACTIVE_STATUSES:
        return
    conflicts = traveller_conflicts(delegation, person_ids)
    if conflicts:
        clash, other = conflicts[0]
        raise ValidationError(
            _("%(person)s is already travelling with “%(other)s” (%(start)s – %(end)s).")
            % {
                "person": clash.person.name,
                "other": other.title,
                "start": date_format(other.start_on, "DATE_FORMAT"),
                "end": date_format(other.end_on, "DATE_FORMAT"),
            }
        )


# --- participants --------------------------------------------------------


@transaction.atomic
def participant_add(
    *, delegation: Delegation, person, role: str = ParticipantRole.MEMBER, sector: str = "government"
) -> Participant:
    return participants_add(delegation=delegation, members=[(person, role, sector)])[0]


@transaction.atomic
def participants_add(*, delegation: Delegation, members: list[tuple]) -> list[Participant]:
    """Add everyone of ``members`` (person, role, sector) to ``delegation``
    under the rules of adding one: nobody twice, no traveller on two
    overlapping trips, the first lead becomes head of the delegation if it has
    none. A whole party costs one lock, one check of each rule and one insert,
    not one of each a person."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    person_ids = [person.pk for person, _role, _sector in members]
    if len(set(person_ids)) < len(person_ids) or delegation.participants.filter(person__in=person_ids).exists():
        raise ValidationError({"person": _("This person is already a participant of this delegation.")})
    if Person.objects.filter(pk__in=person_ids).count() < len(person_ids):
        raise ValidationError({"person": _("This person no longer exists. Reload the page and choose again.")})
    _check_travellers(delegation, person_ids)
    participants = [
        Participant(delegation=delegation, person=person, role=role, sector=sector) for person, role, sector in members
    ]
    for participant in participants:
        # The delegation is the row locked above, the people were found above
        # and the check above is the once-per-delegation constraint: checking
        # them again took a query a person.
        participant.full_clean(exclude=["delegation", "person"])
    Participant.objects.bulk_create(participants)
    lead = next((p.person for p in participants if p.role == ParticipantRole.LEAD), None)
    if lead is not None and not locked.lead_id:
        update_locked(delegation, locked, lead_id=lead.pk, version=locked.version + 1)
    return participants


@transaction.atomic
def participant_add_new_person(
    *, delegation: Delegation, person_fields: dict, role: str = ParticipantRole.MEMBER, sector: str = "government"
) -> Participant:
    """Record a new person (checked as the person form checks, by the caller's
    form and the model) and add them to ``delegation`` in one step, so a
    refused participant leaves no stray person behind."""
    person = Person(**person_fields)
    person.full_clean()
    person.save()
    return participant_add(delegation=delegation, person=person, role=role, sector=sector)


@transaction.atomic
def participant_remove(*, participant: Participant) -> None:
    delegation = participant.delegation
    if delegation.lead_id == participant.person_id:
        Delegation.objects.filter(pk=delegation.pk).update(lead=None, version=F("version") + 1)
    participant.delete()


@transaction.atomic
def head_count_set(*, delegation: Delegation, head_count: int, note: str = "") -> Delegation:
    if head_count is None or head_count < 0:
        raise ValidationError({"head_count": _("The head-count cannot be below zero.")})
    Delegation.objects.filter(pk=delegation.pk).update(
        head_count=head_count, head_count_note=note, version=F("version") + 1
    )
    delegation.refresh_from_db()
    return delegation


# --- workflow ------------------------------------------------------------


def _threshold() -> Decimal:
    return Decimal(100 + settings.OIA_REAPPROVAL_THRESHOLD_PERCENT) / Decimal(100)


def needs_reapproval(delegation: Delegation) -> bool:
    """Actual costs above the approved estimate by more than the threshold."""
    if delegation.approved_estimate is None:
        return False
    return delegation.actual_total() > delegation.approved_estimate * _threshold()


def _refusal(delegation: Delegation, to_status: str, by) -> str | None:
    """Why the step is not allowed, or None."""
    if to_status not in TRANSITIONS[delegation.direction].get(delegation.status, set()):
        return _("A delegation that is “%(current)s” cannot become “%(target)s”.") % {
            "current": S(delegation.status).label,
            "target": S(to_status).label,
        }
    if refusal := role_refusal(delegation, to_status, by):
        return refusal
    if delegation.is_outbound and to_status == S.APPROVED and not delegation.programme.exists():
        return _("A trip cannot be approved without a working programme.")
    if (
        not delegation.is_outbound
        and to_status == S.CONFIRMED
        and delegation.official_guest
        and not delegation.programme.exists()
    ):
        return _("An official visit cannot be confirmed without a working programme.")
    if to_status == S.COMPLETED:
        if delegation.is_outbound and not delegation.trip_report.strip():
            return _("Write a short trip report (outcomes) before completing the trip.")
        if delegation.is_outbound and needs_reapproval(delegation):
            return _(
                "Actual costs exceed the approved estimate by more than %(percent)s %%: "
                "submit the trip for re-approval first."
            ) % {"percent": settings.OIA_REAPPROVAL_THRESHOLD_PERCENT}
    return None


@transaction.atomic
def delegation_transition(
    *, delegation: Delegation, to_status: str, by, comment: str = "", override_reason: str = ""
) -> Transition:
    """Move the delegation one step; raise TransitionNotAllowed with the reason.
    ``override_reason`` is an administrator's reason to approve a trip beyond
    what its budget line has available (the budget decides whether it is
    needed). The returned step carries ``warning``: what the higher apps
    want the person to know (e.g. a discretionary line now overdrawn), or ""."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    reason = _refusal(locked, to_status, by)
    if reason:
        raise TransitionNotAllowed(reason)
    step = Transition.objects.create(
        delegation=locked, from_status=locked.status, to_status=to_status, by=by, comment=comment
    )
    from_status = locked.status
    updates = {"status": to_status, "version": locked.version + 1}
    if to_status == S.APPROVED:
        updates["approved_estimate"] = max(locked.estimated_total(), locked.actual_total())
    update_locked(delegation, locked, **updates)
    # The budget commits an approved trip's estimate and releases it on cancelling;
    # its refusal (a line-item line overdrawn without a reason) undoes the step.
    try:
        answers = delegation_status_changed.send(
            sender=Delegation,
            delegation=delegation,
            from_status=from_status,
            to_status=to_status,
            by=by,
            override_reason=override_reason,
        )
    except ValidationError as refusal:
        raise TransitionNotAllowed(" ".join(refusal.messages)) from refusal
    step.warning = " ".join(answer for _receiver, answer in answers if isinstance(answer, str) and answer)
    if to_status in (S.SUBMITTED, S.CONFIRMED):
        coordination_refresh(delegation)
    if to_status in INACTIVE_STATUSES:
        CoordinationCase.objects.filter(Q(trip=delegation) | Q(other=delegation), state=CaseState.OPEN).delete()
    return step


# --- coordination --------------------------------------------------------


def coordination_matches(delegation: Delegation) -> list[tuple[Delegation, str]]:
    """Other delegations this one should be coordinated with, and how they match.
    Symmetric: a visit from a city matches the trips to that city."""
    if delegation.status in INACTIVE_STATUSES or not delegation.country:
        return []
    window = datetime.timedelta(days=settings.OIA_COORDINATION_WINDOW_DAYS)
    nearby = (
        Delegation.objects.taking_place()
        .exclude(pk=delegation.pk)
        .filter(start_on__lte=delegation.end_on + window, end_on__gte=delegation.start_on - window)
        .select_related("department", "city")
    )
    if not delegation.is_outbound:
        if not delegation.city_id:
            return []
        trips = nearby.filter(direction=Direction.OUTBOUND, city_id=delegation.city_id)
        return [(trip, MatchKind.INBOUND_FROM_CITY) for trip in trips]
    nearby = list(nearby)
    # Travellers only tell trips of the same department apart: without such a
    # trip nearby (the common case) nobody's travellers are read.
    same_department = [o.pk for o in nearby if o.is_outbound and o.department_id == delegation.department_id]
    travellers, shared = set(), {}
    if same_department:
        travellers = set(delegation.participants.values_list("person_id", flat=True))
        shared = {pk: set(ids) for pk, ids in _travellers_by_delegation(same_department).items()}
    matches = []
    for other in nearby:
        same_city = delegation.city_id and other.city_id == delegation.city_id
        if other.is_outbound:
            independent = other.department_id != delegation.department_id or not (
                travellers & shared.get(other.pk, set())
            )
            if not independent:
                continue
            if same_city:
                matches.append((other, MatchKind.SAME_CITY))
            elif other.country == delegation.country:
                matches.append((other, MatchKind.SAME_COUNTRY))
        elif same_city:
            matches.append((other, MatchKind.INBOUND_FROM_CITY))
    return matches


def _travellers_by_delegation(delegations) -> dict[int, list[int]]:
    rows = Participant.objects.filter(delegation__in=delegations).values_list("delegation_id", "person_id")
    result: dict[int, list[int]] = {}
    for delegation_id, person_id in rows:
        result.setdefault(delegation_id, []).append(person_id)
    return result


def coordination_refresh(delegation: Delegation) -> list[CoordinationCase]:
    """Record new coordination cases for ``delegation`` and notify both
    organisers; drop open cases that no longer match."""
    matches = {other.pk: (other, kind) for other, kind in coordination_matches(delegation)}
    existing = {
        (case.trip_id if case.other_id == delegation.pk else case.other_id): case
        for case in CoordinationCase.objects.filter(Q(trip=delegation) | Q(other=delegation))
    }
    for other_pk, case in existing.items():
        if other_pk not in matches and case.state == CaseState.OPEN:
            case.delete()
    new_cases = []
    for other_pk, (other, kind) in matches.items():
        if other_pk in existing:
            continue
        first, second = sorted([delegation.pk, other_pk])
        case = CoordinationCase.objects.create(trip_id=first, other_id=second, match=kind)
        new_cases.append(case)
        notify(
            [delegation.created_by, other.created_by],
            text=_("Coordination: “%(trip)s” and “%(other)s” go to the same place at about the same time.")
            % {"trip": delegation.title, "other": other.title},
            url=reverse("delegations:coordination-list"),
        )
    return new_cases


@transaction.atomic
def coordination_resolve(*, case: CoordinationCase, by, comment: str) -> CoordinationCase:
    if case.state == CaseState.COORDINATED:
        raise ValidationError(_("This case was already marked as coordinated."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say how the trips were coordinated.")})
    case.state = CaseState.COORDINATED
    case.comment = comment.strip()
    case.resolved_by = by
    case.resolved_at = timezone.now()
    case.save(update_fields=["state", "comment", "resolved_by", "resolved_at"])
    return case


# Free text of the delegations app that may name a person: on anonymising, the
# name is replaced there too (the counts read none of it).
FREE_TEXT = {
    Delegation: ("title", "head_count_note", "public_summary", "internal_notes", "trip_report"),
    ProgrammeItem: ("title", "place", "hosts", "counterparts"),
    Gift: ("description", "counterpart"),
    Outcome: ("description",),
    Transition: ("comment",),
    CoordinationCase: ("comment",),
}


def replace_in_free_text(old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the app's free text, in SQL, touching only the rows that contain it."""
    for model, fields in FREE_TEXT.items():
        for name in fields:
            model.objects.filter(**{f"{name}__contains": old}).update(**{name: replaced(model, name, old, new)})


@transaction.atomic
def anonymise_person(person: Person, *, by, reason: str) -> Person:
    """Erase a person (GDPR Art. 17): the name becomes a placeholder, the
    e-mail and the dietary and accessibility needs go, and so does the name
    wherever the app's free text repeats it. The record, its participations
    (so every count) and the title (the report counts the mayor's trips by it)
    stay; who anonymised, when and why is kept, the name is not."""
    reason = rights.clean_reason(reason)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_anonymised:
        raise ValidationError(_("This person was already anonymised."))
    old_name = person.name
    placeholder = rights.PERSON_PLACEHOLDER.format(pk=person.pk)
    person.name = placeholder
    person.email = person.dietary_needs = person.accessibility_needs = ""
    person.anonymised_at = timezone.now()
    person.anonymised_by = by
    person.anonymisation_reason = reason
    audit.scrub_history(
        Person.objects.filter(pk=person.pk), name=placeholder, email="", dietary_needs="", accessibility_needs=""
    )
    person.save()
    if old_name.strip():
        replace_in_free_text(old_name, placeholder)
        audit.scrub_text(old_name, placeholder)
    rights.scrub_admin_log(person, placeholder)
    log_event("person_anonymised", user=by, person_id=person.pk, official=person.is_official)
    return person
