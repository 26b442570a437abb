"""Limits on API requests (settings OIA_THROTTLE_ANON and OIA_THROTTLE_USER).

The counters are in the shared cache (Redis), so a limit holds across every
web instance. The rates are read from the settings on each request (DRF's own
classes read them once, at import), and an empty rate turns a limit off. An
anonymous client is known by oia.security.client_ip, the address the lockout
and the security log use: a client cannot escape the limit by writing its own
X-Forwarded-For."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from oia.security import client_ip


class AnonThrottle(AnonRateThrottle):
    """Anonymous requests (the token sign-in among them), per client address."""

    def get_rate(self):
        return settings.OIA_THROTTLE_ANON or None

    def get_ident(self, request):
        return client_ip(request)


class UserThrottle(UserRateThrottle):
    """Requests of a signed-in user, whichever instance or address they come from."""

    def get_rate(self):
        return settings.OIA_THROTTLE_USER or None

    def get_ident(self, request):
        return client_ip(request)
