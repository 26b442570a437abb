"""Views of the networks app."""

from django.views.generic import TemplateView

from oia.permissions import OfficeRequiredMixin


class IndexView(OfficeRequiredMixin, TemplateView):
    template_name = "networks/index.html"
