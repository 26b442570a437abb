"""Retention rules of the delegations app (registered in ``DelegationsConfig.ready``).

Set-based: each rule is one ``UPDATE`` over the people it concerns, so it
costs the same for ten people as for ten thousand. Participations are never
touched, so every count of a delegation, a year or a report stays the same.
The anonymisation of one person on request (Art. 17) is
``services.anonymise_person``; this is its bulk counterpart for retention.
"""

import datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext

from oia import audit
from oia.retention import register, years_before

from .models import Participant, Person


def _today(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now)


def _took_part(ended_on_or_after: datetime.date | None = None):
    """Whether the person has a participation (in a delegation that ended on
    or after the given day, or in any)."""
    participations = Participant.objects.filter(person=OuterRef("pk"))
    if ended_on_or_after is not None:
        participations = participations.filter(delegation__end_on__gte=ended_on_or_after)
    return Exists(participations)


def people_whose_needs_are_due(today: datetime.date):
    """People with dietary or accessibility needs whose every trip or visit
    ended more than ``OIA_RETAIN_NEEDS_DAYS`` days ago. People in no
    delegation yet keep theirs: they were entered for a visit being planned."""
    last_kept_end = today - datetime.timedelta(days=settings.OIA_RETAIN_NEEDS_DAYS)
    return (
        Person.objects.exclude(dietary_needs="", accessibility_needs="")
        .filter(_took_part())
        .exclude(_took_part(ended_on_or_after=last_kept_end))
    )


def clear_needs(now: datetime.datetime) -> int:
    """GDPR Art. 9 data goes once the visit it was needed for is over."""
    due = people_whose_needs_are_due(_today(now))
    audit.scrub_history(due, dietary_needs="", accessibility_needs="")  # before: the filter reads the needs
    return due.update(dietary_needs="", accessibility_needs="")


def external_people_due(today: datetime.date):
    """External people (no department of ours) not yet anonymised whose last
    delegation ended more than ``OIA_RETAIN_EXTERNAL_PEOPLE_YEARS`` years ago.
    People in no delegation at all are left alone (a visit may be planned)."""
    last_kept_end = years_before(today, settings.OIA_RETAIN_EXTERNAL_PEOPLE_YEARS)
    return (
        Person.objects.filter(department__isnull=True, anonymised_at__isnull=True)
        .filter(_took_part())
        .exclude(_took_part(ended_on_or_after=last_kept_end))
    )


def anonymise_external_people(now: datetime.datetime) -> int:
    """Name → "Anonymised person #<id>", e-mail and needs blanked, marked
    ``anonymised_at``. Title, organisation, city and country stay: they say
    what kind of visitor it was (the report counts mayors by title), not who."""
    with translation.override(settings.LANGUAGE_CODE):
        placeholder = gettext("Anonymised person") + " #"
    due = external_people_due(_today(now))
    audit.scrub_history(  # before: the filter reads anonymised_at
        due,
        name=Concat(Value(placeholder), Cast("pgh_obj_id", CharField())),
        email="",
        dietary_needs="",
        accessibility_needs="",
    )
    return due.update(
        name=Concat(Value(placeholder), Cast("pk", CharField())),
        email="",
        dietary_needs="",
        accessibility_needs="",
        anonymised_at=now,
    )


def register_rules() -> None:
    register("participant_needs", clear_needs)
    register("external_people", anonymise_external_people)
