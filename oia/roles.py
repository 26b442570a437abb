"""The four roles of oia, kept as Django groups.

A user's roles are read once per request and cached on the user object, so
navigation, views and API permissions never query for them twice.
"""

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


def roles_of(user) -> frozenset[str]:
    """The roles of ``user``; a superuser holds the admin role."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_oia_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(names)
        user._oia_roles = cached
    return cached


def has_role(user, allowed: frozenset[str]) -> bool:
    return bool(roles_of(user) & allowed)
