"""The security log, and the client address it and the lockout rely on.

Every security event is one record on the ``oia.security`` logger, written as
one JSON object a line (``JsonFormatter``), so a city's log collector can read
it without a parser of its own: sign-ins, lockouts, second factors, refusals,
tokens, role changes, report publication and CSP violations.

Secrets in URLs are kept out of every log by ``oia.logs``.
"""

import contextvars
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .logs import redact
from .roles import Role

logger = logging.getLogger("oia.security")
# The request being answered, for events raised far from the view (a role
# changed by the admin site's save, say). Set by SecurityLogMiddleware.
current_request: contextvars.ContextVar = contextvars.ContextVar("oia_current_request", default=None)


def client_ip(request) -> str:
    """The client's address. Behind ``OIA_TRUSTED_PROXIES`` reverse proxies,
    the address the outermost trusted proxy saw (read from the right of
    X-Forwarded-For); with none (the default), the socket's address, since a
    client can write any X-Forwarded-For it likes."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.OIA_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # Each trusted proxy appends the address it saw; the last `proxies` entries
    # were written by our proxies, the one before them is the client's.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


def log_event(event: str, request=None, *, user=None, level: int = logging.INFO, **fields) -> None:
    """Write one security event. ``user`` defaults to the request's user;
    ``fields`` are added as they are (they must be JSON-serialisable)."""
    record = {"event": event}
    if request is None:
        request = current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        record["user"] = user.get_username()
        record["user_id"] = user.pk
    if request is not None:
        record["address"] = client_ip(request)
        record["path"] = redact(request.path)
        record["method"] = request.method
    record.update(fields)
    logger.log(level, event, extra={"security": record})


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    log_event("sign_in", request, user=user)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    log_event("sign_out", request, user=user)


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials` by asterisks.
    log_event("sign_in_failed", request, level=logging.WARNING, username=str(credentials.get("username", ""))[:150])


@receiver(m2m_changed, sender=get_user_model().groups.through)
def log_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    """A user gained or lost one of oia's roles (from the user's or the group's side)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    User = get_user_model()
    if reverse:  # group.user_set changed: instance is the group, pk_set users
        groups = [instance]
        users = list(User.objects.filter(pk__in=pk_set or ()))
        if action == "pre_clear":
            users = list(instance.user_set.all())
    else:
        users = [instance]
        groups = list(Group.objects.filter(pk__in=pk_set or ()))
        if action == "pre_clear":
            groups = list(instance.groups.all())
    change = "role_added" if action == "post_add" else "role_removed"
    for user in users:
        for group in groups:
            if group.name in Role.values:
                log_event(change, target_user=user.get_username(), target_user_id=user.pk, role=group.name)


class SecurityLogMiddleware:
    """Keeps the request at hand for log_event, and logs every 403 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if response.status_code == 403:
            log_event("forbidden", request, level=logging.WARNING, status=403)
        return response
