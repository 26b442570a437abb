"""City ambassadors: appointing them, ending their term, logging what they
did; a delegation they organised becomes an official one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from delegations.choices import DelegationStatus, Direction
from delegations.models import Delegation
from oia.versioning import lock_at_version, save_new_version, update_versioned

from ..choices import ActivityKind
from ..models import Ambassador, AmbassadorActivity

# A city ambassador is appointed for a term and may be ended on a date; their
# activities are logged. An activity "delegation organised" names the
# delegation, which makes it an official one (``delegation_make_official``).
# Every edit names the version it read (``oia.versioning``).


AMBASSADOR_FIELDS = ["person", "city", "tie", "appointed_on", "until", "areas", "notes"]
ACTIVITY_FIELDS = ["date", "kind", "description", "delegation"]
# A delegation that no longer takes place cannot have been organised by anyone.
NOT_TAKING_PLACE = (DelegationStatus.CANCELLED, DelegationStatus.REJECTED)


def ambassador_stale_message() -> str:
    return _(
        "Someone else changed this city ambassador while you were editing. "
        "Reload the page to see their changes, then make yours again."
    )


def activity_stale_message() -> str:
    return _(
        "Someone else changed this activity while you were editing it. "
        "Reload the page to see their changes, then make yours again."
    )


def _check_person_free(ambassador: Ambassador) -> None:
    """One ambassadorship per person: said in the office's words before the database refuses it."""
    taken = Ambassador.objects.filter(person_id=ambassador.person_id).exclude(pk=ambassador.pk)
    if ambassador.person_id and taken.exists():
        raise ValidationError({"person": _("This person is already a city ambassador.")})


@transaction.atomic
def ambassador_create(**fields) -> Ambassador:
    """Appoint a city ambassador."""
    unknown = set(fields) - set(AMBASSADOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields of Ambassador: {sorted(unknown)}")
    ambassador = Ambassador(**fields)
    _check_person_free(ambassador)
    ambassador.full_clean()
    ambassador.save()
    return ambassador


@transaction.atomic
def ambassador_update(*, ambassador: Ambassador, version: int | None, **fields) -> Ambassador:
    """Save an edit made on ``version``; refuse it if someone saved in between."""
    if "person" in fields:
        _check_person_free(Ambassador(pk=ambassador.pk, person=fields["person"]))
    return update_versioned(
        ambassador, version=version, fields=fields, message=ambassador_stale_message(), allowed=AMBASSADOR_FIELDS
    )


@transaction.atomic
def ambassador_end(*, ambassador: Ambassador, version: int | None, until) -> Ambassador:
    """End the appointment on ``until``: not before the day of the appointment."""
    locked = lock_at_version(ambassador, version=version, message=ambassador_stale_message())
    if until is None:
        raise ValidationError({"until": _("Give the last day of the appointment.")})
    if until < locked.appointed_on:
        raise ValidationError(
            {
                "until": _("The appointment cannot end before it started (%(day)s).")
                % {"day": date_format(locked.appointed_on, "DATE_FORMAT")}
            }
        )
    locked.until = until
    return save_new_version(locked, update_fields=["until"])


def _check_activity(activity: AmbassadorActivity) -> None:
    """The delegation of an activity: named exactly when it is one the
    ambassador organised, taking place, and organised by one ambassador only."""
    delegation = activity.delegation
    if activity.kind != ActivityKind.DELEGATION:
        if delegation is not None:
            raise ValidationError(
                {
                    "delegation": _(
                        "Only an activity “delegation organised” names a delegation. Remove it or change the kind."
                    )
                }
            )
        return
    if delegation is None:
        raise ValidationError({"delegation": _("Choose the delegation the ambassador organised.")})
    if delegation.status in NOT_TAKING_PLACE:
        raise ValidationError({"delegation": _("This delegation was cancelled or rejected, so nobody organised it.")})
    taken = AmbassadorActivity.objects.filter(delegation=delegation).exclude(pk=activity.pk)
    if taken.exists():
        raise ValidationError(
            {"delegation": _("This delegation is already recorded as organised by a city ambassador.")}
        )


def delegation_make_official(delegation: Delegation) -> Delegation:
    """A delegation organised by a city ambassador counts as official.

    In this codebase "official" is what the council report counts: an inbound
    delegation counts as official when it is the city's official guest
    (``official_guest``, the visitors section's "Delegations hosted as
    official guests"), so the flag is set, on the locked row, as a new version
    of the delegation, and its own rules are checked (``Delegation.clean``).
    The workflow confirms an official visit only with its working programme,
    so a visit already confirmed without one is refused rather than made
    official behind the workflow's back.

    An outbound trip needs no flag: every trip abroad of our officials is an
    official trip (the travel section counts them all), and
    ``Delegation.clean`` refuses ``official_guest`` on a trip abroad. The link
    from the activity is the record that an ambassador organised it.

    Unlinking an activity later leaves the flag as it is: the office may have
    decided to host the visitors anyway, and the delegation's form shows it."""
    if delegation.direction != Direction.INBOUND:
        return delegation
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.official_guest:
        return locked
    confirmed = locked.status in (DelegationStatus.CONFIRMED, DelegationStatus.COMPLETED)
    if confirmed and not locked.programme.exists():
        raise ValidationError(
            {
                "delegation": _(
                    "“%(title)s” was confirmed without a working programme; an official visit needs one. "
                    "Add its programme to the delegation first."
                )
                % {"title": locked.title}
            }
        )
    locked.official_guest = True
    locked.full_clean()
    return save_new_version(locked, update_fields=["official_guest"])


@transaction.atomic
def activity_create(*, ambassador: Ambassador, **fields) -> AmbassadorActivity:
    """Log an activity; a delegation organised becomes an official one."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields of AmbassadorActivity: {sorted(unknown)}")
    activity = AmbassadorActivity(ambassador=ambassador, **fields)
    _check_activity(activity)
    activity.full_clean()
    activity.save()
    if activity.delegation is not None:
        delegation_make_official(activity.delegation)
    return activity


@transaction.atomic
def activity_update(*, activity: AmbassadorActivity, version: int | None, **fields) -> AmbassadorActivity:
    """Save an edit made on ``version``; a newly named delegation becomes an official one."""
    locked = lock_at_version(activity, version=version, message=activity_stale_message())
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(f"Unknown field of AmbassadorActivity: {name}")
        setattr(locked, name, value)
    _check_activity(locked)
    locked.full_clean()
    saved = save_new_version(locked)
    if saved.delegation_id is not None:
        delegation_make_official(saved.delegation)
    return saved


@transaction.atomic
def activity_delete(*, activity: AmbassadorActivity, version: int | None) -> None:
    """Remove an activity as it was at ``version``."""
    locked = lock_at_version(activity, version=version, message=activity_stale_message())
    locked.delete()
