"""The audit trail: who changed what, when and from where.

PostgreSQL triggers (django-pghistory, declared in the top-level ``audit``
app) copy every insert, update and delete of a tracked table into its event
table, whatever wrote it: a form, the API, a bulk ``update()``, raw SQL. What
ties an event to its cause is pghistory's *context*, attached to each writing
SQL statement and stored once per request, task or command:

- a request (``AuditMiddleware``): ``user`` (id) and ``username`` of whoever
  is signed in *when the statement runs* (so a user that DRF authenticates by
  token inside the view counts too), ``path``, ``method`` and ``address``;
- a Celery task (``task_started``/``task_finished``, connected in
  ``oia.celery``): ``task`` (its name) and ``task_id``;
- a management command (``manage.py``): ``command``.

The context's settings are local to the database transaction: writes in a
transaction that outlives the context (rare: a request's or task's transactions
end inside it) are attributed to it too.

The username is stored in the context, not only a foreign key, so deleting a
user keeps their name on what they did; event tables have no database
constraint on anything, so no deletion ever touches them.

Reading: ``history_for(obj)`` (one record's entries, field by field) and
``activity(...)`` (office-wide, for the administrators' Activity page). This
module is core: it finds the event models through pghistory's registry and
imports no app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pghistory
from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from pghistory.core import event_models
from pghistory.models import Events

from .logs import redact
from .security import client_ip
from .text import replaced

# The kinds of event, as the triggers label them.
INSERT, UPDATE, DELETE = "insert", "update", "delete"
ACTIONS = {INSERT: _("created"), UPDATE: _("changed"), DELETE: _("deleted")}


# --- Writing: the context ---------------------------------------------------------------


class Deferred:
    """A context value computed when a statement is sent, not when the context opens:
    the signed-in user is only known after DRF has authenticated the request."""

    def __init__(self, compute):
        self.compute = compute


class ContextEncoder(DjangoJSONEncoder):
    """``PGHISTORY_JSON_ENCODER``: resolves ``Deferred`` values as the context is sent."""

    def default(self, o):
        if isinstance(o, Deferred):
            return o.compute()
        return super().default(o)


def _signed_in(request):
    # Django's request: DRF's Request sets the user it authenticated on it too.
    user = getattr(request, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def request_context(request) -> dict[str, Any]:
    """The context of the writes a request makes."""
    return {
        "user": Deferred(lambda: getattr(_signed_in(request), "pk", None)),
        "username": Deferred(lambda: user.get_username() if (user := _signed_in(request)) else ""),
        "path": redact(request.path),
        "method": request.method,
        "address": client_ip(request),
    }


class AuditMiddleware:
    """Every write a request makes carries who, from where (after the authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pghistory.context(**request_context(request)):
            return self.get_response(request)


_task_contexts: dict[str, pghistory.context] = {}


def task_started(task_id=None, task=None, **kwargs) -> None:
    """Celery's ``task_prerun``: the task's writes carry its name."""
    ctx = pghistory.context(task=getattr(task, "name", str(task)), task_id=task_id)
    ctx.__enter__()
    _task_contexts[task_id] = ctx


def task_finished(task_id=None, **kwargs) -> None:
    """Celery's ``task_postrun``: leave the task's context."""
    ctx = _task_contexts.pop(task_id, None)
    if ctx is not None:
        ctx.__exit__(None, None, None)


# --- Reading ----------------------------------------------------------------------------


@cache
def _event_models() -> dict[type[models.Model], type[models.Model]]:
    """Tracked (concrete) model -> its event model."""
    return {m.pgh_tracked_model._meta.concrete_model: m for m in event_models()}


def event_model_for(model: type[models.Model]) -> type[models.Model] | None:
    """The event model of a tracked model (or of its proxy), None if it is not tracked."""
    return _event_models().get(model._meta.concrete_model)


def is_tracked(model: type[models.Model]) -> bool:
    return event_model_for(model) is not None


def last_changes(*tracked: type[models.Model]) -> dict[type[models.Model], int]:
    """The id of the latest audit event of each tracked model, in ONE query
    (each a look-up of its event table's primary key, however long the trail):
    the marks change whenever a row of the model is written, by any writer.
    0 for a model never written. A model that is not tracked is a mistake."""
    event_tables = []
    for model in tracked:
        event_model = event_model_for(model)
        if event_model is None:
            raise ValueError(f"{model.__name__} is not in the audit trail: its changes cannot be seen")
        event_tables.append(connection.ops.quote_name(event_model._meta.db_table))
    selects = ", ".join(f"(SELECT max(pgh_id) FROM {table})" for table in event_tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")
        marks = cursor.fetchone()
    return {model: mark or 0 for model, mark in zip(tracked, marks, strict=True)}


# A figure kept by ``cached_until_changed`` is dropped after this long even if no
# mark moved: the marks are ids, not commit times, so a write committed after a later
# one (a long transaction) could leave a figure stale; it is then stale this long at most.
UNCHANGED_SECONDS = 300


def cached_until_changed(name: str, marks: dict[type[models.Model], int], compute: Callable[[], Any]) -> Any:
    """``compute()`` once for as long as none of the ``marks`` (``last_changes``)
    moves, in the shared cache: a figure that reads a whole table (the year's
    travel figures, the next jubilees) costs one cheap query on the pages that
    show it again, and is exact after every change."""
    key = "unchanged:" + name + ":" + ":".join(f"{model._meta.label}={mark}" for model, mark in marks.items())
    found = caches["default"].get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        caches["default"].set(key, found, UNCHANGED_SECONDS)
    return found


_MISSING = object()


@dataclass
class Change:
    """One field's change: its name, translated label and values as text (None:
    no value; dates and times in ISO, as the API and the exports give them).
    ``kind`` ("date", "datetime", "time" or "") lets a page show a date value
    in the reader's language: ``old_shown``, ``new_shown``."""

    field: str
    label: str
    old: str | None
    new: str | None
    kind: str = ""

    @property
    def old_shown(self) -> str | None:
        return _shown(self.kind, self.old)

    @property
    def new_shown(self) -> str | None:
        return _shown(self.kind, self.new)


def _shown(kind: str, value: str | None) -> str | None:
    """An ISO date, date-time or time as a page shows it ("4 May 2026, 10:00");
    anything else, or a value that does not parse, as stored."""
    if not kind or not value:
        return value
    try:
        if kind == "date":
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if kind == "time":
            return time_format(datetime.time.fromisoformat(value), "TIME_FORMAT")
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "SHORT_DATETIME_FORMAT")


@dataclass
class Entry:
    """One event of one record.

    ``source``: the context as stored (``path``/``method``/``address`` for a
    request, ``task``/``task_id`` for a Celery task, ``command`` for a management
    command; empty for a write outside all of them, e.g. raw SQL in psql).
    ``previous_known`` is False for the first change seen of a record that
    existed before the audit trail: its old values are not known."""

    id: str
    when: datetime.datetime
    action: str
    model: str
    object_id: str
    user_id: int | None
    username: str
    source: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    previous_known: bool = True

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))

    @property
    def where(self) -> str:
        """Where the change came from, in one line."""
        s = self.source
        if s.get("path"):
            return f"{s.get('method', '')} {s['path']} ({s.get('address', '')})".strip()
        if s.get("task"):
            return _("task %(name)s") % {"name": s["task"]}
        if s.get("command"):
            return _("command %(name)s") % {"name": s["command"]}
        return ""


