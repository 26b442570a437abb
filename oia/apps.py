from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OiaConfig(AppConfig):
    name = "oia"
    verbose_name = _("Office for International Affairs")

    def ready(self):
        # Connect the session clock, the security log and the token revocation.
        from . import middleware, security, tokens  # noqa: F401
