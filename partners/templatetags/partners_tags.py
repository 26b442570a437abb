"""Display helpers for partnership values that come from annotations."""

from django import template

from ..choices import Status

register = template.Library()


@register.inclusion_tag("partials/status_badge.html")
def status_badge(status):
    """The status in words (never colour alone), styled by its value."""
    label = Status(status).label if status in Status.values else "—"
    return {"status": status, "label": label}
