"""Import and export of partnerships (office staff only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from oia.filters import invalid_filter_response
from oia.permissions import OfficeRequiredMixin

from ..exports import to_csv, to_xlsx
from ..filters import PartnershipFilter
from ..forms import ImportMappingForm, ImportUploadForm
from ..imports import mapping_errors, partnerships_import, preview, propose_mapping
from ..models import Partnership

SESSION_KEY = "partners_import"


class PartnershipImportView(OfficeRequiredMixin, View):
    """Upload a file, check the column mapping and the preview, then import.

    Between the steps the parsed rows live in the session, not on disk: they
    are small (at most 2,000 rows and 1,000,000 characters, enforced when
    reading), they vanish with the session, and there is no uploaded file to
    clean up or to protect under MEDIA_ROOT. Nothing is written to the
    partnership tables before the final "Import" step. Every step is a POST
    followed by a redirect, so reloading the page never repeats a step.
    """

    template_name = "partners/partnership_import.html"

    def get(self, request):
        return self.render(request)

    def post(self, request):
        action = request.POST.get("action")
        pending = request.session.get(SESSION_KEY)
        if action == "upload":
            return self.upload(request)
        if action == "cancel":
            request.session.pop(SESSION_KEY, None)
            return redirect("partners:partnership-import")
        if pending is None:
            messages.error(request, _("There is no uploaded file to work on. Upload the file again."))
            return redirect("partners:partnership-import")
        if action == "preview":
            return self.remap(request, pending)
        if action == "import":
            return self.apply(request, pending)
        return redirect("partners:partnership-import")

    def upload(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, upload_form=form)
        table = form.cleaned_data["table"]
        request.session[SESSION_KEY] = {
            "filename": form.cleaned_data["file"].name,
            "headers": table.headers,
            "rows": table.rows,
            "mapping": propose_mapping(table.headers),
        }
        return redirect("partners:partnership-import")

    def remap(self, request, pending):
        form = ImportMappingForm(request.POST, headers=pending["headers"])
        if not form.is_valid():
            return self.render(request, mapping_form=form)
        pending["mapping"] = form.mapping()
        request.session.modified = True
        return redirect("partners:partnership-import")

    def apply(self, request, pending):
        try:
            summary = partnerships_import(rows=pending["rows"], mapping=pending["mapping"], recorded_by=request.user)
        except ValidationError as error:
            for message in error.messages[:20]:
                messages.error(request, message)
            return redirect("partners:partnership-import")
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _(
                "Import finished: %(created)s partnerships created, %(unchanged)s already recorded, "
                "%(skipped)s rows skipped."
            )
            % {"created": summary.created, "unchanged": summary.unchanged, "skipped": summary.skipped},
        )
        return redirect(reverse("partners:partnership-list"))

    def render(self, request, upload_form=None, mapping_form=None):
        pending = request.session.get(SESSION_KEY)
        context = {"upload_form": upload_form or ImportUploadForm(), "pending": pending}
        if pending:
            mapping = pending["mapping"]
            problems = mapping_errors(mapping)
            if mapping_form is None:
                initial = {name: "" if column is None else str(column) for name, column in mapping.items()}
                mapping_form = ImportMappingForm(headers=pending["headers"], initial=initial)
            context.update(mapping_form=mapping_form, mapping_problems=problems)
            if not mapping_form.is_bound and not problems:
                context["preview"] = preview(pending["rows"], mapping)
        return render(request, self.template_name, context)


class PartnershipExportView(OfficeRequiredMixin, View):
    """The list's filtered partnerships as a CSV or Excel download."""

    formats = {
        "csv": (to_csv, "text/csv; charset=utf-8"),
        "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }

    def get(self, request, fmt):
        if fmt not in self.formats:
            raise Http404
        write, content_type = self.formats[fmt]
        partnership_filter = PartnershipFilter(request.GET, queryset=Partnership.objects.for_list())
        if refused := invalid_filter_response(partnership_filter):
            return refused
        response = HttpResponse(write(partnership_filter.qs), content_type=content_type)
        filename = f"partnerships-{timezone.localdate().isoformat()}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
