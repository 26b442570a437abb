"""Retention: personal data kept only as long as it is needed (GDPR Art. 5(1)(e)).

Each app owns the rules for its own data and registers them here in its
``AppConfig.ready()`` (the core never imports an app, see ``oia.panels``).
The nightly Celery beat job ``oia.tasks.apply_retention`` runs every rule,
each in its own transaction, set-based (one ``update()`` or ``delete()``, no
loop over rows), and idempotent: a second run finds nothing left to do. What
it did is recorded in counts, never names: a ``RetentionRun`` per rule (the
admin lists them) and a ``retention_applied`` security-log event.

The periods are settings (``OIA_RETAIN_*``, see ``oia/settings/base.py``);
the rules read them when they run.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .security import log_event


@dataclass(frozen=True)
class Rule:
    """One retention rule: ``apply(now)`` does the work and returns how many
    records it cleared, anonymised or deleted."""

    name: str
    apply: Callable[[datetime.datetime], int]


_RULES: dict[str, Rule] = {}


def register(name: str, apply: Callable[[datetime.datetime], int]) -> None:
    """Add a rule; registering the same name again replaces it."""
    _RULES[name] = Rule(name, apply)


def rules() -> list[Rule]:
    """The registered rules in the order they were registered."""
    return list(_RULES.values())


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def apply_all(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every rule once, each in one transaction; record and log the counts."""
    from .models import RetentionRun

    now = now or timezone.now()
    counts = {}
    for rule in rules():
        started = time.perf_counter()
        with transaction.atomic():
            count = rule.apply(now)
            seconds = time.perf_counter() - started
            RetentionRun.objects.create(ran_at=now, rule=rule.name, count=count, seconds=round(seconds, 3))
        log_event("retention_applied", rule=rule.name, count=count, seconds=round(seconds, 3))
        counts[rule.name] = count
    return counts


def _deleted(queryset) -> int:
    """Delete ``queryset``; the number of its own rows deleted (not cascades)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


# The core's own rules: notifications, expired sessions, sign-in records.


def delete_old_notifications(now: datetime.datetime) -> int:
    """Read notifications after ``OIA_RETAIN_NOTIFICATIONS_DAYS``, unread ones
    after ``OIA_RETAIN_UNREAD_NOTIFICATIONS_DAYS`` (counted from their creation)."""
    from django.db.models import Q

    from .models import Notification

    read_before = now - datetime.timedelta(days=settings.OIA_RETAIN_NOTIFICATIONS_DAYS)
    unread_before = now - datetime.timedelta(days=settings.OIA_RETAIN_UNREAD_NOTIFICATIONS_DAYS)
    old = Q(read_at__isnull=False, created_at__lt=read_before) | Q(read_at__isnull=True, created_at__lt=unread_before)
    return _deleted(Notification.objects.filter(old))


def delete_expired_sessions(now: datetime.datetime) -> int:
    from django.contrib.sessions.models import Session

    return _deleted(Session.objects.filter(expire_date__lt=now))


def delete_old_sign_in_records(now: datetime.datetime) -> int:
    """django-axes' records of sign-ins and failed attempts (addresses,
    usernames, browsers) after ``OIA_RETAIN_LOGIN_ATTEMPTS_DAYS``. A lockout
    lasts minutes, so deleting months-old attempts lifts nothing that holds."""
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

    before = now - datetime.timedelta(days=settings.OIA_RETAIN_LOGIN_ATTEMPTS_DAYS)
    AccessAttemptExpiration.objects.filter(access_attempt__attempt_time__lt=before).delete()
    models = (AccessAttempt, AccessFailureLog, AccessLog)
    return sum(_deleted(model.objects.filter(attempt_time__lt=before)) for model in models)


def register_core_rules() -> None:
    register("notifications", delete_old_notifications)
    register("expired_sessions", delete_expired_sessions)
    register("sign_in_records", delete_old_sign_in_records)
