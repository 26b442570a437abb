"""What the networks app holds about a person: the roles they hold in
network bodies (for the data export, see ``oia.rights``)."""

from django.utils.translation import gettext_lazy as _

from oia.rights import Collector, record, register

from .models import NetworkRole


def network_roles(person) -> list[dict]:
    rows = NetworkRole.objects.filter(person=person).select_related("network").order_by("starts_on", "pk")
    return [record(r, ["body", "title", "starts_on", "ends_on"], network=r.network.name) for r in rows]


def register_collectors() -> None:
    register("person", Collector("network_roles", lambda: _("Roles in networks"), network_roles))
