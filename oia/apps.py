import logging

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OiaConfig(AppConfig):
    default = True

    name = "oia"
    verbose_name = _("Office for International Affairs")

    def ready(self):
        # System checks; connect the session clock, second factor, security log, lockout log and token revocation.
        from . import checks, lockout, middleware, rights, second_factor, security, tokens  # noqa: F401
        from .personal_data import register_core_fields
        from .retention import register_core_rules

        register_core_rules()
        register_core_fields()
        rights.register_core_collectors()
        if settings.OIA_LOG_FORMAT == "json":
            # Python's warnings too become JSON lines (logger "py.warnings"), not bare text on stderr.
            logging.captureWarnings(True)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app, its site open only to sessions that passed the second factor."""

    default = False  # oia's own config stays the default of this module
    default_site = "oia.admin_site.AdminSite"
