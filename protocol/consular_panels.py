"""What the Consular Corps shows on a delegation's page (``oia.panels``): for
a visit from a country, that country's consulate here (whom to inform or
invite); for a trip abroad, the country's posts in our city, to ask for a
briefing. The posts come as one annotation of the page's own query, so the
panel costs no query, whatever the number of posts."""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from oia.panels import Panel, register

from .models import ConsularPost


def _delegation_with_consular_posts(queryset):
    """The posts open today in the delegation's country, as a list of
    (id, name, head, title, phone, email), by name."""
    posts = (
        ConsularPost.objects.open_on(timezone.localdate())
        .filter(country=OuterRef("country"))
        .order_by()
        .values("country")
        .annotate(
            rows=JSONBAgg(
                JSONObject(
                    id="pk",
                    name="name",
                    head="head__name",
                    head_title="head_title",
                    phone="phone",
                    email="email",
                ),
                order_by=("name", "pk"),
            )
        )
        .values("rows")
    )
    return queryset.annotate(consular_post_rows=Subquery(posts, output_field=JSONField()))


def register_panels() -> None:
    register(
        "delegation-detail",
        Panel(
            name="consular-posts",
            template="protocol/panels/delegation_posts.html",
            prepare=_delegation_with_consular_posts,
        ),
    )
