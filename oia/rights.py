"""The rights of the people in the data (GDPR Art. 15 access, Art. 17 erasure).

Each app knows what it holds about a person; the core must not import the
apps. So, as with ``oia.panels``, apps register a *collector* per kind of
subject (``"person"``, ``"contact"``, ``"user"``) in ``AppConfig.ready()``,
and ``export`` assembles whatever is registered. Anonymising is each owning
app's service (``anonymise_person`` in delegations, ``anonymise_contact`` and
``anonymise_club_leader`` in partners); the core offers the shared pieces.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

# The username an anonymised account gets (plus its id); ``oia_tags.person`` shows
# such an account as "former club leader".
ANONYMISED_USERNAME_PREFIX = "anonymised-"
PERSON_PLACEHOLDER = "Anonymised person #{pk}"
CONTACT_PLACEHOLDER = "Anonymised contact #{pk}"


@dataclass(frozen=True)
class Collector:
    """What one app holds about a subject: ``collect(subject)`` returns the
    records (dicts of field name → JSON-ready value); ``title`` heads them."""

    key: str
    title: Callable[[], str]
    collect: Callable[[Any], list[dict]]


_COLLECTORS: dict[str, dict[str, Collector]] = defaultdict(dict)


def register(kind: str, collector: Collector) -> None:
    """Add ``collector`` for subjects of ``kind``; the same key again replaces it."""
    _COLLECTORS[kind][collector.key] = collector


def collectors(kind: str) -> list[Collector]:
    return list(_COLLECTORS[kind].values())


def plain(value):
    """A model field's value as JSON shows it."""
    if isinstance(value, datetime):
        aware = timezone.is_aware(value)
        return (timezone.localtime(value) if aware else value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # a file: its name only
        return value.name or ""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(obj: Model, fields: list[str] | None = None, **extra) -> dict:
    """``obj`` as a dict of its fields (``fields``, or all concrete ones; a
    foreign key as the related object's text), plus ``extra``."""
    names = fields or [f.name for f in obj._meta.concrete_fields]
    data = {"id": obj.pk}
    for name in names:
        field = obj._meta.get_field(name)
        if field.is_relation:
            data[name] = plain(getattr(obj, name))
        elif field.choices:
            data[name] = str(getattr(obj, f"get_{name}_display")())
        else:
            data[name] = plain(field.value_from_object(obj))
    data.update({key: plain(value) for key, value in extra.items()})
    return data


def audit_history(kind: str, subject) -> list[dict]:
    """Every recorded change of the subject's own record (the audit trail,
    ``oia.audit``), oldest first: when, what, by whom, from where, and each
    field's old and new value."""
    from . import audit

    return [
        {
            "when": timezone.localtime(entry.when).isoformat(timespec="seconds"),
            "action": str(entry.action_label),
            "by": entry.username,
            "where": str(entry.where),
            "changes": [{"field": str(c.label), "old": c.old, "new": c.new} for c in entry.changes],
        }
        for entry in reversed(audit.history_for(subject))
    ]


def export(kind: str, subject) -> dict:
    """Everything registered about ``subject`` (Art. 15), JSON-ready."""
    sections = []
    for collector in collectors(kind):
        records = collector.collect(subject)
        sections.append({"key": collector.key, "title": str(collector.title()), "records": records})
    return {
        "subject": {"kind": kind, "id": subject.pk, "name": str(subject)},
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "sections": sections,
        "history": audit_history(kind, subject),
    }


def as_json(data: dict) -> str:
    return DjangoJSONEncoder(ensure_ascii=False, indent=2).encode(data)


def clean_reason(reason: str) -> str:
    """The reason an anonymisation is recorded with: required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for anonymising (for example the person's request).")})
    return reason


def scrub_admin_log(obj: Model, placeholder: str) -> None:
    """The Django admin's log keeps each object's text: replace it too."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).update(object_repr=placeholder)


def text_columns() -> list[tuple[str, str]]:
    """Every text column (text, varchar) of every table of our schema, so a
    table added later (the audit trail's, say) is covered without a change here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')"
            " ORDER BY table_name, column_name"
        )
        return list(cursor.fetchall())


def columns_containing(text: str, *, exclude_tables=()) -> dict[str, int]:
    """``"table.column"`` → how many rows contain ``text`` (any case), over
    every text column of the database: the proof that a name is gone."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, column in text_columns():
            if table in exclude_tables:
                continue
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} WHERE strpos(lower({quote(column)}), lower(%s)) > 0",  # noqa: S608
                [text],
            )
            count = cursor.fetchone()[0]
            if count:
                found[f"{table}.{column}"] = count
    return found


def _account(user) -> list[dict]:
    from .roles import Role

    roles = dict(Role.choices)
    return [
        record(
            user,
            ["username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login"],
            roles=", ".join(str(roles[g.name]) for g in user.groups.all() if g.name in roles),
        )
    ]


def _notifications(user) -> list[dict]:
    return [
        record(n, ["text", "url", "created_at", "read_at", "email_status"]) for n in user.notifications.order_by("pk")
    ]


def register_core_collectors() -> None:
    """What the core holds about a user: the account and its notifications."""
    from django.utils.translation import gettext_lazy

    register("user", Collector("account", lambda: gettext_lazy("Account"), _account))
    register("user", Collector("notifications", lambda: gettext_lazy("Notifications"), _notifications))


def render_pdf(data: dict, *, subject_label: str) -> bytes:
    """The export as an A4 PDF (``oia.pdf``: our own stylesheet, nothing fetched)."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from .pdf import print_pdf

    html = render_to_string(
        "oia/rights_export_pdf.html",
        {"data": data, "subject_label": subject_label, "home_city": settings.OIA_HOME_CITY},
    )
    return print_pdf(html, "css/report-print.css")
