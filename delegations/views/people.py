"""A person's page, and their rights: the data export and the anonymisation
(administrators only, see ``oia.rights_views``)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from oia.permissions import OfficeRequiredMixin
from oia.rights_views import AnonymiseView, ExportView

from .. import services
from ..models import Participant, Person


class PersonDetailView(OfficeRequiredMixin, DetailView):
    template_name = "delegations/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        participations = Participant.objects.select_related("delegation__city").order_by("-delegation__start_on")
        return Person.objects.select_related("department", "city").prefetch_related(
            Prefetch("participations", queryset=participations)
        )


class PersonMixin:
    kind = "person"
    queryset = Person.objects.select_related("department", "city")
    subject_label = _("Person")

    def back_url(self) -> str:
        return reverse("delegations:person-detail", args=[self.subject.pk])


class PersonExportView(PersonMixin, ExportView):
    pass


class PersonAnonymiseView(PersonMixin, AnonymiseView):
    removed = (
        _("The name, replaced by “Anonymised person” and a number, here and in the delegations' texts."),
        _("The e-mail address."),
        _("The dietary and accessibility needs."),
    )
    kept = (
        _("The participations in delegations, so every count, cost and gift stays as it was."),
        _("The title or function, the department or organisation and the country (the report counts by them)."),
        _("Reports already generated or published: they are frozen."),
    )
    public_office_note = True
    success_message = _("The person was anonymised.")

    def anonymise(self, subject, *, by, reason):
        services.anonymise_person(subject, by=by, reason=reason)
