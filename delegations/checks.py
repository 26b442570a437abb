"""System checks of the delegations app (``manage.py check``)."""

from decimal import Decimal

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_gift_declaration_threshold(app_configs, **kwargs):
    """A negative or non-finite threshold would flag every gift, or none, for declaration."""
    threshold = settings.OIA_GIFT_DECLARATION_THRESHOLD
    if not isinstance(threshold, Decimal) or not threshold.is_finite() or threshold < 0:
        return [
            Error(
                f"OIA_GIFT_DECLARATION_THRESHOLD ({threshold}) must be an amount of 0 or more.",
                hint="For example 25 (the German federal limit for small courtesies).",
                id="delegations.E001",
            )
        ]
    return []
