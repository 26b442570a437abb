"""Views of the reports app."""

from django.views.generic import TemplateView

from oia.permissions import ReportReaderRequiredMixin


class IndexView(ReportReaderRequiredMixin, TemplateView):
    template_name = "reports/index.html"
