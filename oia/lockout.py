"""Lockout after repeated failed sign-ins, with django-axes.

Every sign-in door (the login page, the admin's login and the API's token
endpoint) calls ``authenticate(request=...)``; ``LockoutBackend`` runs first
and refuses a username+address combination that failed
``OIA_LOCKOUT_FAILURES`` times within ``OIA_LOCKOUT_MINUTES``, before the
password is checked. Axes counts the failures in the database
(``axes.AccessAttempt``); ``AxesMiddleware`` turns a locked-out request into
``lockout_response``. The address is ``oia.security.client_ip``'s, so a forged
X-Forwarded-For escapes nothing.
"""

import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .security import client_ip, log_event


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for requests only: ``authenticate()`` without a
    request (``Client.login`` in tests, management commands) is no sign-in
    door anyone outside can knock on, and goes on to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address axes counts failures for: ``client_ip``'s, or None when
    that is no IP address (the database column is PostgreSQL's inet)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_username(request, credentials=None) -> str:
    """The username axes counts failures for, as typed, made storable: the
    column holds 255 characters and PostgreSQL refuses NUL in text."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "data", None) or request.POST
        username = data.get(settings.AXES_USERNAME_FORM_FIELD) if hasattr(data, "get") else None
    return str(username or "").replace("\0", "")[:255]


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins: signing in with this username from your address is blocked for "
        "%(minutes)s minutes. Try again later, or ask an administrator to lift the lock."
    ) % {"minutes": settings.OIA_LOCKOUT_MINUTES}


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): for the API
    ``{"detail": ...}``, for a page the sign-in page with the message; both
    with 429 and Retry-After."""
    message = lockout_message()
    status = settings.AXES_HTTP_RESPONSE_CODE
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace.split(":")[0] == "api":
        response = JsonResponse({"detail": message}, status=status)
    else:
        username = client_username(request, credentials if isinstance(credentials, dict) else None)
        form = AuthenticationForm(request, initial={"username": username[:150]})
        context = {"form": form, "lockout_message": message, "next": request.POST.get("next", "")}
        response = render(request, "registration/login.html", context, status=status)
    response["Retry-After"] = str(settings.OIA_LOCKOUT_MINUTES * 60)
    return response


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    """Flag the Django request, so AxesMiddleware answers with the lockout even
    when the door is a DRF view (whose Request wraps the Django one), and log
    the lockout when it begins (not again for each attempt while it lasts)."""
    django_request = getattr(request, "_request", request)
    django_request.axes_locked_out = True
    django_request.axes_credentials = getattr(request, "axes_credentials", None)
    if getattr(request, "axes_failures_since_start", None) is not None:
        log_event(
            "lockout",
            django_request,
            level=logging.WARNING,
            username=str(username or "")[:150],
            failures=request.axes_failures_since_start,
            minutes=settings.OIA_LOCKOUT_MINUTES,
        )


def lift_lockout(user, request) -> int:
    """Forget every failed sign-in recorded for ``user``'s username, from any
    address, so they can sign in again at once. Returns how many records went."""
    count = reset(username=user.get_username())
    log_event("lockout_lifted", request, target_user=user.get_username(), target_user_id=user.pk, attempts=count)
    return count
