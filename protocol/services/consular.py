"""Consular posts: opening, editing, closing and reopening them on record,
and the office's part in their national days."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oia.versioning import lock_at_version, save_new_version, update_versioned

from ..choices import ObservanceKind
from ..models import ConsularPost, NationalDayObservance

POST_FIELDS = frozenset(
    f.name
    for f in ConsularPost._meta.get_fields()
    if f.concrete and f.name not in {"id", "version", "created_at", "updated_at", "closed_on", "contacts"}
)


def _stale_post() -> str:
    return _(
        "Someone else changed this consular post while you were editing it. "
        "Reload the page to see their changes, then make yours again."
    )


@transaction.atomic
def post_create(*, contacts=(), **fields) -> ConsularPost:
    """A new post, open (it is closed only through ``post_close``, on record)."""
    unknown = set(fields) - POST_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields of ConsularPost: {sorted(unknown)}")
    post = ConsularPost(**fields)
    post.full_clean(exclude=["version"])
    post.save()
    post.contacts.set(contacts)
    return post


@transaction.atomic
def post_update(*, post: ConsularPost, version: int | None, contacts=None, **fields) -> ConsularPost:
    """Save an edit made on ``version``; refused if someone saved in between.
    The closing date is not edited here: ``post_close`` and ``post_reopen`` keep it on record."""
    locked = update_versioned(post, version=version, fields=fields, allowed=POST_FIELDS, message=_stale_post())
    if contacts is not None:
        locked.contacts.set(contacts)
    return locked


@transaction.atomic
def post_close(*, post: ConsularPost, closed_on: datetime.date, reason: str, version: int | None) -> ConsularPost:
    """Record that the post closed on ``closed_on``. Refused when it is closed
    already or the date is before its opening. The reason goes to the notes,
    dated, and the audit trail keeps the change."""
    locked = lock_at_version(post, version=version, message=_stale_post())
    if locked.closed_on is not None:
        raise ValidationError(
            _("This post is closed already (on %(date)s).") % {"date": date_format(locked.closed_on, "DATE_FORMAT")}
        )
    if locked.opened_on is not None and closed_on < locked.opened_on:
        raise ValidationError(
            {
                "closed_on": _("A post cannot close before it opened (on %(date)s).")
                % {"date": date_format(locked.opened_on, "DATE_FORMAT")}
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the post closed.")})
    locked.closed_on = closed_on
    locked.notes = _note(
        locked.notes,
        _("Closed on %(date)s: %(reason)s") % {"date": date_format(closed_on, "DATE_FORMAT"), "reason": reason},
    )
    return save_new_version(locked, update_fields=["closed_on", "notes", "updated_at"])


@transaction.atomic
def post_reopen(*, post: ConsularPost, reason: str, version: int | None) -> ConsularPost:
    """Undo a closing recorded by mistake: the post is open again; the notes
    say when it had been recorded as closed and why it was reopened."""
    locked = lock_at_version(post, version=version, message=_stale_post())
    if locked.closed_on is None:
        raise ValidationError(_("This post is open: there is no closing to undo."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the closing is undone.")})
    note = _("Reopened (the closing on %(date)s was undone): %(reason)s") % {
        "date": date_format(locked.closed_on, "DATE_FORMAT"),
        "reason": reason,
    }
    locked.closed_on = None
    locked.notes = _note(locked.notes, note)
    return save_new_version(locked, update_fields=["closed_on", "notes", "updated_at"])


def _note(notes: str, line: str) -> str:
    return f"{notes.rstrip()}\n{line}" if notes.strip() else line


def _check_observance(observance: NationalDayObservance) -> None:
    errors = {}
    if observance.kind not in ObservanceKind.values:
        errors["kind"] = _("Choose what the office did.")
    if observance.kind == ObservanceKind.REPRESENTED and observance.represented_by_id is None:
        if not observance.note.strip():
            errors["represented_by"] = _("Say who represented the city (a person or a note).")
    if errors:
        raise ValidationError(errors)
    twin = NationalDayObservance.objects.filter(post_id=observance.post_id, date__year=observance.date.year)
    if observance.pk:
        twin = twin.exclude(pk=observance.pk)
    if twin.exists():
        raise ValidationError(
            _("The office's part in the national day of %(post)s in %(year)s is already recorded.")
            % {"post": observance.post.name, "year": observance.date.year}
        )


@transaction.atomic
def observance_record(
    *, post: ConsularPost, date: datetime.date, kind: str, note: str = "", represented_by=None, by=None
) -> NationalDayObservance:
    """Record what the office did on a post's national day; once a year per post."""
    ConsularPost.objects.select_for_update().get(pk=post.pk)  # two clicks at once queue up here
    observance = NationalDayObservance(
        post=post, date=date, kind=kind, note=(note or "").strip(), represented_by=represented_by, recorded_by=by
    )
    _check_observance(observance)
    observance.full_clean(exclude=["version", "recorded_by"])
    observance.save()
    return observance


@transaction.atomic
def observance_update(*, observance: NationalDayObservance, version: int | None, by=None, **fields):
    """Change what was recorded, on the version that was read."""
    locked = lock_at_version(
        observance,
        version=version,
        message=_(
            "Someone else changed this record of the national day while you were editing it. "
            "Reload the page to see their change, then make yours again."
        ),
    )
    for name, value in fields.items():
        if name not in {"date", "kind", "note", "represented_by", "post"}:
            raise TypeError(f"Unknown field of NationalDayObservance: {name}")
        setattr(locked, name, value)
    locked.note = (locked.note or "").strip()
    _check_observance(locked)
    locked.full_clean(exclude=["version", "recorded_by"])
    if by is not None:
        locked.recorded_by = by
    return save_new_version(locked)
