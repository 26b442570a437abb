"""The record of processing activities (Art. 30 GDPR, "Verzeichnis von
Verarbeitungstätigkeiten"), built from the declarations in
``oia.personal_data``: as a page, a PDF and a CSV, for the data protection
officer. Administrators only: the DPO is given the admin role (or the PDF).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import spreadsheets
from .pdf import print_pdf
from .permissions import AdminRequiredMixin
from .personal_data import Category, PersonalField, declared, roles_label


@dataclass(frozen=True)
class Entry:
    """One declared field, in words."""

    label: str  # "auth.User.email"
    model: str
    field: str
    category: str
    purpose: str
    legal_basis: str
    retention: str
    retention_setting: str
    access: str


@dataclass(frozen=True)
class Activity:
    name: str
    entries: list[Entry]


def _entry(declaration: PersonalField) -> Entry:
    model = declaration.model_class
    field = declaration.field_object
    return Entry(
        label=f"{declaration.model}.{declaration.field}",
        model=capfirst(str(model._meta.verbose_name)),
        field=capfirst(str(getattr(field, "verbose_name", declaration.field))),
        category=str(Category(declaration.category).label),
        purpose=str(declaration.purpose),
        legal_basis=str(declaration.legal_basis),
        retention=declaration.retention.describe(),
        retention_setting=declaration.retention.setting,
        access=roles_label(declaration.access),
    )


def activities() -> list[Activity]:
    """The declared fields grouped by processing activity, in the order the
    activities were first declared; within one, by model as declared."""
    grouped: dict[str, list[PersonalField]] = {}
    for declaration in declared():
        grouped.setdefault(str(declaration.activity), []).append(declaration)
    result = []
    for name, declarations in grouped.items():
        order = list(dict.fromkeys(d.model for d in declarations))
        declarations.sort(key=lambda d: order.index(d.model))
        result.append(Activity(name=name, entries=[_entry(d) for d in declarations]))
    return result


def controller() -> dict:
    return {"home_city": settings.OIA_HOME_CITY, "officer": settings.OIA_DATA_PROTECTION_OFFICER}


def csv_rows() -> list[list[str]]:
    header = [
        _("Processing activity"),
        _("Record"),
        _("Field"),
        _("Technical name"),
        _("Category"),
        _("Purpose"),
        _("Legal basis"),
        _("Retention"),
        _("Retention setting"),
        _("Access"),
    ]
    rows = [header]
    for activity in activities():
        for e in activity.entries:
            rows.append(
                [
                    activity.name,
                    e.model,
                    e.field,
                    e.label,
                    e.category,
                    e.purpose,
                    e.legal_basis,
                    e.retention,
                    e.retention_setting,
                    e.access,
                ]
            )
    return rows


def render_pdf() -> bytes:
    """The record printed from our own stylesheet only (``oia.pdf``): no network."""
    context = {"activities": activities(), "now": timezone.localtime(), **controller()}
    return print_pdf(render_to_string("oia/privacy_record_pdf.html", context), "css/record-print.css")


class RecordView(AdminRequiredMixin, TemplateView):
    template_name = "oia/privacy_record.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(activities=activities(), **controller(), **kwargs)


class RecordExportView(AdminRequiredMixin, View):
    """The record as a CSV (cells cleaned as in every export) or a PDF."""

    def get(self, request, fmt):
        filename = _("record-of-processing-activities")
        if fmt == "csv":
            content, content_type = spreadsheets.to_csv(csv_rows()), "text/csv; charset=utf-8"
        elif fmt == "pdf":
            try:
                content, content_type = render_pdf(), "application/pdf"
            except Exception as exc:  # WeasyPrint or Pango missing or failing: say so, never a 500
                messages.error(request, _("The PDF could not be printed: %(error)s") % {"error": exc})
                return redirect("privacy-record")
        else:
            raise Http404(_("There is no such format."))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
        return response
