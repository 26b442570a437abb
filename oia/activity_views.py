"""The administrators' Activity page: the office-wide audit trail (``oia.audit``),
filtered by user, kind of record, date range or one record, 50 events a page,
and its CSV export.

A page costs a fixed number of queries whatever it shows: the count, the page's
keys, two queries per kind of record on the page (``audit.entries``) and one per
kind that has a page of its own (which of the records still exist, for links).
"""

import datetime

from django import forms
from django.apps import apps
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from . import audit, spreadsheets
from .bounds import ID_MAX
from .filters import InvalidFilterAnswers400Mixin
from .forms import BoundedDateField, Form
from .pagination import CountingPaginator
from .permissions import AdminRequiredMixin

PAGE_SIZE = 50
# The newest events exported at most; the file says so when there were more.
EXPORT_MAX = 50_000
# Events read at once while exporting (``audit.entries`` per chunk).
EXPORT_CHUNK = 2_000

# The record pages of the tracked models, by model label: URL names only, so
# this core module imports no app.
RECORD_PAGES = {
    "partners.Partnership": "partners:partnership-detail",
    "delegations.Delegation": "delegations:delegation-detail",
    "delegations.Person": "delegations:person-detail",
    "networks.Network": "networks:network-detail",
    "budget.BudgetLine": "budget:line-detail",
    "budget.GrantApplication": "budget:grant-detail",
    "reports.ReportRequest": "reports:request-detail",
    "reports.ReportVersion": "reports:version-detail",
}


def record_url(label: str, object_id) -> str:
    """The page of a record of this kind ("" when its kind has none)."""
    name = RECORD_PAGES.get(label)
    return reverse(name, args=[object_id]) if name else ""


def kind_label(model) -> str:
    return capfirst(str(model._meta.verbose_name))


def kind_choices() -> list[tuple[str, str]]:
    kinds = [(m._meta.label, kind_label(m)) for m in audit.tracked_models()]
    return [("", gettext_lazy("All kinds"))] + sorted(kinds, key=lambda choice: str(choice[1]).casefold())


class ActivityForm(Form):
    """The Activity page's filters, read from the query string."""

    user = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    since = BoundedDateField(label=gettext_lazy("From"), required=False)
    until = BoundedDateField(label=gettext_lazy("To"), required=False)
    record = forms.IntegerField(label=gettext_lazy("Record number"), required=False, min_value=1, max_value=ID_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end must not be before the start."))
        if cleaned.get("record") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of the record."))
        return cleaned

    def events(self):
        """The filtered events (``audit.activity``), newest first; call after ``is_valid()``."""
        data = self.cleaned_data
        model = apps.get_model(data["kind"]) if data.get("kind") else None
        qs = audit.activity(
            user=data.get("user") or None, model=model, since=data.get("since"), until=data.get("until")
        )
        if data.get("record"):
            qs = qs.filter(pgh_obj_id=str(data["record"]))
        return qs


def _form(request) -> ActivityForm:
    return ActivityForm({name: request.GET.get(name, "") for name in ActivityForm.base_fields})


def _kinds() -> dict[str, str]:
    return {m._meta.label: kind_label(m) for m in audit.tracked_models()}


def _existing(entries) -> set[tuple[str, str]]:
    """Which of the entries' records still exist, for the kinds that have a page:
    one query per such kind on the page."""
    ids: dict[str, set[str]] = {}
    for entry in entries:
        if entry.model in RECORD_PAGES:
            ids.setdefault(entry.model, set()).add(entry.object_id)
    found = set()
    for label, keys in ids.items():
        model = apps.get_model(label)
        wanted = [int(key) for key in keys if key.isdigit()]
        found |= {(label, str(pk)) for pk in model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True)}
    return found


def _value(value) -> str:
    return "—" if value is None else value


def _changes_text(entry) -> str:
    """One line per field: "Label: old → new" (as the pages show it)."""
    return "\n".join(f"{capfirst(c.label)}: {_value(c.old)} → {_value(c.new)}" for c in entry.changes)


class ActivityView(AdminRequiredMixin, InvalidFilterAnswers400Mixin, TemplateView):
    """Who changed what in the whole office, for the administrators."""

    template_name = "oia/activity.html"
    filter_context_name = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = _form(self.request)
        context["form"] = form
        if not form.is_valid():
            return context
        # The keys only: a page past the count's estimate is read as rows, and an
        # event's row would make PostgreSQL compute its diff (see audit.activity).
        keys = form.events().values_list("pgh_model", "pgh_id")
        page = CountingPaginator(keys, PAGE_SIZE).get_page(self.request.GET.get("page"))
        entries = audit.entries(page.object_list)
        existing = _existing(entries)
        kinds = _kinds()
        # The page's rows are read only through ``audit.entries``: a test of the page
        # itself (``{% if page_obj %}``) would fetch them with their SQL diffs.
        context["listed"] = True
        context["page_obj"] = page
        context["rows"] = [
            {
                "entry": entry,
                "kind": kinds.get(entry.model, entry.model),
                "url": record_url(entry.model, entry.object_id) if (entry.model, entry.object_id) in existing else "",
            }
            for entry in entries
        ]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_url"] = reverse("activity-export") + ("?" + query.urlencode() if query else "")
        return context


def _bad_request(form) -> HttpResponseBadRequest:
    lines = [
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


def export_rows(qs) -> list[list]:
    """The header and one row per event (newest first, at most ``EXPORT_MAX``)."""
    keys = list(qs.values_list("pgh_model", "pgh_id")[: EXPORT_MAX + 1])
    kinds = _kinds()
    rows = [[_("When"), _("User"), _("From where"), _("Kind of record"), _("Record number"), _("Action"), _("Changes")]]
    for start in range(0, min(len(keys), EXPORT_MAX), EXPORT_CHUNK):
        chunk = keys[start : min(start + EXPORT_CHUNK, EXPORT_MAX)]
        for entry in audit.entries(chunk):
            rows.append(
                [
                    timezone.localtime(entry.when).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.username,
                    entry.where,
                    kinds.get(entry.model, entry.model),
                    entry.object_id,
                    entry.action_label,
                    _changes_text(entry),
                ]
            )
    if len(keys) > EXPORT_MAX:
        note = _("Only the newest %(count)s events are exported: narrow the filters for the rest.")
        rows.append([note % {"count": EXPORT_MAX}])
    return rows


class ActivityExportView(AdminRequiredMixin, View):
    """The filtered activity as CSV (cells cleaned as in every export)."""

    def get(self, request):
        form = _form(request)
        if not form.is_valid():
            return _bad_request(form)
        response = HttpResponse(spreadsheets.to_csv(export_rows(form.events())), content_type="text/csv; charset=utf-8")
        day = datetime.date.today().isoformat()
        response["Content-Disposition"] = f'attachment; filename="activity-{day}.csv"'
        return response
