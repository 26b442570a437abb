"""The office's side of the clubs' exchanges: the review list and page, and
inviting club leaders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from oia import invitations, people
from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin
from oia.roles import Role

from .. import services
from ..choices import ReviewStatus
from ..filters import ExchangeFilter
from ..forms import ExchangeReviewForm, LeaderInviteForm
from ..models import Club, Exchange, ExchangeEvent


class ExchangeListView(OfficeRequiredMixin, FilterView):
    """Exchanges to review first: without a filter, the submitted ones."""

    filterset_class = ExchangeFilter
    queryset = Exchange.objects.for_list()
    template_name = "partners/exchange_list.html"
    paginate_by = 50

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not self.request.GET:
            kwargs["data"] = {"review_status": [ReviewStatus.SUBMITTED]}
        return kwargs


class ExchangeReviewView(OfficeRequiredMixin, FormView):
    form_class = ExchangeReviewForm
    template_name = "partners/exchange_review.html"

    @cached_property
    def exchange(self):
        return get_object_or_404(Exchange.objects.for_list(), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"version": self.exchange.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            exchange=self.exchange,
            events=ExchangeEvent.objects.filter(exchange=self.exchange).select_related("by"),
            photos=self.exchange.photos.all(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            exchange = services.exchange_review(exchange=self.exchange, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if exchange.review_status == ReviewStatus.ACCEPTED:
            messages.success(self.request, _("The exchange was accepted."))
        else:
            messages.success(self.request, _("The exchange was returned to the club with your comment."))
        return redirect("partners:exchange-list")


class LeaderInviteView(OfficeRequiredMixin, FormView):
    """Invite a leader of the club (``oia.people.account_invite``, the People
    pages' rule and e-mail): the account is made and the link to set a
    password goes by e-mail; where no e-mail reaches them (no address, or
    e-mail not configured) the link is shown to the staff member instead."""

    form_class = LeaderInviteForm
    template_name = "partners/leader_invite.html"

    @cached_property
    def club(self):
        return get_object_or_404(Club, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(club=self.club, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        address = invitations.base_url(self.request)
        try:
            user = people.account_invite(
                by=self.request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=Role.CLUB_LEADER,
                affiliated_with=[self.club],
                base_url=address,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if user.email and invitations.email_delivered():
            messages.success(self.request, _("The invitation was sent to %(email)s.") % {"email": user.email})
            return redirect("partners:club-list")
        link = invitations.set_password_link(user, address)
        return self.render_to_response(self.get_context_data(form=LeaderInviteForm(), invited=user, link=link))
