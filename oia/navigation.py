"""The main navigation: each entry names the roles that may use it.

Only entries the user may open are shown, so a club leader never sees a link
to budgets or personal data.
"""

from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import ADMINS, CLUB_LEADERS, OFFICE, REPORT_READERS, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    # An entry that stands for a whole app is current on every page of its namespace.
    namespace: str = ""


NAVIGATION = [
    NavItem(_("Partner cities"), "partners:partnership-list", OFFICE),
    NavItem(_("Delegations"), "delegations:delegation-list", OFFICE),
    NavItem(_("Gift register"), "delegations:gift-list", OFFICE),
    NavItem(_("Networks"), "networks:network-list", OFFICE),
    NavItem(_("Budget"), "budget:budget-list", OFFICE),
    NavItem(_("Protocol"), "protocol:post-list", OFFICE, namespace="protocol"),
    NavItem(_("Reports"), "reports:index", REPORT_READERS),
    NavItem(_("Exchanges"), "partners:exchange-list", OFFICE),
    NavItem(_("Trip grants"), "budget:grant-list", OFFICE),
    NavItem(_("Your club"), "portal:home", CLUB_LEADERS),
    NavItem(_("Personal data"), "privacy-record", ADMINS),
    NavItem(_("Activity"), "activity", ADMINS),
    NavItem(_("People and roles"), "people:list", ADMINS, namespace="people"),
]


def navigation_for(user, current_path: str = "") -> list[dict]:
    roles = roles_of(user)
    items = [
        {"label": item.label, "url": reverse(item.url_name), "current": False, "namespace": item.namespace}
        for item in NAVIGATION
        if roles & item.roles
    ]
    try:
        namespace = resolve(current_path).namespace if current_path else ""
    except Resolver404:
        namespace = ""
    # The current entry is the one whose address matches the most of the path:
    # on /delegations/gifts/ the gift register, not the delegations.
    matching = [
        entry
        for entry in items
        if current_path.startswith(entry["url"]) or (entry["namespace"] and entry["namespace"] == namespace)
    ]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["current"] = True
    return items
