"""The club leaders' portal: their club page and logging exchanges. Every
object is looked up through ``selectors.visible_to``: another club's exchange
answers 404, as if it did not exist. Writes go through partners.services.

The leaders of an umbrella association see its page with what the member
clubs sent to the office, and each such exchange and its photos, read only
(``selectors.exchanges_readable_by``); every page that changes something
stays ``visible_to``'s, so it answers them 404.

Higher apps add to the club page through the ``club-page`` panels (budget:
the grant applications) and serve their own portal pages under /portal/
(``budget.views.portal``); the composition root joins them in one namespace."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from oia import panels
from oia.forms import add_validation_errors
from oia.permissions import RoleRequiredMixin
from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .. import services
from ..forms import ExchangeForm, ExchangePhotoForm
from ..models import Club, ClubAssociation, Exchange, ExchangeEvent, ExchangePhoto, Partnership
from ..selectors import exchanges_readable_by, may_change_club_things, visible_to

# The club page lists the newest few exchanges; a club logs a handful a year.
SHOWN_ON_CLUB_PAGE = 50
# The panels slot of the club page (see ``oia.panels``).
CLUB_PAGE_PANELS = "club-page"


class ClubLeaderRequiredMixin(RoleRequiredMixin):
    allowed_roles = CLUB_LEADERS


def leader_clubs(user):
    """The clubs ``user`` leads, with their partnerships (two queries)."""
    return list(
        visible_to(user, Club.objects.all(), club_lookup="")
        .prefetch_related(Prefetch("partnerships", queryset=Partnership.objects.select_related("partner_city")))
        .order_by("name")
    )


def leader_associations(user) -> list:
    """The umbrella associations ``user`` leads (one query)."""
    if not has_role(user, CLUB_LEADERS):
        return []
    return list(ClubAssociation.objects.led_by(user).order_by("name"))


def club_page_context(user, club_id=None) -> dict:
    """What the club page shows: the chosen club (the first one unless
    ``club_id`` names another club the user leads), its partnerships,
    exchanges, the umbrella associations the user leads, and what the
    ``club-page`` panels add. A fixed number of queries."""
    clubs = leader_clubs(user) if has_role(user, CLUB_LEADERS) else []
    associations = leader_associations(user)
    if club_id not in (None, ""):
        chosen = [c for c in clubs if str(c.pk) == str(club_id)]
        if not chosen:
            raise Http404(_("You do not lead this club."))
        club = chosen[0]
    elif clubs:
        club = clubs[0]
    else:
        return {"clubs": [], "club": None, "associations": associations}
    exchanges = list(Exchange.objects.for_list().filter(club=club)[:SHOWN_ON_CLUB_PAGE])
    return {
        "clubs": clubs,
        "club": club,
        "associations": associations,
        "exchanges": exchanges,
        "returned_count": sum(1 for e in exchanges if e.review_status == "returned"),
        **panels.context(CLUB_PAGE_PANELS, club),
    }


class ClubPageView(ClubLeaderRequiredMixin, TemplateView):
    """A leader's club page. The dashboard shows the same page after login."""

    template_name = "partners/portal/club.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(club_page_context(self.request.user, self.kwargs.get("club", self.request.GET.get("club"))))
        return context


class AssociationPageView(ClubLeaderRequiredMixin, TemplateView):
    """An umbrella association as its leaders see it: its member clubs and
    what they sent to the office, newest first, to read. Another association
    answers 404. A fixed number of queries."""

    template_name = "partners/portal/association.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("association", None)  # the URL's id; the page shows the association itself
        members = Club.objects.order_by("name").prefetch_related(
            Prefetch("partnerships", queryset=Partnership.objects.select_related("partner_city"))
        )
        association = get_object_or_404(
            ClubAssociation.objects.led_by(self.request.user).prefetch_related(Prefetch("clubs", queryset=members)),
            pk=self.kwargs["association"],
        )
        readable = exchanges_readable_by(self.request.user, Exchange.objects.for_list())
        exchanges = list(readable.filter(club__association=association)[:SHOWN_ON_CLUB_PAGE])
        return super().get_context_data(association=association, exchanges=exchanges, **kwargs)


