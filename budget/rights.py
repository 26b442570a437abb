"""What the budget holds about a club leader's account: the grant
applications they wrote (for the data export, see ``oia.rights``)."""

from django.utils.translation import gettext_lazy as _

from oia.rights import Collector, record, register

from .models import GrantApplication

APPLICATION_FIELDS = [
    "club",
    "partnership",
    "starts_on",
    "ends_on",
    "destination",
    "programme_summary",
    "travellers",
    "students",
    "requested_amount",
    "partner_contact",
    "status",
    "approved_amount",
    "report",
]


def grant_applications(user) -> list[dict]:
    rows = GrantApplication.objects.filter(created_by=user).select_related("club", "partnership__partner_city")
    return [record(a, APPLICATION_FIELDS, created_at=a.created_at) for a in rows.order_by("starts_on", "pk")]


def register_collectors() -> None:
    register("user", Collector("grant_applications", lambda: _("Grant applications"), grant_applications))
