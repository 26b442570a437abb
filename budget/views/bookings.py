"""Expenses, amendments, transfers and supplementary requests. Each form hands
its values to budget.services; a refusal comes back on the form with what the
user typed, a warning (a discretionary line overdrawn) as a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView

from oia.forms import add_validation_errors
from oia.permissions import AdminRequiredMixin, OfficeRequiredMixin
from oia.roles import ADMINS, has_role

from .. import selectors, services
from ..forms import AmendmentForm, ExpenseForm, SupplementaryDecideForm, SupplementaryRequestForm, TransferForm
from ..models import BudgetLine, RequestStatus, SupplementaryRequest
from .overview import BudgetYearMixin, line_url, overview_url


class LineChildMixin:
    """For forms about one line: the page shows the line and what is available."""

    template_name = "budget/line_child_form.html"
    heading = ""
    submit_label = gettext_lazy("Save")

    @cached_property
    def line(self):
        line = get_object_or_404(
            BudgetLine.objects.with_amounts().select_related("budget", "partnership__partner_city"),
            pk=self.kwargs["pk"],
        )
        return selectors.with_state(line)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            line=self.line,
            budget=self.line.budget,
            heading=self.heading,
            submit_label=self.submit_label,
            **kwargs,
        )

    def refused(self, form, error):
        add_validation_errors(form, error)
        return self.form_invalid(form)


class ExpenseCreateView(OfficeRequiredMixin, LineChildMixin, FormView):
    """Book an expense. On a line-item line the service refuses an overdraft
    unless an administrator gives a reason; on a discretionary one it books
    and warns."""

    form_class = ExpenseForm
    heading = gettext_lazy("Book an expense")
    submit_label = gettext_lazy("Book the expense")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "line": self.line,
            "can_override": has_role(self.request.user, ADMINS),
        }

    def get_initial(self):
        """From a delegation's page ("Book an invoice"), ``?delegation=<id>``
        prefills the trip, if it fits the line; anything else is ignored."""
        initial = super().get_initial()
        trip = self.request.GET.get("delegation", "")
        if trip.isascii() and trip.isdigit() and len(trip) <= 18:
            delegation = self.line.fitting_trips().filter(pk=int(trip)).first()
            if delegation is not None:
                initial["delegation"] = delegation
                initial["description"] = _("Invoice: %(title)s") % {"title": delegation.title}
        return initial

    def form_valid(self, form):
        try:
            booking = services.expense_book(line=self.line, by=self.request.user, **form.booking_kwargs())
        except ValidationError as error:
            return self.refused(form, error)
        if booking.warning:
            messages.warning(self.request, booking.warning)
        messages.success(self.request, _("The expense was booked."))
        return redirect(line_url(self.line) + "#expenses")


class AmendmentCreateView(AdminRequiredMixin, LineChildMixin, FormView):
    """A council decision changing a line of an adopted line-item budget."""

    form_class = AmendmentForm
    heading = gettext_lazy("Record an amendment")
    submit_label = gettext_lazy("Record the amendment")

    def form_valid(self, form):
        try:
            services.amendment_record(line=self.line, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, _("The amendment was recorded."))
        return redirect(line_url(self.line) + "#changes")


class SupplementaryRequestCreateView(OfficeRequiredMixin, LineChildMixin, CreateView):
    """A request to the council for extra money on this line (saved as a draft
    until an administrator records it as submitted or decided)."""

    form_class = SupplementaryRequestForm
    heading = gettext_lazy("Request a supplementary grant")
    submit_label = gettext_lazy("Save the request")

    def form_valid(self, form):
        form.instance.line = self.line
        form.instance.created_by = self.request.user
        form.save()
        messages.success(self.request, _("The supplementary request was saved."))
        return redirect(line_url(self.line) + "#requests")


class SupplementaryDecideView(AdminRequiredMixin, LineChildMixin, FormView):
    """Record the council's answer; a grant raises the line."""

    form_class = SupplementaryDecideForm
    heading = gettext_lazy("Record the council's decision")
    submit_label = gettext_lazy("Record the decision")

    @cached_property
    def supplementary_request(self):
        return get_object_or_404(SupplementaryRequest.objects.select_related("created_by"), pk=self.kwargs["pk"])

    @cached_property
    def line(self):
        line = get_object_or_404(
            BudgetLine.objects.with_amounts().select_related("budget", "partnership__partner_city"),
            pk=self.supplementary_request.line_id,
        )
        return selectors.with_state(line)

    def get_context_data(self, **kwargs):
        request = self.supplementary_request
        return super().get_context_data(
            supplementary_request=request,
            already_decided=request.status in (RequestStatus.GRANTED, RequestStatus.REFUSED),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            request = services.supplementary_request_decide(
                request=self.supplementary_request, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(
            self.request,
            _("The request is now “%(status)s”.") % {"status": RequestStatus(request.status).label},
        )
        return redirect(line_url(self.line) + "#requests")


class TransferCreateView(AdminRequiredMixin, BudgetYearMixin, FormView):
    """Move money between two lines of an adopted discretionary budget."""

    form_class = TransferForm
    template_name = "budget/transfer_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "budget": self.budget}

    def form_valid(self, form):
        try:
            services.transfer_record(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The transfer from “%(source)s” to “%(target)s” was recorded.")
            % {"source": form.cleaned_data["source"].name, "target": form.cleaned_data["target"].name},
        )
        return redirect(overview_url(self.budget))
