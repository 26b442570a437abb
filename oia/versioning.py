"""Edits that must not overwrite a colleague's. Every editable record has a
``version``; a form or an API client sends the version it read, and the
edit is refused when the row has moved on since. The row is locked first
(SELECT … FOR UPDATE), so two edits of the same version queue up and only
the first one gets through; every save that changes the record advances
the version, so an old form is refused after it too.

The refusal's wording stays with each service: German needs the noun's
gender ("dieses Austauschs", "diese Delegation"), so the whole sentence is
passed in."""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet


def refuse_stale(row: Model, *, version: int | None, message: str) -> None:
    """Refuse with ``message`` unless ``row`` (already locked) is still at
    ``version``; an edit that names no version is refused too."""
    if version is None or row.version != version:
        raise ValidationError(message)


def lock_at_version(instance: Model, *, version: int | None, message: str, queryset: QuerySet | None = None):
    """The row of ``instance``, locked and checked by ``refuse_stale``."""
    if queryset is None:
        queryset = type(instance)._default_manager.all()
    locked = queryset.select_for_update().get(pk=instance.pk)
    refuse_stale(locked, version=version, message=message)
    return locked


def save_new_version(row: Model, *, update_fields: Iterable[str] | None = None):
    """Save ``row`` as its next version and read it back (the version is
    advanced in SQL, so it never goes back under a concurrent save)."""
    row.version = F("version") + 1
    row.save(update_fields=None if update_fields is None else [*update_fields, "version"])
    row.refresh_from_db()
    return row


def update_locked(instance: Model, locked: Model, **values) -> None:
    """Write ``values`` to the row ``locked`` holds the lock of, and give the
    caller's ``instance`` of it the row as it now is, without reading it
    back: while the lock is held nobody else can change the row, so
    ``locked`` with ``values`` is the row (its next version is its version
    plus one, ``values`` say so)."""
    type(locked)._default_manager.filter(pk=locked.pk).update(**values)
    for name, value in values.items():
        setattr(locked, name, value)
    for field in type(locked)._meta.concrete_fields:
        setattr(instance, field.attname, getattr(locked, field.attname))


def update_versioned(
    instance: Model,
    *,
    version: int | None,
    fields: dict,
    message: str,
    allowed: Iterable[str] | None = None,
    queryset: QuerySet | None = None,
    refuse: Callable[[Model], None] | None = None,
):
    """Apply ``fields`` to the locked row of ``instance`` if it is still at
    ``version``, validate it and save it as the next version.

    ``allowed`` names the fields a caller may change (any other is a
    programming error); ``refuse`` may raise a ValidationError for a row
    that cannot be edited at all (e.g. an accepted exchange)."""
    locked = lock_at_version(instance, version=version, message=message, queryset=queryset)
    if refuse is not None:
        refuse(locked)
    for name, value in fields.items():
        if allowed is not None and name not in allowed:
            raise TypeError(f"Unknown field of {type(locked).__name__}: {name}")
        setattr(locked, name, value)
    locked.full_clean()
    return save_new_version(locked)
