"""Views of the delegations app."""

from django.views.generic import TemplateView

from oia.permissions import OfficeRequiredMixin


class IndexView(OfficeRequiredMixin, TemplateView):
    template_name = "delegations/index.html"
