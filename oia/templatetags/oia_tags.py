"""Template helpers shared by every app's pages: list sorting and paging,
people's names, numbers and amounts of money in the reader's language (money
formatted by ``oia.money``) and a record's History section (``oia.audit``)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from oia import audit
from oia.money import currency_symbol as office_currency_symbol
from oia.money import format_money
from oia.rights import ANONYMISED_USERNAME_PREFIX
from oia.roles import ADMINS, OFFICE, has_role

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


@register.simple_tag
def about_if_estimated(paginator):
    """The word "about" before a list's count when it is PostgreSQL's estimate, not
    counted (a list of more than a thousand rows, ``oia.pagination``)."""
    return pgettext("an estimated count", "about") + " " if getattr(paginator, "count_is_estimate", False) else ""


@register.filter
def person(user):
    """A user's full name, else their username; a dash for nobody."""
    if not user:
        return "—"
    if not user.is_active and user.get_username().startswith(ANONYMISED_USERNAME_PREFIX):
        return _("former club leader")
    return user.get_full_name() or user.get_username()


@register.filter
def money(value, currency=None):
    """``{{ line.available|money }}`` or ``{{ amount|money:budget.currency }}``."""
    return format_money(value, currency)


@register.filter
def number(value, decimals=0):
    """A count or measure grouped in thousands in the active language ("3,604,030",
    "3.604.030"); "—" for none. Grouping is asked for here, not turned on for the
    whole site (USE_THOUSAND_SEPARATOR would print years as "2,026")."""
    if value is None or value == "":
        return "—"
    return formats.number_format(value, int(decimals), use_l10n=True, force_grouping=True)


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


# A record page shows its latest changes; the Activity page has the rest.
HISTORY_SHOWN = 50


def _history_shown(context) -> bool:
    """Office staff only: never club leaders or the council, whatever page includes it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and has_role(user, OFFICE)


@register.inclusion_tag("partials/history_link.html", takes_context=True)
def history_link(context):
    """The link to the History section, near the top of a record page."""
    return {"shown": _history_shown(context)}


@register.inclusion_tag("partials/history.html", takes_context=True)
def history(context, obj):
    """``{% history object %}``: the record's History section (one query), newest first."""
    if obj is None or not _history_shown(context):
        return {"shown": False}
    entries = audit.history_for(obj)
    more = max(len(entries) - HISTORY_SHOWN, 0)
    activity_url = ""
    if more and has_role(context["request"].user, ADMINS):
        query = urlencode({"kind": type(obj)._meta.concrete_model._meta.label, "record": obj.pk})
        activity_url = f"{reverse('activity')}?{query}"
    return {"shown": True, "entries": entries[:HISTORY_SHOWN], "more": more, "activity_url": activity_url}


@register.inclusion_tag("partials/confirm_link.html", takes_context=True)
def confirm_link(context, url_name, obj, *, name="", label="", message="", yes=""):
    """``{% confirm_link "app:thing-delete" thing name=thing.title %}``: the link to
    ``obj``'s confirmation page (delete, take off a list) that asks in a dialog
    instead when JavaScript runs, and then posts what that page's button posts:
    the CSRF token and the version shown, if the record has one."""
    return {
        "url": reverse(url_name, args=[obj.pk]),
        "form_id": f"{url_name.replace(':', '-')}-{obj.pk}",
        "object": obj,
        "name": name,
        "label": label or _("Delete"),
        "message": message,
        "yes": yes or _("Delete"),
        "version": getattr(obj, "version", None),
        "csrf_token": context.get("csrf_token"),
    }