def _display(model_field: models.Field | None, value) -> str | None:
    if value is None:
        return None
    if model_field is not None and model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _kind(model_field: models.Field | None) -> str:
    """Whether a field holds a date, a date-time or a time (a choice field: none, its label is shown)."""
    if model_field is None or model_field.flatchoices:
        return ""
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.TimeField):
        return "time"
    return ""


def _fields(model: type[models.Model]) -> dict[str, models.Field]:
    """A tracked model's concrete fields by their column's attribute name (``city_id``) and name."""
    found = {}
    for f in model._meta.concrete_fields:
        found[f.attname] = f
        found[f.name] = f
    return found


def _label(model_field: models.Field | None, name: str) -> str:
    return str(model_field.verbose_name) if model_field is not None else name


def _changes(model, old: dict | None, new: dict | None) -> list[Change]:
    fields = _fields(model)
    pk = model._meta.pk.attname
    keys = [k for k in (new or old or {}) if not k.startswith("pgh_") and k != pk]
    changes = []
    for key in keys:
        before = None if old is None else old.get(key)
        after = None if new is None else new.get(key)
        if old is not None and new is not None and before == after:
            continue
        if before in (None, "") and after in (None, ""):
            continue
        f = fields.get(key)
        changes.append(Change(f.name if f else key, _label(f, key), _display(f, before), _display(f, after), _kind(f)))
    return changes


