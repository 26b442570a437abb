"""Tags of the filter form partial (templates/partials/filter_form.html): the
active filters as removable chips, and multi-choice fields as checkboxes. The
rules live in ``oia.filters``; these only hand them to the template."""

from django import template

from oia.filters import active_filters, as_checkboxes, clear_filters_url, shows_as_checkboxes

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_chips(context, filterset):
    """The chips of the active filters and the link that clears them all."""
    request = context["request"]
    if filterset is None:
        return {"chips": [], "clear_url": request.path}
    return {
        "chips": active_filters(filterset, request.GET, request.path),
        "clear_url": clear_filters_url(filterset, request.GET, request.path),
    }


register.filter("shows_as_checkboxes", shows_as_checkboxes)
register.filter("as_checkboxes", as_checkboxes)
