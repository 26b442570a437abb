from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget")

    def ready(self):
        """The budget hooks into lower apps without them importing it: it
        answers delegations' status changes, says which budget lines fit a
        trip, and fills panels of their pages."""
        from delegations.budget_line import LineRule, plug_in
        from delegations.signals import delegation_status_changed

        from .panels import register_panels
        from .rights import register_collectors
        from .selectors import trip_line_choices, trip_line_refusal
        from .services import delegation_status_changed_received

        delegation_status_changed.connect(delegation_status_changed_received, dispatch_uid="budget-delegation-money")
        plug_in(LineRule(choices=trip_line_choices, refusal=trip_line_refusal))
        register_panels()

        from .personal_data import register_fields

        register_fields()
        register_collectors()
        from .search import register_searches

        register_searches()  # budget lines, for the header's site-wide search
