from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = _("Protocol and events")

    def ready(self):
        # ----- consular posts and national days -----
        #
        #
        #
        # ----- events and guests -----
        #
        #
        #
        # ----- city ambassadors -----
        from .ambassador_data import register_collectors as register_ambassador_collectors
        from .ambassador_data import register_fields as register_ambassador_fields
        from .ambassador_panels import register_panels as register_ambassador_panels

        register_ambassador_fields()  # their personal data, for the record of processing
        register_ambassador_collectors()  # what the data export of a person includes
        register_ambassador_panels()  # "Organised by city ambassador X" on the delegation's page
