from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolConfig(AppConfig):
    name = "protocol"
    verbose_name = _("Protocol and events")

    def ready(self):
        # ----- consular posts and national days -----
        from .consular_panels import register_panels as register_consular_panels
        from .personal_data import register_fields as register_consular_fields
        from .rights import register_collectors as register_consular_collectors

        register_consular_panels()  # the posts of a delegation's country on its page (oia.panels)
        register_consular_fields()  # its personal data, for the record of processing (oia.personal_data)
        register_consular_collectors()
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
