"""The club leaders' grant pages, served under /portal/ in the portal's
namespace: applying for a trip grant, changing and sending the application,
taking it back, and reporting after the trip. Every application is looked up
through ``partners.selectors.visible_to``: another club's answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from oia.forms import add_validation_errors
from partners.selectors import visible_to
from partners.views.portal import ClubLeaderRequiredMixin, LeaderClubMixin, exchange_url

from .. import selectors
from ..forms import GrantApplicationForm, GrantReportForm
from ..models import GrantApplication, GrantRules, GrantStatus
from ..services import grants


def application_url(application):
    return reverse("portal:grant-detail", args=[application.pk])


class GrantCreateView(LeaderClubMixin, FormView):
    form_class = GrantApplicationForm
    template_name = "budget/portal/grant_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rules=GrantRules.current(), **kwargs)

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        try:
            application = grants.grant_apply(
                club=self.club, created_by=self.request.user, submit=submit, **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if submit:
            messages.success(self.request, _("Your application was sent to the office."))
        else:
            messages.success(self.request, _("Your application was saved as a draft."))
        return redirect(application_url(application))


class LeaderApplicationMixin(ClubLeaderRequiredMixin):
    @cached_property
    def application(self):
        queryset = GrantApplication.objects.for_list().select_related("exchange")
        return get_object_or_404(visible_to(self.request.user, queryset), pk=self.kwargs["pk"])


class GrantDetailView(LeaderApplicationMixin, TemplateView):
    template_name = "budget/portal/grant_detail.html"

    def get_context_data(self, **kwargs):
        rules = GrantRules.current()
        return super().get_context_data(
            application=self.application,
            club=self.application.club,
            rules=rules,
            allowed=selectors.allowed_for(self.application, rules),
            students_rate=selectors.students_rate_applies(
                travellers=self.application.travellers, students=self.application.students
            ),
            can_report=self.application.status in (GrantStatus.APPROVED, GrantStatus.PAID),
            **kwargs,
        )


class GrantUpdateView(LeaderApplicationMixin, FormView):
    form_class = GrantApplicationForm
    template_name = "budget/portal/grant_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "club": self.application.club, "instance": self.application}

    def get(self, request, *args, **kwargs):
        if not self.application.editable_by_leader:
            messages.info(request, _("A submitted application can no longer be changed."))
            return redirect(application_url(self.application))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, club=self.application.club, rules=GrantRules.current(), **kwargs
        )

    def form_valid(self, form):
        try:
            application = grants.grant_update(
                application=self.application,
                version=form.cleaned_data.get("version") or 0,
                by=self.request.user,
                **form.model_fields(),
            )
            if "submit" in self.request.POST:
                application = grants.grant_submit(application=application, by=self.request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(application_url(application))


class GrantSubmitView(LeaderApplicationMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            grants.grant_submit(application=self.application, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application was sent to the office."))
        return redirect(application_url(self.application))


class GrantWithdrawView(LeaderApplicationMixin, View):
    """Take a submitted application back to change it, before the office decides."""

    def post(self, request, *args, **kwargs):
        try:
            grants.grant_withdraw(application=self.application, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application is a draft again: change it and send it once more."))
        return redirect(application_url(self.application))


class GrantReportView(LeaderApplicationMixin, FormView):
    """After the trip: actual travellers and a short report, which become an exchange."""

    form_class = GrantReportForm
    template_name = "budget/portal/grant_report.html"
    heading = gettext_lazy("Report on the trip")

    def get_initial(self):
        return {"actual_travellers": self.application.travellers}

    def get(self, request, *args, **kwargs):
        if self.application.status not in (GrantStatus.APPROVED, GrantStatus.PAID):
            messages.info(request, _("You can report once the office has approved the grant."))
            return redirect(application_url(self.application))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, club=self.application.club, **kwargs)

    def form_valid(self, form):
        try:
            application = grants.grant_report(application=self.application, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you. Your report was sent to the office as an exchange."))
        return redirect(exchange_url(application.exchange))
