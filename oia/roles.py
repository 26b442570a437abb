"""The four roles of oia, kept as Django groups.

A user's roles are read once per request and cached on the user object, so
navigation, views and API permissions never query for them twice.

A role named in ``OIA_OTP_REQUIRED_ROLES`` (the admin role by default) is only
held by a session that passed the second factor: a signed-in administrator
who has not entered a code holds no admin role, so every admin-only page,
action and API endpoint refuses them without a check of its own.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "oia_admin", _("OIA administrator")
    STAFF = "oia_staff", _("OIA staff")
    COUNCIL = "council", _("Council member")
    CLUB_LEADER = "club_leader", _("Club leader")


# Who may do what, by role. Admins may do everything staff may do.
OFFICE = frozenset({Role.ADMIN, Role.STAFF})
REPORT_READERS = frozenset({Role.ADMIN, Role.STAFF, Role.COUNCIL})
ADMINS = frozenset({Role.ADMIN})
CLUB_LEADERS = frozenset({Role.CLUB_LEADER})


def held_roles(user) -> frozenset[str]:
    """The roles ``user`` was given (their groups); a superuser holds the admin
    role. Whether the second factor was passed does not matter here."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_oia_held_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(names)
        user._oia_held_roles = cached
    return cached


def second_factor_pending(user) -> bool:
    """True when ``user`` is a request's session user (django-otp's middleware
    gave it ``is_verified``) who has not passed the second factor. Users loaded
    elsewhere (tasks, services' own queries) are not requests' users."""
    is_verified = getattr(user, "is_verified", None)
    return is_verified is not None and not is_verified()


def roles_of(user) -> frozenset[str]:
    """The roles ``user`` acts with: those held, less the ones that need a
    second factor (``OIA_OTP_REQUIRED_ROLES``) while it is not passed."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_oia_roles", None)
    if cached is None:
        cached = held_roles(user)
        required = cached & frozenset(settings.OIA_OTP_REQUIRED_ROLES)
        if required and second_factor_pending(user):
            cached = cached - required
        user._oia_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the roles cached on ``user`` (after the second factor was passed)."""
    for name in ("_oia_roles", "_oia_held_roles"):
        try:
            delattr(user, name)
        except AttributeError:
            pass


def has_role(user, allowed: frozenset[str]) -> bool:
    return bool(roles_of(user) & allowed)
