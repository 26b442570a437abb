"""Template filters for amounts; the formatting itself is ``oia.money``'s."""

from django import template
from django.utils import formats

from oia.money import format_money

register = template.Library()


@register.filter
def money(value, currency=None):
    """``{{ line.available|money }}`` or ``{{ amount|money:budget.currency }}``."""
    return format_money(value, currency)


@register.filter
def percent(value):
    """A share in percent with no decimals, in the active language; "—" for none."""
    if value is None:
        return "—"
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True) + " %"
