"""Networks in the header's site-wide search (``oia.search``): by name or
acronym, through the network list's own text filter, so the group's "more"
link leads to the same records."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from oia import search

from .filters import NetworkFilter
from .models import Network


def network_matches(text: str):
    return NetworkFilter({"q": text}, queryset=Network.objects.all()).qs.order_by("name", "pk")


def network_label(network: Network) -> str:
    return f"{network.name} ({network.acronym})" if network.acronym else network.name


def register_searches() -> None:
    search.register(
        search.Search(
            "networks",
            network_matches,
            label=network_label,
            heading=gettext_lazy("Networks"),
            position=50,
            link=lambda network: reverse("networks:network-detail", args=[network.pk]),
            describe=lambda network: str(network.get_scope_display()),
            list_link=search.filtered_list("networks:network-list"),
        )
    )
