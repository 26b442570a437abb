"""The pages of a person's rights, shared by the apps that hold people: the
data export (Art. 15) as a readable page or JSON, and the anonymisation
(Art. 17) behind a confirmation page with a required reason. Administrators
only. Each app subclasses them with its subject and its service."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from . import rights
from .forms import Form, add_validation_errors
from .permissions import AdminRequiredMixin
from .security import log_event


class AnonymiseForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("For example: the person asked to be erased on 3 March (letter of 1 March)."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class SubjectMixin(AdminRequiredMixin):
    """The subject (a person, a contact, an account) of the page: ``kind`` as
    registered in ``oia.rights``, from ``queryset`` by the URL's ``pk``."""

    kind = ""
    queryset = None
    subject_label = ""  # "Person", "Contact", "Club leader": what the page is about, as a heading's prefix

    @cached_property
    def subject(self):
        return get_object_or_404(self.queryset, pk=self.kwargs["pk"])

    def back_url(self) -> str:
        raise NotImplementedError


class ExportView(SubjectMixin, View):
    """Everything about the subject: a readable page, or with ``?format=json``
    or ``?format=pdf`` a download."""

    template_name = "oia/rights_export.html"

    def get(self, request, *args, **kwargs):
        data = rights.export(self.kind, self.subject)
        log_event("personal_data_exported", request, kind=self.kind, subject_id=self.subject.pk, format=self.fmt)
        if self.fmt == "pdf":
            try:
                pdf = rights.render_pdf(data, subject_label=self.subject_label)
            except Exception as exc:  # a missing library or a failed print: say so on the page
                messages.error(request, _("The PDF could not be printed: %(error)s") % {"error": exc})
            else:
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="{self.kind}-{self.subject.pk}.pdf"'
                return response
        if self.fmt == "json":
            response = HttpResponse(rights.as_json(data), content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{self.kind}-{self.subject.pk}.json"'
            return response
        return render(
            request,
            self.template_name,
            {"data": data, "subject": self.subject, "subject_label": self.subject_label, "back_url": self.back_url()},
        )

    @property
    def fmt(self) -> str:
        fmt = self.request.GET.get("format")
        return fmt if fmt in ("json", "pdf") else "html"


class AnonymiseView(SubjectMixin, FormView):
    """Says what will change, asks for the reason, then calls ``anonymise``."""

    form_class = AnonymiseForm
    template_name = "oia/rights_anonymise.html"
    removed = ()  # what goes, in words
    kept = ()  # what stays, in words
    public_office_note = False  # officials: their names in published reports stay
    success_message = ""

    def anonymise(self, subject, *, by, reason):
        raise NotImplementedError

    def is_anonymised(self) -> bool:
        return self.subject.is_anonymised

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            subject_label=self.subject_label,
            already=self.is_anonymised(),
            removed=self.removed,
            kept=self.kept,
            public_office_note=self.public_office_note,
            back_url=self.back_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            self.anonymise(self.subject, by=self.request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.back_url())
