"""Two-factor sign-in with django-otp: a time-based code from an authenticator
app (TOTP), and ten one-time recovery codes (django-otp's static device).

After the password, a user with a confirmed device must enter a code before
any page; a user holding a role of ``OIA_OTP_REQUIRED_ROLES`` (administrators)
without one must set one up first. ``SecondFactorMiddleware`` sends them there;
``oia.roles.roles_of`` withholds those roles until the code is entered, so no
admin-only page, action or API endpoint needs a check of its own.

Whether the user has a device is read once, at sign-in, and kept in the
session, so a signed-in user without one costs no query per request.
"""

import logging
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import OFFICE, forget_roles, held_roles
from .security import log_event

# Session key: True when the user had a confirmed device at sign-in (or set one up since).
HAS_DEVICE_KEY = "oia_otp_device"
VERIFY = "verify"
ENROL = "enrol"
RECOVERY_CODE_COUNT = 10
# Pages a user still owing the second factor may open: the steps themselves,
# signing in and out, the language switch, the health checks and the metrics.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_enrol",
        "set_language",
        "healthz",
        "readyz",
        "metrics",
        "password_reset_confirm",
    }
)


def requires_second_factor(user) -> bool:
    """The user holds a role that may only be used after a second factor."""
    return bool(held_roles(user) & frozenset(settings.OIA_OTP_REQUIRED_ROLES))


def may_enrol(user) -> bool:
    """Office staff are offered two-factor sign-in; whoever requires it may set it up."""
    return bool(held_roles(user) & OFFICE) or requires_second_factor(user)


@receiver(user_logged_in)
def remember_device(sender, request, user, **kwargs):
    """Read once, at sign-in, whether the user must enter a code."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_KEY] = user_has_device(user)


def pending_step(request) -> str | None:
    """What the signed-in user still owes: ``VERIFY`` (enter a code),
    ``ENROL`` (set up a device), or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    has_device = request.session.get(HAS_DEVICE_KEY)
    if has_device is None:  # a session from before two-factor sign-in
        has_device = request.session[HAS_DEVICE_KEY] = user_has_device(user)
    if has_device:
        return VERIFY
    if requires_second_factor(user):
        return ENROL
    return None


class SecondFactorMiddleware:
    """Sends a signed-in user who owes the second factor to the step they owe
    (the API answers 403 instead). Needs django-otp's OTPMiddleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name in OPEN_URL_NAMES:
            return None
        step = pending_step(request)
        if step is None:
            return None
        if match.namespace == "api" or match.namespaces[:1] == ["api"]:
            return JsonResponse(
                {"detail": _("Enter the code of your second factor first: sign in on the web page.")}, status=403
            )
        target = reverse("two_factor_verify" if step == VERIFY else "two_factor_enrol")
        target += "?" + urlencode({"next": request.get_full_path() if request.method == "GET" else "/"})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def _mark_verified(request, device) -> None:
    """The session passed the second factor with ``device``: a new session key
    (the session gained privileges) and the roles read afresh."""
    django_otp.login(request, device)
    request.session[HAS_DEVICE_KEY] = True
    request.session.cycle_key()
    forget_roles(request.user)


def is_recovery_code(token: str) -> bool:
    return not (token.isdigit() and len(token) == 6)


def verify(request, token: str):
    """Check ``token`` (a code from the app or a recovery code) for the signed-in
    user; on success the session is verified. Returns the device or None.
    django-otp throttles each device after a wrong code and refuses a code twice."""
    user = request.user
    token = "".join(token.split()).lower()
    model = StaticDevice if is_recovery_code(token) else TOTPDevice
    device = None
    for candidate in model.objects.devices_for_user(user, confirmed=True):
        device = django_otp.verify_token(user, candidate.persistent_id, token)
        if device is not None:
            break
    if device is None:
        log_event(
            "otp_failed", request, level=logging.WARNING, kind="recovery_code" if model is StaticDevice else "totp"
        )
        return None
    _mark_verified(request, device)
    if model is StaticDevice:
        log_event("otp_recovery_code_used", request, remaining=device.token_set.count(), level=logging.WARNING)
    else:
        log_event("otp_verified", request)
    return device


def verify_for_token(request, user, token: str) -> str | None:
    """The second factor at the API's token door, for users who have one or
    must have one (administrators): an API token acts with every role the
    user holds, so it is only given after the same code as a session.
    Returns an error message, or None when the user may have a token."""
    has_device = user_has_device(user)
    if not has_device:
        return _("Set up two-factor sign-in on the web page first.") if requires_second_factor(user) else None
    token = "".join((token or "").split()).lower()
    if not token:
        return _("Enter the code of your second factor in the field otp.")
    device = django_otp.match_token(user, token)
    if device is None:
        log_event("otp_failed", request, user=user, level=logging.WARNING, door="api_token")
        return _("The code of your second factor is wrong or has expired.")
    log_event("otp_verified", request, user=user, door="api_token")
    return None


def enrolment_device(user) -> TOTPDevice:
    """The app device being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it by hand: base32, in groups of four."""
    from base64 import b32encode

    plain = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code, drawn here (no service, no data: URI)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )


@transaction.atomic
def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app device with a code from it; returns the new recovery codes,
    or None when the code is wrong."""
    token = "".join(token.split())
    if not device.verify_token(token):
        log_event("otp_failed", request, level=logging.WARNING, kind="enrolment")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(device.user)
    _mark_verified(request, device)
    log_event("otp_enrolled", request)
    return codes


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by ten new ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_app_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


@transaction.atomic
def remove_devices(request) -> None:
    """Remove the user's app and recovery codes; the session is no longer verified."""
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_DEVICE_KEY] = False
    user.otp_device = None
    forget_roles(user)
    log_event("otp_device_removed", request, level=logging.WARNING)
