from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OiaConfig(AppConfig):
    name = "oia"
    verbose_name = _("Office for International Affairs")

    def ready(self):
        from . import checks, middleware, security  # noqa: F401  (system checks, the session clock, the security log)
