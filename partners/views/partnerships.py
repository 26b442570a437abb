"""Partnerships for office staff: the filtered list, the detail page with its
timeline, and the forms. Writes go through partners.services."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, DetailView, FormView, UpdateView

from oia import panels
from oia.filters import FilterView
from oia.forms import VersionedDeleteForm, add_validation_errors
from oia.permissions import OfficeRequiredMixin
from oia.roles import OFFICE, has_role

from .. import gazetteer, services
from ..anniversaries import next_anniversary
from ..choices import ReviewStatus, Status
from ..filters import ClubFilter, PartnershipFilter
from ..forms import (
    CityEditForm,
    CityForm,
    ClubForm,
    ContactForm,
    DocumentForm,
    PartnershipForm,
    StatusChangeForm,
    SubPartnershipForm,
    TrilateralLinkForm,
)
from ..models import City, Club, Contact, Document, Partnership, StatusChange, SubPartnership, TrilateralLink

# The gazetteer's places of one name shown to choose from (most populous first).
MAX_CANDIDATES = 20


class PartnershipListView(OfficeRequiredMixin, FilterView):
    filterset_class = PartnershipFilter
    queryset = Partnership.objects.for_list()
    template_name = "partners/partnership_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        context["current_ordering"] = self.request.GET.get("ordering", "")
        return context


# The panels slot of the partnership page (see ``oia.panels``).
DETAIL_PANELS = "partnership-detail"

# The page's status steps, in the words of the button; ending has its own form, as it asks first.
STATUS_STEP_LABELS = {
    Status.ACTIVE: gettext_lazy("Mark as active"),
    Status.DORMANT: gettext_lazy("Mark as dormant"),
    Status.FROZEN: gettext_lazy("Freeze"),
}


class PartnershipDetailView(OfficeRequiredMixin, DetailView):
    template_name = "partners/partnership_detail.html"
    context_object_name = "partnership"
    delegations_shown = 20

    def get_queryset(self):
        return Partnership.objects.select_related("partner_city", "responsible_officer").prefetch_related(
            "areas",
            "sub_partnerships",
            "contacts",
            "documents",
            Prefetch("clubs", queryset=Club.objects.order_by("name")),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("recorded_by")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        context["next_anniversary"] = next_anniversary(partnership)
        context["timeline"] = self.timeline(partnership)
        context["trilateral_links"] = self.trilateral_links(partnership)
        # One query, newest first; the filtered delegation list has the rest.
        context["delegations"] = list(partnership.delegations.order_by("-start_on", "-pk")[: self.delegations_shown])
        context["delegations_url"] = f"{reverse('delegations:delegation-list')}?partnership={partnership.pk}"
        # One query: the clubs' exchanges (drafts are the club's own business).
        context["exchanges"] = list(
            partnership.exchanges.exclude(review_status=ReviewStatus.DRAFT)
            .select_related("club")
            .order_by("-starts_on", "-pk")[: self.delegations_shown]
        )
        context["exchanges_url"] = (
            f"{reverse('partners:exchange-list')}?partnership={partnership.pk}"
            "&review_status=submitted&review_status=returned&review_status=accepted"
        )
        # What higher apps show about the partnership (budget: this year's lines and their amounts).
        context.update(panels.context(DETAIL_PANELS, partnership))
        steps = partnership.next_statuses()
        context["status_steps"] = [
            {"status": status, "label": STATUS_STEP_LABELS[status]} for status in steps if status != Status.ENDED
        ]
        context["can_end"] = Status.ENDED in steps
        return context

    @staticmethod
    def trilateral_links(partnership) -> list[dict]:
        """The links on either side of the partnership (one query), each with
        what it joins this partnership with: another partnership or a city."""
        rows = []
        for link in TrilateralLink.objects.touching(partnership).for_list().order_by("pk"):
            other = link.other_side(partnership)
            rows.append(
                {
                    "link": link,
                    "partnership": other if isinstance(other, Partnership) else None,
                    "city": other if isinstance(other, City) else None,
                    "recorded_here": link.partnership_id == partnership.pk,
                }
            )
        return rows

    @staticmethod
    def timeline(partnership):
        """Dated events of the partnership, newest first."""
        events = [
            {"date": change.effective_on, "kind": "status", "change": change}
            for change in partnership.status_changes.all()
        ]
        events += [
            {"date": sub.since, "kind": "sub_partnership", "sub": sub}
            for sub in partnership.sub_partnerships.all()
            if sub.since
        ]
        events += [
            {"date": document.signed_on, "kind": "document", "document": document}
            for document in partnership.documents.all()
            if document.signed_on
        ]
        return sorted(events, key=lambda event: (event["date"], event["kind"] == "status"), reverse=True)


class PartnershipCreateView(OfficeRequiredMixin, FormView):
    form_class = PartnershipForm
    template_name = "partners/partnership_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("city", "").isdigit():
            initial["partner_city"] = self.request.GET["city"]
        return initial

    def form_valid(self, form):
        try:
            partnership = services.partnership_create(
                recorded_by=self.request.user, areas=form.cleaned_data["areas"], **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The partnership with %(city)s was created.") % {"city": partnership})
        return redirect(partnership_url(partnership))


class PartnershipUpdateView(OfficeRequiredMixin, UpdateView):
    form_class = PartnershipForm
    model = Partnership
    template_name = "partners/partnership_form.html"
    context_object_name = "partnership"

    def form_valid(self, form):
        try:
            partnership = services.partnership_update(
                partnership=self.object,
                version=form.cleaned_data.get("version") or 0,
                areas=form.cleaned_data["areas"],
                **form.model_fields(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(partnership_url(partnership))


def partnership_url(partnership):
    return reverse("partners:partnership-detail", args=[partnership.pk])


class PartnershipChildMixin(OfficeRequiredMixin):
    """For forms that add something under one partnership's umbrella."""

    template_name = "partners/partnership_child_form.html"
    heading = ""

    @cached_property
    def partnership(self):
        return get_object_or_404(Partnership.objects.select_related("partner_city"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, heading=self.heading, **kwargs)

    def get_success_url(self):
        return partnership_url(self.partnership)


class StatusChangeCreateView(PartnershipChildMixin, FormView):
    """The status form; ``?status=`` (a step on the partnership's page) chooses the status."""

    form_class = StatusChangeForm
    heading = gettext_lazy("Record a status change")

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("status") in Status.values:
            initial["status"] = self.request.GET["status"]
        return initial

    def form_valid(self, form):
        try:
            services.partnership_change_status(
                partnership=self.partnership, recorded_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The status change was recorded."))
        return redirect(self.get_success_url() + "#timeline")


class PartnershipChildCreateView(PartnershipChildMixin, CreateView):
    success_message = ""

    def form_valid(self, form):
        form.instance.partnership = self.partnership
        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response


class SubPartnershipCreateView(PartnershipChildCreateView):
    form_class = SubPartnershipForm
    heading = gettext_lazy("Add a sub-partnership")
    success_message = gettext_lazy("The sub-partnership was added.")


class TrilateralLinkCreateView(PartnershipChildCreateView):
    form_class = TrilateralLinkForm
    heading = gettext_lazy("Add a trilateral link")
    success_message = gettext_lazy("The trilateral link was added.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.partnership}


class ContactCreateView(PartnershipChildCreateView):
    form_class = ContactForm
    heading = gettext_lazy("Add a contact")
    success_message = gettext_lazy("The contact was added.")


class DocumentCreateView(PartnershipChildCreateView):
    form_class = DocumentForm
    heading = gettext_lazy("Upload a document")
    success_message = gettext_lazy("The document was uploaded.")

    def form_valid(self, form):
        form.instance.uploaded_by = self.request.user
        return super().form_valid(form)


class PartnershipChildEditMixin(OfficeRequiredMixin):
    """Edit or delete one record under a partnership's umbrella."""

    template_name = "partners/partnership_child_form.html"
    heading = ""
    success_message = ""

    def get_queryset(self):
        return self.model.objects.select_related("partnership__partner_city")

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.object.partnership, heading=self.heading, **kwargs)

    def get_success_url(self):
        messages.success(self.request, self.success_message)
        return partnership_url(self.object.partnership)


class PartnershipRecordUpdateView(PartnershipChildEditMixin, UpdateView):
    """Edits a sub-partnership or trilateral link at the version the form was
    loaded with (``services.sub_records``, which the API calls too); a refusal
    comes back on the form with the reason and what the user typed."""

    def form_valid(self, form):
        try:
            services.partnership_record_update(
                record=self.object, version=form.cleaned_data.get("version"), **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class PartnershipRecordDeleteView(PartnershipChildEditMixin, DeleteView):
    """Asks first; the confirmation carries the version shown, so a record
    someone changed in the meantime is not removed unseen."""

    form_class = VersionedDeleteForm
    template_name = "partners/confirm_delete.html"

    def get_initial(self):
        return {"version": self.object.version}

    def form_valid(self, form):
        try:
            services.partnership_record_delete(record=self.object, version=form.cleaned_data.get("version"))
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class SubPartnershipUpdateView(PartnershipRecordUpdateView):
    model = SubPartnership
    form_class = SubPartnershipForm
    heading = gettext_lazy("Edit the sub-partnership")
    success_message = gettext_lazy("The sub-partnership was saved.")


class SubPartnershipDeleteView(PartnershipRecordDeleteView):
    model = SubPartnership
    heading = gettext_lazy("Delete the sub-partnership")
    success_message = gettext_lazy("The sub-partnership was deleted.")


class TrilateralLinkUpdateView(PartnershipRecordUpdateView):
    """Edited from either partnership's page; it stays under the partnership it was recorded for."""

    model = TrilateralLink
    form_class = TrilateralLinkForm
    heading = gettext_lazy("Edit the trilateral link")
    success_message = gettext_lazy("The trilateral link was saved.")

    def get_queryset(self):
        return TrilateralLink.objects.for_list()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.object.partnership}


class TrilateralLinkDeleteView(PartnershipRecordDeleteView):
    model = TrilateralLink
    heading = gettext_lazy("Delete the trilateral link")
    success_message = gettext_lazy("The trilateral link was deleted.")

    def get_queryset(self):
        return TrilateralLink.objects.for_list()


class ContactUpdateView(PartnershipChildEditMixin, UpdateView):
    model = Contact
    form_class = ContactForm
    heading = gettext_lazy("Edit the contact")
    success_message = gettext_lazy("The contact was saved.")


class ContactDeleteView(PartnershipChildEditMixin, DeleteView):
    """Personal data is deleted, not archived, when a counterpart leaves."""

    model = Contact
    template_name = "partners/confirm_delete.html"
    heading = gettext_lazy("Delete the contact")
    success_message = gettext_lazy("The contact was deleted.")


class DocumentDeleteView(PartnershipChildEditMixin, DeleteView):
    model = Document
    template_name = "partners/confirm_delete.html"
    heading = gettext_lazy("Delete the document")
    success_message = gettext_lazy("The document was deleted.")

    def form_valid(self, form):
        success_url = self.get_success_url()
        services.document_delete(document=self.object)
        return redirect(success_url)


def document_download(request, pk):
    """Documents are never public: only office staff download them, as attachments."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_role(request.user, OFFICE):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this document is missing.")) from exc
    return FileResponse(handle, as_attachment=True, filename=Path(document.file.name).name)


class CityCreateView(OfficeRequiredMixin, CreateView):
    model = City
    form_class = CityForm
    template_name = "partners/city_form.html"

    def form_valid(self, form):
        """Through the service, so a city typed without coordinates is filled
        from the gazetteer when its name and country match one place."""
        try:
            self.object = services.city_create(**form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        return redirect(self.get_success_url())

    def get_success_url(self):
        messages.success(self.request, _("%(city)s was added. Now record the partnership.") % {"city": self.object})
        return reverse("partners:partnership-create") + f"?city={self.object.pk}"


class ClubListView(OfficeRequiredMixin, FilterView):
    filterset_class = ClubFilter
    template_name = "partners/club_list.html"
    paginate_by = 50
    queryset = (
        Club.objects.select_related("association")
        .prefetch_related(
            Prefetch("partnerships", queryset=Partnership.objects.select_related("partner_city")), "leaders"
        )
        .order_by("name")
    )


class ClubFormMixin(OfficeRequiredMixin):
    model = Club
    form_class = ClubForm
    template_name = "partners/club_form.html"

    def get_success_url(self):
        messages.success(self.request, _("The club %(club)s was saved.") % {"club": self.object})
        return reverse("partners:club-list")


class ClubCreateView(ClubFormMixin, CreateView):
    pass


class ClubUpdateView(ClubFormMixin, UpdateView):
    pass


class CityDetailView(OfficeRequiredMixin, DetailView):
    """A city's facts, its names and the partnerships with it."""

    model = City
    template_name = "partners/city_detail.html"
    context_object_name = "city"

    def get_context_data(self, **kwargs):
        partnerships = Partnership.objects.for_list().filter(partner_city=self.object)
        return super().get_context_data(partnerships=partnerships, **kwargs)


class CityUpdateView(OfficeRequiredMixin, UpdateView):
    """Edits a city. "Look up in the gazetteer" (``?lookup=1``) lists the
    places of the city's name and country; choosing one (``?place=<GeoNames
    id>``) fills the form with its coordinates, population and other names,
    to be checked and saved."""

    model = City
    form_class = CityEditForm
    template_name = "partners/city_edit.html"
    context_object_name = "city"

    @cached_property
    def candidates(self) -> list:
        if "lookup" not in self.request.GET and "place" not in self.request.GET:
            return []
        return gazetteer.lookup(self.object.name, self.object.country.code)[:MAX_CANDIDATES]

    @cached_property
    def chosen(self):
        wanted = self.request.GET.get("place", "")
        return next((place for place in self.candidates if str(place.geonames_id) == wanted), None)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == "GET" and self.chosen:
            copy = City(alternative_names=list(self.object.alternative_names or []), name=self.object.name)
            gazetteer.apply(copy, self.chosen)
            for name in ("latitude", "longitude", "population", "geonames_id", "alternative_names"):
                initial[name] = getattr(copy, name)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            candidates=self.candidates,
            looked_up="lookup" in self.request.GET,
            chosen=self.chosen,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            city = services.city_update(
                city=self.object, version=form.cleaned_data.get("version") or 0, **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(reverse("partners:city-detail", args=[city.pk]))