def _snapshot(event, names: list[str]) -> dict[str, Any]:
    return {name: getattr(event, name) for name in names}


def _names(event_model) -> list[str]:
    """The tracked model's columns (attribute names) an event model snapshots."""
    tracked = _fields(event_model.pgh_tracked_model._meta.concrete_model)
    return [f.attname for f in event_model._meta.concrete_fields if f.attname in tracked]


def _event_entry(event_model, event, previous, names) -> Entry:
    """An event as an ``Entry``; ``previous``: the record's event before it (None: none)."""
    model = event_model.pgh_tracked_model._meta.concrete_model
    data = _snapshot(event, names)
    before = None if previous is None or previous.pgh_label == DELETE else _snapshot(previous, names)
    metadata = event.pgh_context.metadata if event.pgh_context_id and event.pgh_context else {}
    entry = _entry(event_model, event.pgh_id, event.pgh_created_at, event.pgh_label, event.pgh_obj_id, metadata)
    if event.pgh_label == INSERT:
        entry.changes = _changes(model, None, data)
    elif event.pgh_label == DELETE:
        entry.changes = _changes(model, data, None)
    elif before is None:
        entry.changes, entry.previous_known = _changes(model, {}, data), False
    else:
        entry.changes = _changes(model, before, data)
    return entry


def history_for(obj: models.Model) -> list[Entry]:
    """Every event of one record, newest first, each with its changes field by field.

    One query whatever the length (the events with their contexts). Empty for
    an untracked model."""
    event_model = event_model_for(type(obj))
    if event_model is None:
        return []
    names = _names(event_model)
    events = event_model.objects.filter(pgh_obj_id=obj.pk).select_related("pgh_context").order_by("pgh_id")
    entries = []
    previous = None
    for event in events:
        entries.append(_event_entry(event_model, event, previous, names))
        previous = event
    entries.reverse()
    return entries


def _entry(event_model, pgh_id, when, label, object_id, metadata) -> Entry:
    metadata = metadata or {}
    source = {k: v for k, v in metadata.items() if k not in ("user", "username")}
    return Entry(
        id=f"{event_model._meta.label}:{pgh_id}",
        when=when,
        action=label,
        model=event_model.pgh_tracked_model._meta.concrete_model._meta.label,
        object_id=str(object_id),
        user_id=metadata.get("user"),
        username=metadata.get("username") or "",
        source=source,
    )


def activity(user=None, model=None, since=None, until=None):
    """Office-wide events, newest first, as a queryset of pghistory's ``Events``
    (``pgh_created_at``, ``pgh_label``, ``pgh_obj_model``, ``pgh_obj_id``,
    ``pgh_data``, ``pgh_diff``, ``pgh_context``) for the Activity page to
    filter, paginate (``[a:b]``), count and export. Show a page through
    ``entries(page)``: reading ``pgh_diff`` on the rows themselves makes
    PostgreSQL compute it for every event of the range first (seconds on a
    busy office); ``describe(row)`` does that for one row.

    ``user``: a User (matched by id) or a username (the name stays after the
    user is deleted); ``model``: a tracked model class (or a list of them);
    ``since``/``until``: datetimes or dates (``until`` a date: the whole day)."""
    if model is None:
        chosen = list(_event_models().values())
    else:
        wanted = model if isinstance(model, (list, tuple)) else [model]
        chosen = [m for m in (event_model_for(w) for w in wanted) if m is not None]
        if not chosen:
            return Events.objects.none()
    qs = Events.objects.across(*chosen).order_by("-pgh_created_at", "-pgh_id")
    if user is not None:
        if isinstance(user, str):
            qs = qs.filter(pgh_context__username=user)
        else:
            qs = qs.filter(pgh_context__user=user.pk)
    if since is not None:
        qs = qs.filter(pgh_created_at__gte=_start(since))
    if until is not None:
        if isinstance(until, datetime.datetime):
            qs = qs.filter(pgh_created_at__lte=until)
        else:
            qs = qs.filter(pgh_created_at__lt=_start(until + datetime.timedelta(days=1)))
    return qs


