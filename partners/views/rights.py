"""The rights of contacts and club leaders (administrators only): the data
export and the anonymisation (see ``oia.rights_views``), and the list of club
leaders' accounts they start from."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from oia.permissions import AdminRequiredMixin
from oia.rights_views import AnonymiseView, ExportView

from .. import services
from ..models import Contact


class ContactMixin:
    kind = "contact"
    queryset = Contact.objects.select_related("partnership__partner_city")
    subject_label = _("Contact")

    def back_url(self) -> str:
        return reverse("partners:partnership-detail", args=[self.subject.partnership_id])


class ContactExportView(ContactMixin, ExportView):
    pass


class ContactAnonymiseView(ContactMixin, AnonymiseView):
    removed = (_("The name, replaced by “Anonymised contact” and a number."), _("The e-mail address and phone number."))
    kept = (
        _("The role and organisation (an office, not a person), the language and the partnership."),
        _("Reports already generated or published: they are frozen."),
    )
    public_office_note = True
    success_message = _("The contact was anonymised.")

    def anonymise(self, subject, *, by, reason):
        services.anonymise_contact(subject, by=by, reason=reason)


class LeaderListView(AdminRequiredMixin, ListView):
    """Club leaders' accounts, former ones too: where their data is exported or erased."""

    template_name = "partners/leader_list.html"
    context_object_name = "leaders"
    paginate_by = 50

    def get_queryset(self):
        return (
            services.club_leaders()
            .select_related("anonymisation")
            .prefetch_related("clubs_led", "associations_led")
            .order_by("username", "pk")
        )


class LeaderMixin:
    kind = "user"
    subject_label = _("Club leader")

    @property
    def queryset(self):
        return services.club_leaders()

    def back_url(self) -> str:
        return reverse("partners:leader-list")


class LeaderExportView(LeaderMixin, ExportView):
    pass


class LeaderAnonymiseView(LeaderMixin, AnonymiseView):
    removed = (
        _("The user name, first and last name and e-mail address; the account is deactivated and cannot sign in."),
        _("The account's notifications and its place among the clubs' leaders."),
    )
    kept = (
        _(
            "The exchanges, photos and grant applications: they belong to the club; "
            "their author is shown as “former club leader”."
        ),
        _("Reports already generated or published: they are frozen."),
    )
    success_message = _("The club leader's account was deactivated and anonymised.")

    def is_anonymised(self) -> bool:
        return hasattr(self.subject, "anonymisation")

    def anonymise(self, subject, *, by, reason):
        services.anonymise_club_leader(subject, by=by, reason=reason)
