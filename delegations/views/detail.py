"""One delegation for office staff: the detail page with everything the office
needs to organise it, the forms, and the workflow buttons. Writes go through
delegations.services (a delegation's programme, costs, gifts and outcomes
through services.records, edited and removed in views.records)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, FormView, UpdateView

from oia import panels, search
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin
from oia.search_views import SearchForm, matches_message
from oia.text import fold
from oia.widgets import record_ids
from partners.models import Partnership

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
from ..selectors import active_partnerships_of

# The panels slot of the delegation page (see ``oia.panels``).
DETAIL_PANELS = "delegation-detail"


def delegation_url(delegation, anchor=""):
    url = reverse("delegations:delegation-detail", args=[delegation.pk])
    return f"{url}#{anchor}" if anchor else url


def detail_queryset():
    """The delegation with everything its page and its sections show, in a fixed number of queries."""
    return (
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


# The sections a delegation's page adds to in place (htmx): their template and
# the id prefix of their add form's fields (unique on the page).
SECTIONS = {
    "participants": ("delegations/_participants.html", "participant-%s"),
    "programme": ("delegations/_programme.html", "programme-%s"),
    "costs": ("delegations/_costs.html", "cost-%s"),
    "gifts": ("delegations/_gifts.html", "gift-%s"),
    "outcomes": ("delegations/_outcomes.html", "outcome-%s"),
}
# Steps that undo the planning: behind a confirmation, with a reason.
DESTRUCTIVE_STEPS = {DelegationStatus.CANCELLED, DelegationStatus.REJECTED}


def add_forms(delegation, cost_totals) -> dict:
    """The empty add forms of the page's sections."""
    return {
        "participant_form": ParticipantForm(delegation=delegation, auto_id=SECTIONS["participants"][1]),
        "programme_form": ProgrammeItemForm(delegation=delegation, auto_id=SECTIONS["programme"][1]),
        "cost_form": CostForm(
            delegation=delegation,
            auto_id=SECTIONS["costs"][1],
            used_categories=[row["category"] for row in cost_totals],
        ),
        "gift_form": GiftForm(delegation=delegation, auto_id=SECTIONS["gifts"][1]),
        "outcome_form": OutcomeForm(delegation=delegation, auto_id=SECTIONS["outcomes"][1]),
    }


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_section(request, pk, name, *, form=None, message="", removed=False, refusal="", errors=()):
    """One section of the page, as htmx swaps it in after an add or a removal:
    the list as saved, the message inside the section (so it is in view) and
    the add form (empty after a save, with the errors after a refusal), focused
    again. After a removal (``removed``) the message takes the focus; a refused
    one gives its ``refusal`` heading and ``errors``."""
    delegation = get_object_or_404(detail_queryset(), pk=pk)
    cost_totals, cost_overall = DelegationDetailView.cost_totals(delegation)
    context = {
        "delegation": delegation,
        "cost_totals": cost_totals,
        "cost_overall": cost_overall,
        **add_forms(delegation, cost_totals),
        "section_message": message,
        "section_refocus_message": removed,
        "section_refusal": refusal,
        "section_errors": errors,
        "refocus": True,
    }
    if form is not None:
        context[form.section_form_name] = form
    return render(request, SECTIONS[name][0], context)


