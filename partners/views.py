"""Views of the partners app."""

from django.views.generic import TemplateView

from oia.permissions import OfficeRequiredMixin


class IndexView(OfficeRequiredMixin, TemplateView):
    template_name = "partners/index.html"
