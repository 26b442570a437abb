"""Sessions that end, and headers every answer carries.

A session ends ``OIA_SESSION_HOURS`` after sign-in and after
``OIA_SESSION_IDLE_MINUTES`` without a request, so a browser left open in a
shared office does not stay signed in. Signed-in answers and file downloads
are never stored by a browser or a proxy (``Cache-Control: no-store, private``),
and ``Permissions-Policy`` denies the browser features the app never uses.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import patch_cache_control

STARTED, SEEN = "oia_session_started", "oia_session_seen"
# Writing the session on every request would cost a query each; a minute's precision is enough.
SEEN_PRECISION_SECONDS = 60
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def session_expired(session, now: int) -> bool:
    started, seen = session.get(STARTED, now), session.get(SEEN, now)
    return now - started > settings.OIA_SESSION_HOURS * 3600 or now - seen > settings.OIA_SESSION_IDLE_MINUTES * 60


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """Both clocks start at sign-in, written with the login itself, so the
    first page after it costs no extra session write."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = request.session[SEEN] = now


class SessionTimeoutMiddleware:
    """Signs out a session past its absolute or idle limit; the next page then asks to sign in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if session_expired(request.session, now):
                logout(request)
            else:
                request.session.setdefault(STARTED, now)
                if now - request.session.get(SEEN, 0) >= SEEN_PRECISION_SECONDS:
                    request.session[SEEN] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        is_download = response.get("Content-Disposition", "").startswith("attachment")
        if is_download or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response
