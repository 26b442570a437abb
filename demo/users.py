"""Demo users: one per role (two club leaders), rows in ``data/users.json``."""

from base64 import b32decode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from oia.roles import Role
from oia.second_factor import requires_second_factor

from .files import read_json

# The demo administrator's authenticator app secret: fixed and printed with the
# logins, so it can be added to an app (or `manage.py demo_code` shows the code).
DEMO_TOTP_SECRET = "OIADEMOTWOFACTORSIGNINFORADMIN22"


@transaction.atomic
def load_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users if missing; return (username, password, role) rows."""
    User = get_user_model()
    logins = []
    for row in read_json("users.json"):
        role = Role(row["role"])
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={"first_name": row["first_name"], "last_name": row["last_name"], "is_staff": role == Role.ADMIN},
        )
        if created:
            user.set_password(row["password"])
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        if requires_second_factor(user):
            give_demo_app(user)
        logins.append((row["username"], row["password"], role))
    return logins


def give_demo_app(user):
    """A confirmed authenticator app with the demo secret (once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = b32decode(DEMO_TOTP_SECRET).hex()
    if not TOTPDevice.objects.filter(user=user, key=key, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo app", key=key, confirmed=True)


def demo_code(username: str) -> str | None:
    """The code the demo app shows now for ``username`` (None without one)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(
        user__username=username, key=b32decode(DEMO_TOTP_SECRET).hex(), confirmed=True
    ).first()
    if device is None:
        return None
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
