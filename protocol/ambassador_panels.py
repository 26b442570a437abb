"""What the city ambassadors show on a lower app's page (``oia.panels``):
"Organised by city ambassador X" on the delegation's page. The ambassador is
joined into the page's one query, so the panel costs no query of its own."""

from oia.panels import Panel, register


def _delegation_with_ambassador(queryset):
    return queryset.select_related("ambassador_activity__ambassador__person")


def register_panels() -> None:
    register(
        "delegation-detail",
        Panel(
            name="city-ambassador",
            template="protocol/panels/delegation_ambassador.html",
            prepare=_delegation_with_ambassador,
        ),
    )
