"""Coordination cases, people and the briefing sheet, for office staff.

Every page reads in a fixed number of queries however many rows it shows;
writes go through delegations.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, FormView

from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin
from partners.anniversaries import next_anniversary
from partners.models import Club, Partnership

from .. import services
from ..choices import CaseState, Direction, ParticipantRole
from ..filters import CoordinationCaseFilter, PersonFilter
from ..forms import CoordinationResolveForm, PersonForm
from ..models import CoordinationCase, Delegation, Participant, Person

CASE_RELATIONS = (
    "trip__department",
    "trip__city",
    "other__department",
    "other__city",
    "resolved_by",
)


def cases_open_first():
    """Open cases before coordinated ones, newest first within each. The
    model's ordering sorts the state values alphabetically, which would put
    "coordinated" first."""
    return (
        CoordinationCase.objects.select_related(*CASE_RELATIONS)
        .annotate(
            state_rank=Case(When(state=CaseState.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("state_rank", "-found_at", "-pk")
    )


class CoordinationCaseListView(OfficeRequiredMixin, FilterView):
    filterset_class = CoordinationCaseFilter
    template_name = "delegations/coordination_list.html"
    paginate_by = 50

    def get_queryset(self):
        return cases_open_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Both delegations of a case are shown the same way, side by side.
        context["rows"] = [(case, (case.trip, case.other)) for case in context["object_list"]]
        return context


class CoordinationResolveView(OfficeRequiredMixin, FormView):
    """Marking a case as coordinated needs a comment saying how."""

    form_class = CoordinationResolveForm
    template_name = "delegations/coordination_resolve.html"

    @cached_property
    def case(self):
        return get_object_or_404(CoordinationCase.objects.select_related(*CASE_RELATIONS), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, case_delegations=(self.case.trip, self.case.other), **kwargs)

    def post(self, request, *args, **kwargs):
        if self.case.state != CaseState.OPEN:
            messages.info(request, _("This case was already marked as coordinated."))
            return redirect("delegations:coordination-list")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.coordination_resolve(case=self.case, by=self.request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(trip)s” and “%(other)s” are marked as coordinated.")
            % {"trip": self.case.trip.title, "other": self.case.other.title},
        )
        return redirect("delegations:coordination-list")


class PersonListView(OfficeRequiredMixin, FilterView):
    filterset_class = PersonFilter
    queryset = Person.objects.select_related("department", "city").order_by("name", "pk")
    template_name = "delegations/person_list.html"
    paginate_by = 50


class PersonCreateView(OfficeRequiredMixin, CreateView):
    form_class = PersonForm
    template_name = "delegations/person_form.html"

    def get_success_url(self):
        messages.success(self.request, _("%(person)s was added.") % {"person": self.object.name})
        return reverse("delegations:person-list")


def participants_lead_first():
    """The head of delegation first, then the others by name."""
    return (
        Participant.objects.select_related("person__department", "person__city")
        .annotate(
            lead_rank=Case(
                When(role=ParticipantRole.LEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("lead_rank", "person__name", "pk")
    )


class BriefingView(OfficeRequiredMixin, DetailView):
    """A printable A4 sheet for the mayor. It leaves out personal needs
    (dietary, accessibility): the sheet travels further than the office."""

    template_name = "delegations/briefing.html"
    context_object_name = "delegation"

    def get_queryset(self):
        partnership = Partnership.objects.select_related("partner_city").prefetch_related(
            "areas", Prefetch("clubs", queryset=Club.objects.order_by("name"))
        )
        return Delegation.objects.select_related("city", "department", "lead").prefetch_related(
            Prefetch("partnership", queryset=partnership),
            "programme",
            Prefetch("participants", queryset=participants_lead_first()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object.partnership
        context["next_anniversary"] = next_anniversary(partnership) if partnership else None
        context["is_outbound"] = self.object.direction == Direction.OUTBOUND
        context["today"] = timezone.localdate()
        return context
