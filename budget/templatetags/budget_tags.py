"""The amount filters under the name budget's templates load (they are
``oia_tags``' filters, which every app's templates can use), and the cell the
budget adds to each row of the jubilees page."""

from decimal import Decimal

from django import template
from django.utils import timezone

from oia.templatetags.oia_tags import money, percent

register = template.Library()
register.filter("money", money)
register.filter("percent", percent)


@register.inclusion_tag("budget/panels/jubilee_plan_cell.html")
def jubilee_plan_cell(anniversary):
    """The plan of this jubilee (from the annotation the panel added to its
    partnership), or whether it may still be planned (this year or later)."""
    partnership = anniversary.partnership
    year = anniversary.date.year
    rows = getattr(partnership, "jubilee_plan_rows", None) or []
    plan = next((row for row in rows if row["year"] == year), None)
    if plan is not None:
        plan = {**plan, "estimate": Decimal(plan["estimate"])}
    return {
        "anniversary": anniversary,
        "plan": plan,
        "can_plan": year >= timezone.localdate().year,
        "city": partnership.partner_city.name,
        "year": year,
    }
