from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Council reports")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .personal_data import register_fields

        register_fields()
