"""Editing and removing a delegation's own records (programme items, costs,
gifts, outcomes) from its detail page. The writes go through
``services.records``, which the API calls too: an edit or a removal names the
version the user saw, and a refusal comes back on the page with the reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.generic import DeleteView, UpdateView

from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin

from .. import services
from ..forms import CostForm, GiftForm, OutcomeForm, ProgrammeItemForm, RecordDeleteForm
from ..models import Cost, Gift, Outcome, ProgrammeItem
from .detail import delegation_url, is_htmx, render_section


class RecordMixin(OfficeRequiredMixin):
    """One record of a delegation; the page says which delegation and leads back to its section."""

    template_name = "delegations/delegation_child_form.html"
    anchor = ""
    heading = ""
    success_message = ""

    def get_queryset(self):
        return self.model.objects.select_related("delegation__city")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            delegation=self.object.delegation,
            heading=self.heading,
            back_url=delegation_url(self.object.delegation, self.anchor),
            **kwargs,
        )

    def done(self):
        messages.success(self.request, self.success_message)
        return redirect(delegation_url(self.object.delegation, self.anchor))


class RecordUpdateView(RecordMixin, UpdateView):
    def form_valid(self, form):
        try:
            services.delegation_record_update(
                record=self.object, version=form.cleaned_data.get("version"), **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        return self.done()


class RecordDeleteView(RecordMixin, DeleteView):
    """Asks first; the form carries the version shown, so a record someone
    changed in the meantime is not removed unseen. From the section of the
    delegation's page (htmx, after the page's confirmation dialog) the answer
    is the section, with the message or the reason for a refusal in it."""

    form_class = RecordDeleteForm
    template_name = "delegations/record_confirm_delete.html"
    refusal = ""

    def get_initial(self):
        return {"version": self.object.version}

    def form_valid(self, form):
        try:
            services.delegation_record_delete(record=self.object, version=form.cleaned_data.get("version"))
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if is_htmx(self.request):
            return render_section(
                self.request, self.object.delegation_id, self.anchor, message=self.success_message, removed=True
            )
        return self.done()

    def form_invalid(self, form):
        if is_htmx(self.request):
            errors = [error for field_errors in form.errors.values() for error in field_errors]
            return render_section(
                self.request, self.object.delegation_id, self.anchor, refusal=self.refusal, errors=errors
            )
        return super().form_invalid(form)


class ProgrammeItemUpdateView(RecordUpdateView):
    model = ProgrammeItem
    form_class = ProgrammeItemForm
    anchor = "programme"
    heading = gettext_lazy("Edit the programme item")
    success_message = gettext_lazy("The programme item was saved.")


class ProgrammeItemDeleteView(RecordDeleteView):
    model = ProgrammeItem
    anchor = "programme"
    heading = gettext_lazy("Delete the programme item")
    success_message = gettext_lazy("The programme item was deleted.")
    refusal = gettext_lazy("The programme item was not deleted:")


class CostUpdateView(RecordUpdateView):
    model = Cost
    form_class = CostForm
    anchor = "costs"
    heading = gettext_lazy("Edit the cost")
    success_message = gettext_lazy("The cost was saved.")


class CostDeleteView(RecordDeleteView):
    model = Cost
    anchor = "costs"
    heading = gettext_lazy("Delete the cost")
    success_message = gettext_lazy("The cost was deleted.")
    refusal = gettext_lazy("The cost was not deleted:")


class GiftUpdateView(RecordUpdateView):
    model = Gift
    form_class = GiftForm
    anchor = "gifts"
    heading = gettext_lazy("Edit the gift")
    success_message = gettext_lazy("The gift was saved.")


class GiftDeleteView(RecordDeleteView):
    model = Gift
    anchor = "gifts"
    heading = gettext_lazy("Delete the gift")
    success_message = gettext_lazy("The gift was deleted.")
    refusal = gettext_lazy("The gift was not deleted:")


class OutcomeUpdateView(RecordUpdateView):
    model = Outcome
    form_class = OutcomeForm
    anchor = "outcomes"
    heading = gettext_lazy("Edit the outcome")
    success_message = gettext_lazy("The outcome was saved.")


class OutcomeDeleteView(RecordDeleteView):
    model = Outcome
    anchor = "outcomes"
    heading = gettext_lazy("Delete the outcome")
    success_message = gettext_lazy("The outcome was deleted.")
    refusal = gettext_lazy("The outcome was not deleted:")