class LeaderClubMixin(ClubLeaderRequiredMixin):
    """A form for one of the leader's clubs (``club`` in the URL)."""

    @cached_property
    def club(self):
        return get_object_or_404(
            visible_to(self.request.user, Club.objects.all(), club_lookup=""), pk=self.kwargs["club"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "club": self.club}

    def get_context_data(self, **kwargs):
        return super().get_context_data(club=self.club, **kwargs)


# --- exchanges ---------------------------------------------------------------


def exchange_url(exchange):
    return reverse("portal:exchange-detail", args=[exchange.pk])


class ExchangeCreateView(LeaderClubMixin, FormView):
    form_class = ExchangeForm
    template_name = "partners/portal/exchange_form.html"

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        try:
            exchange = services.exchange_create(
                club=self.club, created_by=self.request.user, submit=submit, **form.model_fields()
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if submit:
            messages.success(self.request, _("The exchange was saved and sent to the office for review."))
        else:
            messages.success(self.request, _("The exchange was saved as a draft."))
        return redirect(exchange_url(exchange))


class LeaderExchangeMixin(ClubLeaderRequiredMixin):
    @cached_property
    def exchange(self):
        queryset = Exchange.objects.for_list()
        return get_object_or_404(visible_to(self.request.user, queryset), pk=self.kwargs["pk"])


class ExchangeDetailView(LeaderExchangeMixin, TemplateView):
    """The club's own leaders see the exchange with what they may do to it;
    an umbrella association's leaders see a member club's, read only."""

    template_name = "partners/portal/exchange_detail.html"

    @cached_property
    def exchange(self):
        readable = exchanges_readable_by(
            self.request.user, Exchange.objects.for_list().select_related("club__association")
        )
        return get_object_or_404(readable, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        can_change = may_change_club_things(self.request.user, self.exchange.club_id)
        return super().get_context_data(
            exchange=self.exchange,
            club=self.exchange.club,
            can_change=can_change,
            events=leader_history(self.exchange),
            hide_office_names=True,
            photos=self.exchange.photos.all(),
            can_remove_photos=can_change and self.exchange.editable_by_leader,
            **kwargs,
        )


def leader_history(exchange):
    """The exchange's history as its leaders see it: the office's people stay
    unnamed ("the office"), only the club's own leaders are named."""
    leads_the_club = Club.leaders.through.objects.filter(club_id=exchange.club_id, user_id=OuterRef("by_id"))
    return (
        ExchangeEvent.objects.filter(exchange=exchange)
        .select_related("by")
        .annotate(by_club_leader=Exists(leads_the_club))
    )


class ExchangeUpdateView(LeaderExchangeMixin, FormView):
    form_class = ExchangeForm
    template_name = "partners/portal/exchange_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "club": self.exchange.club, "instance": self.exchange}

    def get(self, request, *args, **kwargs):
        if not self.exchange.editable_by_leader:
            messages.info(request, _("This exchange has been accepted by the office and can no longer be changed."))
            return redirect(exchange_url(self.exchange))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(exchange=self.exchange, club=self.exchange.club, **kwargs)

    def form_valid(self, form):
        try:
            exchange = services.exchange_update(
                exchange=self.exchange,
                version=form.cleaned_data.get("version") or 0,
                by=self.request.user,
                **form.model_fields(),
            )
            if "submit" in self.request.POST:
                exchange = services.exchange_submit(exchange=exchange, by=self.request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        if exchange.review_status == "submitted" and "submit" in self.request.POST:
            messages.success(self.request, _("Your changes were saved and sent to the office for review."))
        else:
            messages.success(self.request, _("Your changes were saved."))
        return redirect(exchange_url(exchange))


class ExchangeSubmitView(LeaderExchangeMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.exchange_submit(exchange=self.exchange, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The exchange was sent to the office for review."))
        return redirect(exchange_url(self.exchange))


class ExchangeDeleteView(LeaderExchangeMixin, TemplateView):
    """GET asks for confirmation; POST deletes a draft logged by mistake."""

    template_name = "partners/portal/exchange_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(exchange=self.exchange, club=self.exchange.club, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.exchange_delete(exchange=self.exchange, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(exchange_url(self.exchange))
        messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": self.exchange.title})
        return redirect("portal:club", club=self.exchange.club_id)


class ExchangePhotoCreateView(LeaderExchangeMixin, FormView):
    form_class = ExchangePhotoForm
    template_name = "partners/portal/photo_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(exchange=self.exchange, club=self.exchange.club, **kwargs)

    def form_valid(self, form):
        try:
            services.exchange_photo_add(
                exchange=self.exchange,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The photo was added."))
        return redirect(exchange_url(self.exchange) + "#photos")


class ExchangePhotoDeleteView(ClubLeaderRequiredMixin, TemplateView):
    """GET shows the photo and asks for confirmation; POST removes it."""

    template_name = "partners/portal/photo_delete.html"

    @cached_property
    def photo(self):
        photos = ExchangePhoto.objects.select_related("exchange__club")
        return get_object_or_404(visible_to(self.request.user, photos, "exchange__club"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        exchange = self.photo.exchange
        return super().get_context_data(photo=self.photo, exchange=exchange, club=exchange.club, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.exchange_photo_remove(photo=self.photo, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The photo was removed."))
        return redirect(exchange_url(self.photo.exchange) + "#photos")


def exchange_photo(request, pk):
    """Photos are not public: the office, the exchange's club leaders and,
    once the club sent the exchange, its umbrella association's leaders see them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_role(request.user, OFFICE | CLUB_LEADERS):
        raise PermissionDenied
    photo = get_object_or_404(exchanges_readable_by(request.user, ExchangePhoto.objects.all(), "exchange"), pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file of this photo is missing.")) from exc
    return FileResponse(handle, content_type="image/jpeg", filename=Path(photo.image.name).name)
