"""Views of the budget app."""

from django.views.generic import TemplateView

from oia.permissions import OfficeRequiredMixin


class IndexView(OfficeRequiredMixin, TemplateView):
    template_name = "budget/index.html"
