"""What the Consular Corps shows on a delegation's page (``oia.panels``): for
a visit from a country, that country's consulate here (whom to inform or
invite); for a trip abroad, the country's posts in our city, to ask for a
briefing. One query, whatever the number of posts."""

from django.utils import timezone

from oia.panels import Panel, register

from .models import ConsularPost


def _posts_for_delegation(delegation) -> dict:
    if not delegation.country:
        return {"consular_posts": []}
    posts = ConsularPost.objects.open_on(timezone.localdate()).filter(country=delegation.country)
    return {"consular_posts": list(posts.select_related("head").in_precedence_order())}


def register_panels() -> None:
    register(
        "delegation-detail",
        Panel(name="consular-posts", template="protocol/panels/delegation_posts.html", context=_posts_for_delegation),
    )
