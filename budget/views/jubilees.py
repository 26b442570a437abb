"""Jubilee plans: "Plan this jubilee" from the jubilees page (the partnership
and the year prefilled), the plan's page, its edit and its cancellation.
The forms hand their values to budget.services.jubilees; a refusal comes
back on the form with what the user typed, a warning (a discretionary line
overdrawn) as a message."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from oia.forms import Form, add_validation_errors
from oia.permissions import OfficeRequiredMixin
from oia.roles import ADMINS, has_role

from ..jubilee_forms import JubileePlanForm
from ..models import JubileePlan, JubileePlanStatus
from ..services import jubilees as services


def plan_url(plan):
    return reverse("budget:jubilee-plan-detail", kwargs={"pk": plan.pk})


class JubileePlanFormMixin(OfficeRequiredMixin):
    form_class = JubileePlanForm
    template_name = "budget/jubilee_plan_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "can_override": has_role(self.request.user, ADMINS)}

    def refused(self, form, error):
        add_validation_errors(form, error)
        return self.form_invalid(form)

    def done(self, planning, message):
        if planning.warning:
            messages.warning(self.request, planning.warning)
        messages.success(self.request, message)
        return redirect(plan_url(planning.plan))


class JubileePlanCreateView(JubileePlanFormMixin, FormView):
    """Plan a jubilee: its events, the estimate and the line that carries it."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "prefill": self.request.GET}

    def form_valid(self, form):
        data = form.plan_fields()
        try:
            planning = services.jubilee_plan_create(by=self.request.user, **data)
        except ValidationError as error:
            return self.refused(form, error)
        return self.done(planning, _("The jubilee is planned; its estimate is committed to the line."))


class JubileePlanUpdateView(JubileePlanFormMixin, FormView):
    """Edits are made on a version: if someone saved in between, the form
    comes back with everything the user typed and the reason."""

    @cached_property
    def plan(self):
        return get_object_or_404(JubileePlan.objects.for_list(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        # The form's instance takes the typed values; the plan read for the heading stays as saved.
        return {**super().get_form_kwargs(), "instance": JubileePlan.objects.get(pk=self.plan.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.plan.status == JubileePlanStatus.CANCELLED:
            messages.info(request, _("A cancelled jubilee plan cannot be changed."))
            return redirect(plan_url(self.plan))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.plan_fields()
        version = form.cleaned_data.get("version") or 0
        try:
            planning = services.jubilee_plan_update(plan=self.plan, version=version, by=self.request.user, **data)
        except ValidationError as error:
            return self.refused(form, error)
        return self.done(planning, _("Your changes were saved."))


class JubileePlanDetailView(OfficeRequiredMixin, DetailView):
    """The plan with what it commits now and its history."""

    template_name = "budget/jubilee_plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return JubileePlan.objects.for_list()

    def get_context_data(self, **kwargs):
        plan = self.object
        return super().get_context_data(
            can_edit=plan.status != JubileePlanStatus.CANCELLED,
            can_cancel=plan.status == JubileePlanStatus.PLANNED,
            **kwargs,
        )


class CancelForm(Form):
    """The version the page was loaded with, so a cancellation is not made
    over a change the user has not seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class JubileePlanCancelView(OfficeRequiredMixin, FormView):
    """Ask, then call the jubilee off: its commitment is released."""

    form_class = CancelForm
    template_name = "budget/jubilee_plan_cancel.html"

    @cached_property
    def plan(self):
        return get_object_or_404(JubileePlan.objects.for_list(), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"version": self.plan.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)

    def form_valid(self, form):
        try:
            services.jubilee_plan_cancel(plan=self.plan, version=form.cleaned_data.get("version"), by=self.request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The jubilee plan was cancelled; its commitment was released."))
        return redirect(plan_url(self.plan))
