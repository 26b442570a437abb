"""Umbrella associations of the partnership clubs, for office staff: the list,
the page of one association (its contact, leaders and member clubs) and the
forms. Writes go through partners.services (the member clubs, the version)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DeleteView, DetailView, FormView, UpdateView

from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin

from .. import services
from ..filters import ClubAssociationFilter
from ..forms import ClubAssociationForm
from ..models import Club, ClubAssociation, Partnership


def association_url(association) -> str:
    return reverse("partners:club-association-detail", args=[association.pk])


class ClubAssociationListView(OfficeRequiredMixin, FilterView):
    filterset_class = ClubAssociationFilter
    queryset = ClubAssociation.objects.for_list().order_by("name")
    template_name = "partners/association_list.html"
    paginate_by = 50


class ClubAssociationDetailView(OfficeRequiredMixin, DetailView):
    template_name = "partners/association_detail.html"
    context_object_name = "association"

    def get_queryset(self):
        clubs = Club.objects.order_by("name").prefetch_related(
            Prefetch("partnerships", queryset=Partnership.objects.select_related("partner_city")), "leaders"
        )
        return ClubAssociation.objects.prefetch_related(Prefetch("clubs", queryset=clubs), "leaders")


class ClubAssociationCreateView(OfficeRequiredMixin, FormView):
    form_class = ClubAssociationForm
    template_name = "partners/association_form.html"

    def form_valid(self, form):
        try:
            association = services.club_association_create(**form.model_fields())
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The umbrella association %(name)s was saved.") % {"name": association})
        return redirect(association_url(association))


class ClubAssociationUpdateView(OfficeRequiredMixin, UpdateView):
    model = ClubAssociation
    form_class = ClubAssociationForm
    template_name = "partners/association_form.html"
    context_object_name = "association"

    def form_valid(self, form):
        try:
            association = services.club_association_update(
                association=self.object, version=form.cleaned_data.get("version") or 0, **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(association_url(association))


class ClubAssociationDeleteView(OfficeRequiredMixin, DeleteView):
    """The member clubs stay, outside any umbrella association."""

    model = ClubAssociation
    template_name = "partners/confirm_delete.html"
    success_url = reverse_lazy("partners:club-association-list")

    def get_context_data(self, **kwargs):
        count = self.object.clubs.count()
        consequence = ""
        if count:
            consequence = ngettext(
                "Its member club stays, outside any umbrella association.",
                "Its %(count)s member clubs stay, outside any umbrella association.",
                count,
            ) % {"count": count}
        return super().get_context_data(
            heading=_("Delete the umbrella association"),
            cancel_url=association_url(self.object),
            consequence=consequence,
            **kwargs,
        )

    def form_valid(self, form):
        name = self.object.name
        response = super().form_valid(form)
        messages.success(self.request, _("The umbrella association %(name)s was deleted.") % {"name": name})
        return response
