"""The office's side of trip grants: the list of applications, the decision
page (approve with an amount and a line, reject with a reason, pay, cancel)
and the grant rules. Writes go through budget.services.grants."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin
from oia.roles import ADMINS, has_role

from .. import selectors
from ..filters import GrantApplicationFilter
from ..forms import GrantApproveForm, GrantPayForm, GrantRejectForm, GrantRulesForm
from ..models import GrantApplication, GrantRules
from ..services import grants


class GrantListView(OfficeRequiredMixin, FilterView):
    filterset_class = GrantApplicationFilter
    queryset = GrantApplication.objects.for_list()
    template_name = "budget/grant_list.html"
    paginate_by = 50


def grant_url(application):
    return reverse("budget:grant-detail", args=[application.pk])


class GrantDetailView(OfficeRequiredMixin, TemplateView):
    """One application with the amount the rules allow, and the decision forms.
    Each form posts ``action`` (approve, reject, pay or cancel)."""

    template_name = "budget/grant_detail.html"

    @cached_property
    def application(self):
        queryset = GrantApplication.objects.for_list().select_related("exchange", "decided_by", "four_eyes_override_by")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        application = self.application
        rules = GrantRules.current()
        allowed = selectors.allowed_for(application, rules)
        kwargs.setdefault(
            "approve_form",
            GrantApproveForm(initial={"approved_amount": min(allowed, application.requested_amount)}),
        )
        kwargs.setdefault("reject_form", GrantRejectForm())
        kwargs.setdefault("pay_form", GrantPayForm())
        return super().get_context_data(
            application=application,
            rules=rules,
            allowed=allowed,
            already_granted=selectors.granted_this_year(
                club=application.club, year=application.starts_on.year, exclude=application
            ),
            students_rate=selectors.students_rate_applies(
                travellers=application.travellers, students=application.students
            ),
            expenses=application.expenses.select_related("booked_by"),
            four_eyes=grants.four_eyes_apply(application, self.request.user),
            is_admin=has_role(self.request.user, ADMINS),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        application = self.application
        try:
            if action == "approve":
                form = GrantApproveForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(approve_form=form))
                try:
                    grants.grant_approve(application=application, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_validation_errors(form, error)
                    return self.render_to_response(self.get_context_data(approve_form=form))
                messages.success(request, _("The grant was approved and the amount committed on the budget line."))
            elif action == "reject":
                form = GrantRejectForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(reject_form=form))
                grants.grant_reject(
                    application=application, by=request.user, reason=form.cleaned_data["rejection_reason"]
                )
                messages.success(request, _("The application was rejected."))
            elif action == "pay":
                form = GrantPayForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(pay_form=form))
                try:
                    booking = grants.grant_pay(
                        application=application,
                        by=request.user,
                        four_eyes_override_reason=form.cleaned_data[grants.FOUR_EYES_FIELD],
                    )
                except ValidationError as error:
                    if grants.FOUR_EYES_FIELD not in getattr(error, "error_dict", {}):
                        raise  # answered as a message, like every other refusal here
                    add_validation_errors(form, error)
                    return self.render_to_response(self.get_context_data(pay_form=form))
                messages.success(request, _("The payment was booked."))
                if booking.warning:
                    messages.warning(request, booking.warning)
            elif action == "cancel":
                grants.grant_cancel(application=application, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The grant was cancelled and its commitment released."))
            else:
                messages.error(request, _("Choose what to do with the application."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(grant_url(application))


class GrantRulesView(OfficeRequiredMixin, FormView):
    form_class = GrantRulesForm
    template_name = "budget/grant_rules.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": GrantRules.current()}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in grants.RULE_FIELDS}
        try:
            grants.grant_rules_update(
                rules=form.instance, version=form.cleaned_data.get("version") or 0, by=self.request.user, **fields
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The grant rules were saved."))
        return redirect("budget:grant-rules")
