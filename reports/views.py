"""Views of the reports app. Office staff see every version; admins generate,
publish and make public; council members read published versions (and the
ones they superseded); anyone reads a published version marked public at
/reports/public/<year>/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from oia.permissions import AdminRequiredMixin, OfficeRequiredMixin, ReportReaderRequiredMixin
from oia.roles import ADMINS, OFFICE, has_role

from . import selectors, services
from .choices import RequestStatus, VersionStatus
from .compare import compare_versions
from .forms import GenerateForm
from .models import ReportRequest, ReportVersion

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(version: ReportVersion, fmt: str) -> HttpResponse:
    response = HttpResponse(selectors.version_file(version, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{version.filename(fmt)}"'
    return response


class IndexView(ReportReaderRequiredMixin, TemplateView):
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(selectors.versions_for(self.request.user).order_by("-year", "-number"))
        years = {}
        for version in versions:
            years.setdefault(version.year, []).append(version)
        context["years"] = sorted(years.items(), reverse=True)
        context["is_office"] = has_role(self.request.user, OFFICE)
        if context["is_office"]:
            context["requests"] = selectors.recent_requests()
            context["form"] = GenerateForm()
        return context


class GenerateView(AdminRequiredMixin, FormView):
    form_class = GenerateForm
    template_name = "reports/generate.html"

    def form_valid(self, form):
        try:
            request, _created = services.report_request_create(
                year=form.cleaned_data["year"],
                by=self.request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("The report for %(year)s was requested.") % {"year": request.year})
        return redirect("reports:request-detail", pk=request.pk)


class RequestDetailView(OfficeRequiredMixin, DetailView):
    """The progress of one generation, with a progress bar through the steps;
    htmx reloads the status box every two seconds until it is done and then
    shows the link to the version (without JavaScript, a reload or the refresh
    link does)."""

    model = ReportRequest
    context_object_name = "report_request"

    def get_queryset(self):
        return selectors.request_for_detail()

    def get_context_data(self, **kwargs):
        """A failed request is final: admins may ask for a new one for the same year."""
        context = super().get_context_data(**kwargs)
        if self.object.status == RequestStatus.FAILED and has_role(self.request.user, ADMINS):
            context["generate_again"] = GenerateForm(initial={"year": self.object.year})
        # htmx swaps the status box; the heading above it changes out of band once done.
        context["polled"] = bool(self.request.headers.get("HX-Request"))
        return context

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["reports/_request_status.html"]
        return ["reports/request_detail.html"]


class RequestStatusView(OfficeRequiredMixin, View):
    """The progress as JSON (for scripts)."""

    def get(self, request, pk):
        report_request = get_object_or_404(ReportRequest.objects.select_related("version"), pk=pk)
        version = getattr(report_request, "version", None)
        return JsonResponse(
            {
                "id": report_request.pk,
                "year": report_request.year,
                "status": report_request.status,
                "step": report_request.step,
                "step_label": report_request.get_step_display(),
                "failure_reason": report_request.failure_reason,
                "attempts": report_request.attempts,
                "progress": report_request.progress,
                "version": version.pk if version else None,
                "version_url": reverse("reports:version-detail", args=[version.pk]) if version else None,
            }
        )


class VersionMixin(ReportReaderRequiredMixin):
    def get_version(self) -> ReportVersion:
        return get_object_or_404(selectors.versions_for(self.request.user), pk=self.kwargs["pk"])


class VersionDetailView(VersionMixin, TemplateView):
    template_name = "reports/version_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_version()
        version = selectors.version_for_detail(version.pk)
        context.update(
            version=version,
            is_office=has_role(self.request.user, OFFICE),
            current=selectors.published_version(version.year),
            others=selectors.other_versions(version),
        )
        return context


class VersionDownloadView(VersionMixin, View):
    def get(self, request, pk, fmt):
        return download(self.get_version(), fmt)


class VersionPublishConfirmView(AdminRequiredMixin, TemplateView):
    """The step before publishing: it names the year and the version and warns
    when the year is not over or the data were read before it ended. Works
    without JavaScript; its button posts to the publish view."""

    template_name = "reports/publish_confirm.html"

    def get(self, request, *args, **kwargs):
        version = get_object_or_404(ReportVersion.objects.for_list(), pk=kwargs["pk"])
        if version.status != VersionStatus.DRAFT:
            messages.error(request, _("Only a draft can be published."))
            return redirect("reports:version-detail", pk=version.pk)
        return self.render_to_response(
            self.get_context_data(version=version, current=selectors.published_version(version.year))
        )


class VersionPublishView(AdminRequiredMixin, View):
    def post(self, request, pk):
        version = get_object_or_404(ReportVersion, pk=pk)
        try:
            services.report_publish(version=version, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
        return redirect("reports:version-detail", pk=pk)


class VersionPublicView(AdminRequiredMixin, View):
    def post(self, request, pk):
        version = get_object_or_404(ReportVersion, pk=pk)
        public = request.POST.get("public") == "1"
        try:
            services.report_set_public(version=version, public=public, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The report can now be read by anyone at its public address.")
                if public
                else _("The report is no longer public."),
            )
        return redirect("reports:version-detail", pk=pk)


class CompareView(OfficeRequiredMixin, TemplateView):
    template_name = "reports/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            first = int(self.request.GET.get("a", ""))
            second = int(self.request.GET.get("b", ""))
        except ValueError:
            context["versions"] = ReportVersion.objects.for_list()
            return context
        older = get_object_or_404(ReportVersion, pk=first)
        newer = get_object_or_404(ReportVersion, pk=second)
        context.update(older=older, newer=newer, changes=compare_versions(older.figures, newer.figures))
        return context


class PublicReportView(TemplateView):
    """The stable public address of a year's report: only a published version marked public."""

    template_name = "reports/public.html"

    def get_version(self):
        version = selectors.public_version(self.kwargs["year"])
        if version is None:
            raise Http404(_("There is no public report for this year."))
        return version

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "version": self.get_version()}


class PublicDownloadView(PublicReportView):
    def get(self, request, year, fmt):
        return download(self.get_version(), fmt)
