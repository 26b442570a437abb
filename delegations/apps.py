from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations and travel")

    def ready(self):
        """Its retention rules join the nightly job (oia.retention)."""
        from .retention import register_rules

        register_rules()
        from .personal_data import register_fields

        register_fields()  # its personal data, for the record of processing (oia.personal_data)
        from .rights import register_collectors

        register_collectors()
        from . import checks  # noqa: F401  (registers the system checks)
        from .search import register_searches

        register_searches()  # people for the person picker; people and delegations for the site-wide search