def _start(day):
    if isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def describe(row) -> Entry:
    """One row of ``activity()`` as an ``Entry``: the changes with translated labels
    (an update's old values from the record's previous event)."""
    event_model = _by_label(row.pgh_model)
    model = event_model.pgh_tracked_model._meta.concrete_model
    data = row.pgh_data or {}
    entry = _entry(event_model, row.pgh_id, row.pgh_created_at, row.pgh_label, row.pgh_obj_id, row.pgh_context)
    if row.pgh_label == INSERT:
        entry.changes = _changes(model, None, data)
    elif row.pgh_label == DELETE:
        entry.changes = _changes(model, data, None)
    elif row.pgh_diff is None:
        entry.changes, entry.previous_known = _changes(model, {}, data), False
    else:
        entry.changes = _changes(
            model, {k: v[0] for k, v in row.pgh_diff.items()}, {k: v[1] for k, v in row.pgh_diff.items()}
        )
    return entry


def entries(rows) -> list[Entry]:
    """A page of ``activity()`` (a slice, e.g. a paginator's ``object_list``) as
    ``Entry``s, in its order. Use it rather than reading the rows' ``pgh_diff``:
    the page's keys are read first (cheap), then each kind of record on the page
    in two queries (its events with their contexts, and the events before them),
    so a page costs the same however many events the office has."""
    keys = list(rows.values_list("pgh_model", "pgh_id")) if hasattr(rows, "values_list") else list(rows)
    by_model: dict[str, list[int]] = {}
    for label, pgh_id in keys:
        by_model.setdefault(label, []).append(pgh_id)
    found = {}
    for label, ids in by_model.items():
        event_model = _by_label(label)
        names = _names(event_model)
        before = event_model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
        events = list(
            event_model.objects.filter(pgh_id__in=ids)
            .select_related("pgh_context")
            .annotate(previous_id=Subquery(before.order_by("-pgh_id").values("pgh_id")[:1]))
        )
        previous = event_model.objects.in_bulk([e.previous_id for e in events if e.previous_id])
        for event in events:
            found[(label, event.pgh_id)] = _event_entry(event_model, event, previous.get(event.previous_id), names)
    return [found[key] for key in keys if key in found]


def _by_label(label: str):
    for m in _event_models().values():
        if m._meta.label == label:
            return m
    raise LookupError(label)


def tracked_models() -> list[type[models.Model]]:
    """The models the audit trail tracks (for the Activity page's "kind of record" filter)."""
    return sorted(_event_models(), key=lambda m: m._meta.label)


# --- Forgetting: erasure and retention ------------------------------------------------
# What erasure (GDPR Art. 17) or a retention period removes from a record must
# go from its recorded history too, or the audit tables would keep every name.
# Each function is one set-based UPDATE per event table.


def scrub_history(rows: models.QuerySet, **values) -> int:
    """Give every recorded event of ``rows`` (a queryset of a tracked model)
    these ``values``: constants, or expressions over the event row, whose
    ``pgh_obj_id`` is the record's key. Call it before changing the records
    when the queryset's filter depends on what changes. Returns the events changed."""
    event_model = event_model_for(rows.model)
    if event_model is None:
        return 0
    snapshot = set(_names(event_model))
    values = {name: value for name, value in values.items() if name in snapshot}
    if not values:
        return 0
    return event_model.objects.filter(pgh_obj_id__in=rows.values("pk")).update(**values)


def scrub_text(old: str, new: str) -> int:
    """Replace ``old`` (a name) by ``new`` in every text of the recorded
    history, as erasure does in the records' own free text."""
    if not old.strip():
        return 0
    changed = 0
    for event_model in _event_models().values():
        for name in _names(event_model):
            if isinstance(event_model._meta.get_field(name), models.CharField | models.TextField):
                changed += event_model.objects.filter(**{f"{name}__contains": old}).update(
                    **{name: replaced(event_model, name, old, new)}
                )
    return changed


def scrub_actor(user_id: int, username: str) -> int:
    """The name an anonymised account acted under becomes ``username`` on
    everything it did (the contexts keep the name so a deleted user's stays)."""
    from pghistory.models import Context

    return Context.objects.filter(metadata__user=user_id).update(
        metadata=models.Func(
            models.F("metadata"),
            models.Value("{username}"),
            models.Func(models.Value(username), function="to_jsonb", template="to_jsonb(%(expressions)s::text)"),
            function="jsonb_set",
            template="jsonb_set(%(expressions)s)",
            output_field=models.JSONField(),
        )
    )
