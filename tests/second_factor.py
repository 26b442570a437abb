"""Two-factor sign-in in tests: an authenticator app device, its current code
(computed here, as the app would), and signing in a test client verified."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
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


def sign_in(client, user):
    """``client.force_login(user)``; a user who must use a second factor (an
    administrator) gets an app device and a session that already entered its
    code, as ``django_otp.login`` leaves it."""
    client.force_login(user)
    if requires_second_factor(user):
        device = app_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[HAS_DEVICE_KEY] = True
        session.save()
    return client
