"""Template context every page needs: the home city, navigation and roles."""

import functools

from django.conf import settings

from .navigation import navigation_for
from .roles import Role, roles_of


def oia(request):
    user = request.user
    roles = roles_of(user)
    return {
        "home_city": settings.OIA_HOME_CITY,
        "navigation": navigation_for(user, request.path) if user.is_authenticated else [],
        "user_roles": roles,
        "user_role_labels": [label for value, label in Role.choices if value in roles],
        # A cached callable: the template evaluates it once, and only if it shows it.
        "unread_notifications": functools.cache(
            lambda: user.notifications.filter(read_at__isnull=True).count() if user.is_authenticated else 0
        ),
    }
