"""Template helpers shared by every app's pages: list sorting and paging,
people's names, and amounts of money (formatted by ``oia.money``)."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from oia.money import currency_symbol as office_currency_symbol
from oia.money import format_money

register = template.Library()


@register.inclusion_tag("partials/sortable_th.html", takes_context=True)
def sortable_th(context, field, label):
    """A column header that sorts the list by ``field``; a second click reverses it.
    Screen readers hear the current order through aria-sort."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    query = request.GET.copy()
    query.pop("page", None)
    if current == field:
        query["ordering"] = f"-{field}"
        sort = "ascending"
    elif current == f"-{field}":
        query["ordering"] = field
        sort = "descending"
    else:
        query["ordering"] = field
        sort = None
    return {
        "label": label,
        "url": "?" + query.urlencode(),
        "aria_sort": sort,
        "hint": _("sorted ascending") if sort == "ascending" else _("sorted descending") if sort else "",
    }


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def person(user):
    """A user's full name, else their username; a dash for nobody."""
    if not user:
        return "—"
    return user.get_full_name() or user.get_username()


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


@register.simple_tag
def currency_symbol(code=None):
    """The office's currency symbol (``OIA_CURRENCY``) for column headers:
    ``{% currency_symbol as symbol %}``."""
    return office_currency_symbol(code)
