"""The office's side of the clubs' exchanges: the review list and page, and
inviting club leaders."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.functional import cached_property
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.generic import FormView

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


def set_password_link(request, user) -> str:
    """A one-time link to set a password, made with Django's password-reset tokens."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def email_configured() -> bool:
    return not settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "dummy.EmailBackend"))


class LeaderInviteView(OfficeRequiredMixin, FormView):
    """Create a club leader's account and give them a link to set their password:
    by email when email is configured, otherwise shown to the staff member."""

    form_class = LeaderInviteForm
    template_name = "partners/leader_invite.html"

    @cached_property
    def club(self):
        return get_object_or_404(Club, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(club=self.club, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get_or_create(name=Role.CLUB_LEADER)[0])
            self.club.leaders.add(user)
        link = set_password_link(self.request, user)
        if user.email and email_configured():
            send_mail(
                _("Your access to the club portal"),
                _("Hello %(name)s,\n\nyou can now log your club's exchanges. Set your password here:\n%(link)s\n")
                % {"name": user.get_full_name(), "link": link},
                None,
                [user.email],
            )
            messages.success(self.request, _("The invitation was sent to %(email)s.") % {"email": user.email})
            return redirect("partners:club-list")
        return self.render_to_response(self.get_context_data(form=LeaderInviteForm(), invited=user, link=link))
