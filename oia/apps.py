from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OiaConfig(AppConfig):
    name = "oia"
    verbose_name = _("Office for International Affairs")

    def ready(self):
        # Connect the session clock, the security log and the lockout's log.
        from . import lockout, middleware, security  # noqa: F401
