from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("International networks")

    def ready(self):
        from .personal_data import register_fields

        register_fields()  # its personal data, for the record of processing (oia.personal_data)
        from .rights import register_collectors

        register_collectors()
        from .search import register_searches

        register_searches()  # networks, for the header's site-wide search
