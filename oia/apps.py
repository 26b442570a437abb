from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OiaConfig(AppConfig):
    name = "oia"
    verbose_name = _("Office for International Affairs")

    def ready(self):
        from . import middleware, security  # noqa: F401  (connect the session clock and the security log)
