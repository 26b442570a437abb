"""Two-factor sign-in in tests: an authenticator app device, its current code
(computed here, as the app would), and signing in a test client verified."""

from base64 import b32decode

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oia.second_factor import HAS_DEVICE_KEY, requires_second_factor


def app_device(user, confirmed=True) -> TOTPDevice:
    """The user's authenticator app device (made if missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=confirmed)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` time steps later)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=device.digits)
    return f"{value:0{device.digits}d}"


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next one when the
    current one was used already (a code works once)."""
    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(clock.t(), device.last_t + 1)
    clock.time = device.t0 + step * device.step
    return f"{clock.token():0{device.digits}d}"


def code_for_secret(secret: str) -> str:
    """The current code for a base32 secret, as shown on the enrolment page."""
    plain = secret.replace(" ", "")
    key = b32decode(plain + "=" * (-len(plain) % 8))
    return f"{totp(key):06d}"


def sign_in(client, user, verified=None):
    """``client.force_login(user)``; a user who must use a second factor (an
    administrator), or any user with ``verified=True``, gets an app device and
    a session that already entered its code, as ``django_otp.login`` leaves it."""
    client.force_login(user)
    if verified or (verified is None and requires_second_factor(user)):
        device = app_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[HAS_DEVICE_KEY] = True
        session.save()
    return client


def recovery_code(user) -> str:
    """A fresh one-time recovery code of ``user`` (their recovery-code device made if missing)."""
    device = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})[0]
    return device.token_set.create(token=StaticToken.random_token()).token
