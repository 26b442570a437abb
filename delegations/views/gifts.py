"""The office-wide gift register: every gift given or received on a
delegation, filtered by year, direction, delegation and the declaration
threshold, with its CSV/XLSX export. Gifts are recorded on their delegation's page."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View

from oia.filters import FilterView, invalid_filter_response
from oia.permissions import OfficeRequiredMixin

from ..exports import to_csv, to_xlsx
from ..filters import GiftFilter
from ..models import Gift
from .lists import querystring_without

EXPORT_FORMATS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class GiftListView(OfficeRequiredMixin, FilterView):
    filterset_class = GiftFilter
    template_name = "delegations/gift_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Gift.objects.for_register()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["querystring"] = querystring_without(self.request.GET, "page")
        context["threshold"] = settings.OIA_GIFT_DECLARATION_THRESHOLD
        return context


class GiftExportView(OfficeRequiredMixin, View):
    """The register's filtered gifts as a CSV or Excel download."""

    def get(self, request, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        write, content_type = EXPORT_FORMATS[fmt]
        gift_filter = GiftFilter(request.GET, queryset=Gift.objects.for_register())
        if refused := invalid_filter_response(gift_filter):
            return refused
        response = HttpResponse(write(gift_filter.qs), content_type=content_type)
        filename = f"gifts-{timezone.localdate().isoformat()}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