class DelegationDetailView(OfficeRequiredMixin, DetailView):
    """Everything about one delegation on one page, in a fixed number of queries:
    a summary and the actions first, then the sections, each with its add form."""

    template_name = "delegations/delegation_detail.html"
    context_object_name = "delegation"

    def get_queryset(self):
        # Higher apps' panels (budget: the money booked and committed) add what they show to this one query.
        return panels.prepare(DETAIL_PANELS, detail_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delegation = self.object
        context.update(panels.context(DETAIL_PANELS, delegation))
        context["cost_totals"], context["cost_overall"] = self.cost_totals(delegation)
        context.update(add_forms(delegation, context["cost_totals"]))
        context["needs_reapproval"] = services.needs_reapproval(delegation)
        context["coordination_warnings"] = self.coordination_warnings(delegation)
        context["workflow_actions"] = [
            {"status": status, "label": label, "destructive": status in DESTRUCTIVE_STEPS}
            for status, label in workflow_steps(delegation, self.request.user)
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
        # Added up from the categories (as SUM would: missing actuals left out, None when there are none).
        overall = {
            key: sum(values) if (values := [row[key] for row in per_category if row[key] is not None]) else None
            for key in ("estimated", "actual")
        }
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
        "dates": f"{date_format(other.start_on)} – {date_format(other.end_on)}",
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
    """For forms that add something to one delegation. From the page's section
    (htmx) the answer is the section itself; otherwise a refused form comes
    back on its own page and a saved one leads back to the section."""

    template_name = "delegations/delegation_child_form.html"
    heading = ""
    anchor = ""
    success_message = ""

    @cached_property
    def delegation(self):
        return get_object_or_404(Delegation.objects.select_related("city"), pk=self.kwargs["pk"])

    def in_section(self) -> bool:
        """Asked from the section on the delegation's page (htmx)."""
        return self.anchor in SECTIONS and is_htmx(self.request)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.in_section():
            kwargs["auto_id"] = SECTIONS[self.anchor][1]
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(delegation=self.delegation, heading=self.heading, **kwargs)

    def get_success_url(self):
        return delegation_url(self.delegation, self.anchor)

    def form_invalid(self, form):
        if self.in_section():
            form.section_form_name = self.section_form_name
            return render_section(self.request, self.delegation.pk, self.anchor, form=form)
        return super().form_invalid(form)

    def saved(self, message):
        if self.in_section():
            return render_section(self.request, self.delegation.pk, self.anchor, message=message)
        messages.success(self.request, message)
        return redirect(self.get_success_url())


class ParticipantCreateView(DelegationChildMixin, FormView):
    form_class = ParticipantForm
    heading = gettext_lazy("Add a participant")
    anchor = "participants"
    section_form_name = "participant_form"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "delegation": self.delegation}

    def form_valid(self, form):
        role, sector = form.cleaned_data["role"], form.cleaned_data["sector"]
        try:
            if (person_fields := form.person_fields()) is not None:
                participant = services.participant_add_new_person(
                    delegation=self.delegation, person_fields=person_fields, role=role, sector=sector
                )
            else:
                participant = services.participant_add(
                    delegation=self.delegation, person=form.cleaned_data["person"], role=role, sector=sector
                )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        return self.saved(_("%(person)s was added.") % {"person": participant.person.name})


class DelegationChildCreateView(DelegationChildMixin, CreateView):
    """Adds a programme item, cost, gift or outcome (``services.records``,
    which the API calls too); editing and removing them: ``views.records``."""

    section_form_name = ""

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
        return self.saved(self.success_message)


class ProgrammeItemCreateView(DelegationChildCreateView):
    form_class = ProgrammeItemForm
    section_form_name = "programme_form"
    heading = gettext_lazy("Add a programme item")
    anchor = "programme"
    success_message = gettext_lazy("The programme item was added.")


class CostCreateView(DelegationChildCreateView):
    form_class = CostForm
    section_form_name = "cost_form"
    heading = gettext_lazy("Add a cost")
    anchor = "costs"
    success_message = gettext_lazy("The cost was added.")


class GiftCreateView(DelegationChildCreateView):
    form_class = GiftForm
    section_form_name = "gift_form"
    heading = gettext_lazy("Record a gift")
    anchor = "gifts"
    success_message = gettext_lazy("The gift was recorded.")


class OutcomeCreateView(DelegationChildCreateView):
    form_class = OutcomeForm
    section_form_name = "outcome_form"
    heading = gettext_lazy("Record an outcome")
    anchor = "outcomes"
    success_message = gettext_lazy("The outcome was recorded.")


class ParticipantDeleteView(OfficeRequiredMixin, DeleteView):
    """Removing a participant also clears them as head of delegation. Asked
    from the section (htmx, after the page's confirmation dialog), the answer
    is the section; otherwise this page asks first and leads back to it."""

    model = Participant
    template_name = "delegations/participant_confirm_delete.html"
    context_object_name = "participant"

    def get_queryset(self):
        return Participant.objects.select_related("person", "delegation")

    def form_valid(self, form):
        delegation = self.object.delegation
        name = self.object.person.name
        services.participant_remove(participant=self.object)
        message = _("%(person)s was removed from the delegation.") % {"person": name}
        if is_htmx(self.request):
            return render_section(self.request, delegation.pk, "participants", message=message, removed=True)
        messages.success(self.request, message)
        return redirect(delegation_url(delegation, "participants"))


class CityPartnershipsView(OfficeRequiredMixin, View):
    """``?city=<id>&q=``: the city's active partnerships, answered as the
    searchable picker's search is (``oia.search_views``), so the delegation
    form's partnership picker fills in the only one or narrows to them."""

    def get(self, request):
        form = SearchForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        ids = record_ids([request.GET.get("city", "")])
        partnerships = active_partnerships_of(ids[0]) if ids else Partnership.objects.none()
        text = " ".join(form.cleaned_data["q"].split())
        if text:
            partnerships = partnerships.filter(partner_city__search_key__contains=fold(text))
        found = list(partnerships[: search.MATCH_LIMIT])
        return JsonResponse(
            {
                "results": [{"id": str(record.pk), "label": str(record)} for record in found],
                "more": False,
                "message": matches_message(len(found), False),
            }
        )
