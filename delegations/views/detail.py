"""One delegation for office staff: the detail page with everything the office
needs to organise it, the forms, and the workflow buttons. Writes go through
delegations.services (a delegation's programme, costs, gifts and outcomes
through services.records, edited and removed in views.records)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, FormView, UpdateView

from oia import panels
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin

from .. import services
from ..choices import CaseState, CostCategory, DelegationStatus, MatchKind
from ..forms import (
    CostForm,
    DelegationForm,
    GiftForm,
    OutcomeForm,
    ParticipantForm,
    ProgrammeItemForm,
    TransitionForm,
    workflow_steps,
)
from ..models import CoordinationCase, Cost, Delegation, Outcome, Participant, Transition

# The panels slot of the delegation page (see ``oia.panels``).
DETAIL_PANELS = "delegation-detail"


def delegation_url(delegation, anchor=""):
    url = reverse("delegations:delegation-detail", args=[delegation.pk])
    return f"{url}#{anchor}" if anchor else url


class DelegationDetailView(OfficeRequiredMixin, DetailView):
    """Everything about one delegation on one page, in a fixed number of queries."""

    template_name = "delegations/delegation_detail.html"
    context_object_name = "delegation"

    def get_queryset(self):
        queryset = (
            Delegation.objects.with_size()
            .select_related("city", "partnership__partner_city", "department", "lead")
            .prefetch_related(
                Prefetch("participants", queryset=Participant.objects.select_related("person__department")),
                "programme",
                "costs",
                "gifts",
                Prefetch("outcomes", queryset=Outcome.objects.select_related("owner")),
                Prefetch("transitions", queryset=Transition.objects.select_related("by")),
            )
        )
        # Higher apps' panels (budget: the money booked and committed) add what they show to this one query.
        return panels.prepare(DETAIL_PANELS, queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delegation = self.object
        context.update(panels.context(DETAIL_PANELS, delegation))
        context["cost_totals"], context["cost_overall"] = self.cost_totals(delegation)
        context["needs_reapproval"] = services.needs_reapproval(delegation)
        context["coordination_warnings"] = self.coordination_warnings(delegation)
        context["workflow_actions"] = [
            {"status": status, "label": label} for status, label in workflow_steps(delegation)
        ]
        return context

    @staticmethod
    def cost_totals(delegation):
        """Estimated and actual sums per category and overall, added up by the database."""
        costs = Cost.objects.filter(delegation=delegation).order_by()
        per_category = [
            {**row, "label": CostCategory(row["category"]).label}
            for row in costs.values("category")
            .annotate(estimated=Sum("estimated"), actual=Sum("actual"))
            .order_by("category")
        ]
        overall = costs.aggregate(estimated=Sum("estimated"), actual=Sum("actual"))
        return per_category, overall

    @staticmethod
    def coordination_warnings(delegation):
        """Trips found by the coordination rules now, plus the open cases
        recorded earlier; pairs the office has already coordinated are left out."""
        cases = CoordinationCase.objects.filter(Q(trip=delegation) | Q(other=delegation)).select_related(
            "trip__department", "trip__city", "other__department", "other__city"
        )
        found = {}
        coordinated = set()
        for case in cases:
            other = case.other if case.trip_id == delegation.pk else case.trip
            if case.state == CaseState.OPEN:
                found[other.pk] = (other, case.match)
            else:
                coordinated.add(other.pk)
        for other, match in services.coordination_matches(delegation):
            if other.pk not in coordinated:
                found.setdefault(other.pk, (other, match))
        return [
            {"other": other, "match": match, "text": coordination_text(other, match)}
            for other, match in sorted(found.values(), key=lambda pair: (pair[0].start_on, pair[0].pk))
        ]


def coordination_text(other, match):
    values = {
        "department": other.department.name,
        "city": other.city.name if other.city else other.country.name,
        "country": other.country.name,
        "title": other.title,
        "dates": f"{other.start_on.isoformat()} – {other.end_on.isoformat()}",
    }
    # A case is stored once for both sides: word it by what the other delegation is.
    if not other.is_outbound:
        return _("Visitors from %(city)s at about the same time: %(title)s, %(dates)s") % values
    if match == MatchKind.SAME_COUNTRY:
        return _("Another trip of %(department)s to %(country)s: %(title)s, %(dates)s") % values
    return _("Another trip of %(department)s to %(city)s: %(title)s, %(dates)s") % values


class DelegationCreateView(OfficeRequiredMixin, FormView):
    form_class = DelegationForm
    template_name = "delegations/delegation_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("direction") in ("inbound", "outbound"):
            initial["direction"] = self.request.GET["direction"]
        return initial

    def form_valid(self, form):
        try:
            delegation = services.delegation_create(created_by=self.request.user, **form.model_fields())
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The delegation “%(title)s” was created.") % {"title": delegation.title})
        return redirect(delegation_url(delegation))


class DelegationUpdateView(OfficeRequiredMixin, UpdateView):
    """Edits are made on a version: if someone saved in between, the form
    comes back with everything the user typed and the reason."""

    model = Delegation
    form_class = DelegationForm
    template_name = "delegations/delegation_form.html"
    context_object_name = "delegation"

    def get_queryset(self):
        return Delegation.objects.select_related("city", "department")

    def get_form_kwargs(self):
        # The form and the service write the typed values into the form's
        # instance; self.object stays as saved, for the page heading.
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def form_valid(self, form):
        try:
            delegation = services.delegation_update(
                delegation=form.instance,
                version=form.cleaned_data.get("version") or 0,
                by=self.request.user,
                **form.model_fields(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(delegation_url(delegation))


class DelegationTransitionView(OfficeRequiredMixin, View):
    """One workflow step, from the buttons on the detail page. A refused step
    comes back to the page with the reason."""

    http_method_names = ["post"]

    def post(self, request, pk):
        delegation = get_object_or_404(Delegation, pk=pk)
        form = TransitionForm(request.POST, delegation=delegation)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(delegation_url(delegation, "workflow"))
        try:
            step = services.delegation_transition(by=request.user, delegation=delegation, **form.cleaned_data)
        except services.TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
            return redirect(delegation_url(delegation, "workflow"))
        if step.warning:
            messages.warning(request, step.warning)
        messages.success(
            request,
            _("The delegation is now “%(status)s”.") % {"status": DelegationStatus(delegation.status).label},
        )
        return redirect(delegation_url(delegation, "workflow"))


class DelegationChildMixin(OfficeRequiredMixin):
    """For forms that add something to one delegation."""

    template_name = "delegations/delegation_child_form.html"
    heading = ""
    anchor = ""
    success_message = ""

    @cached_property
    def delegation(self):
        return get_object_or_404(Delegation.objects.select_related("city"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(delegation=self.delegation, heading=self.heading, **kwargs)

    def get_success_url(self):
        return delegation_url(self.delegation, self.anchor)


class ParticipantCreateView(DelegationChildMixin, FormView):
    form_class = ParticipantForm
    heading = gettext_lazy("Add a participant")
    anchor = "participants"

    def form_valid(self, form):
        try:
            participant = services.participant_add(delegation=self.delegation, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(person)s was added.") % {"person": participant.person.name})
        return redirect(self.get_success_url())


class DelegationChildCreateView(DelegationChildMixin, CreateView):
    """Adds a programme item, cost, gift or outcome (``services.records``,
    which the API calls too); editing and removing them: ``views.records``."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "delegation": self.delegation}

    def form_valid(self, form):
        try:
            self.object = services.delegation_record_create(
                delegation=self.delegation, model=form._meta.model, **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class ProgrammeItemCreateView(DelegationChildCreateView):
    form_class = ProgrammeItemForm
    heading = gettext_lazy("Add a programme item")
    anchor = "programme"
    success_message = gettext_lazy("The programme item was added.")


class CostCreateView(DelegationChildCreateView):
    form_class = CostForm
    heading = gettext_lazy("Add a cost")
    anchor = "costs"
    success_message = gettext_lazy("The cost was added.")


class GiftCreateView(DelegationChildCreateView):
    form_class = GiftForm
    heading = gettext_lazy("Record a gift")
    anchor = "gifts"
    success_message = gettext_lazy("The gift was recorded.")


class OutcomeCreateView(DelegationChildCreateView):
    form_class = OutcomeForm
    heading = gettext_lazy("Record an outcome")
    anchor = "outcomes"
    success_message = gettext_lazy("The outcome was recorded.")


class ParticipantDeleteView(OfficeRequiredMixin, DeleteView):
    """Removing a participant also clears them as head of delegation."""

    model = Participant
    template_name = "delegations/participant_confirm_delete.html"
    context_object_name = "participant"

    def get_queryset(self):
        return Participant.objects.select_related("person", "delegation")

    def form_valid(self, form):
        delegation = self.object.delegation
        name = self.object.person.name
        services.participant_remove(participant=self.object)
        messages.success(self.request, _("%(person)s was removed from the delegation.") % {"person": name})
        return redirect(delegation_url(delegation, "participants"))
