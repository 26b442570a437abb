"""Events for office staff (the list, the page of one event with its guests
and costs, the forms and the seating plan), the guests' answer page reached
by their personal link, and the public pages and calendar of public events.

Writes go through ``protocol.services``, which applies the budget's rules to
the costs and the version check to every edit. The answer page and the public
pages need no account: the former is found only by the token's hash, the
latter show only what ``Event.objects.public()`` lets anyone see."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView

from oia.calendar_feeds import CONTENT_TYPE, feed_calendar
from oia.filters import FilterView
from oia.forms import add_validation_errors
from oia.permissions import OfficeRequiredMixin

from .. import services
from ..choices import Answer, EventStatus
from ..filters import EventFilter
from ..forms import (
    EventCancelForm,
    EventCostBookForm,
    EventCostForm,
    EventForm,
    EventHeldForm,
    GuestAddForm,
    GuestForm,
    InvitationForm,
    RsvpForm,
)
from ..models import Event, EventCost, Guest


def event_url(event, anchor=""):
    url = reverse("protocol:event-detail", args=[event.pk])
    return f"{url}#{anchor}" if anchor else url


def show_warning(request, warning: str) -> None:
    if warning:
        messages.warning(request, warning)


class EventListView(OfficeRequiredMixin, FilterView):
    """All events with their guest counts, in a fixed number of queries."""

    filterset_class = EventFilter
    template_name = "protocol/event_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Event.objects.for_list()


class EventDetailView(OfficeRequiredMixin, DetailView):
    """One event: facts, programme, who is involved, guests and costs."""

    template_name = "protocol/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.select_related(
            "department", "budget_line__budget", "jubilee_plan__partnership", "created_by"
        ).prefetch_related(
            "partnerships",
            "consular_posts",
            Prefetch("costs", queryset=EventCost.objects.select_related("commitment", "expense")),
            Prefetch(
                "guests",
                queryset=Guest.objects.select_related("person", "consular_post", "ambassador").order_by(
                    "person__name", "pk"
                ),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guests = list(self.object.guests.all())
        counts = {answer: 0 for answer in Answer.values}
        for guest in guests:
            counts[guest.answer] += 1
        attending = sum(
            1 + guest.companions for guest in guests if guest.answer in (Answer.ACCEPTED, Answer.REPRESENTED)
        )
        capacity = self.object.capacity
        context.update(
            guests=guests,
            answer_counts=[(Answer(answer).label, count) for answer, count in counts.items()],
            attending=attending,
            over_capacity=capacity is not None and attending > capacity,
            costs=list(self.object.costs.all()),
            is_planned=self.object.status == EventStatus.PLANNED,
        )
        return context


class EventFormMixin(OfficeRequiredMixin):
    form_class = EventForm
    template_name = "protocol/event_form.html"


class EventCreateView(EventFormMixin, FormView):
    def form_valid(self, form):
        fields = form.event_fields()
        try:
            event = services.event_create(
                by=self.request.user,
                partnerships=fields.pop("partnerships"),
                consular_posts=fields.pop("consular_posts"),
                **fields,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The event %(title)s was added.") % {"title": event.title})
        return redirect(event_url(event))


class EventUpdateView(EventFormMixin, FormView):
    @cached_property
    def event(self):
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Event.objects.get(pk=self.event.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        fields = form.event_fields()
        try:
            services.event_update(
                event=self.event,
                version=form.cleaned_data.get("version"),
                partnerships=fields.pop("partnerships"),
                consular_posts=fields.pop("consular_posts"),
                **fields,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes were saved."))
        return redirect(event_url(self.event))


class EventStepView(OfficeRequiredMixin, FormView):
    """A confirmation step on one event (mark as held, cancel)."""

    template_name = "protocol/event_step.html"
    heading = ""
    submit_label = ""

    @cached_property
    def event(self):
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"version": self.event.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, heading=self.heading, submit_label=self.submit_label, **kwargs
        )

    def form_valid(self, form):
        try:
            self.step(form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect(event_url(self.event))


class EventHeldView(EventStepView):
    form_class = EventHeldForm

    @property
    def heading(self):
        return _("Mark “%(title)s” as held") % {"title": self.event.title}

    submit_label = property(lambda self: _("Mark as held"))
    done = property(lambda self: _("The event is marked as held."))

    def step(self, data):
        services.event_mark_held(event=self.event, version=data.get("version"))


class EventCancelView(EventStepView):
    form_class = EventCancelForm

    @property
    def heading(self):
        return _("Cancel “%(title)s”") % {"title": self.event.title}

    submit_label = property(lambda self: _("Cancel the event"))
    done = property(lambda self: _("The event is cancelled; its open commitments were released."))

    def step(self, data):
        services.event_cancel(event=self.event, version=data.get("version"), reason=data["reason"])


class EventCostCreateView(OfficeRequiredMixin, FormView):
    form_class = EventCostForm
    template_name = "protocol/event_child_form.html"

    @cached_property
    def event(self):
        return get_object_or_404(Event.objects.select_related("budget_line"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, heading=_("Add a cost"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            saving = services.event_cost_add(
                event=self.event,
                description=data["description"],
                estimated=data["estimated"],
                by=self.request.user,
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        show_warning(self.request, saving.warning)
        messages.success(self.request, _("The cost was added."))
        return redirect(event_url(self.event, "costs"))


class EventCostMixin(OfficeRequiredMixin):
    template_name = "protocol/event_child_form.html"

    @cached_property
    def cost(self):
        return get_object_or_404(EventCost.objects.select_related("event"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.cost.event, heading=self.heading, **kwargs)

    def form_valid(self, form):
        try:
            saving = self.save(form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        show_warning(self.request, saving.warning)
        messages.success(self.request, self.done)
        return redirect(event_url(self.cost.event, "costs"))


class EventCostUpdateView(EventCostMixin, FormView):
    form_class = EventCostForm
    heading = property(lambda self: _("Edit the cost"))
    done = property(lambda self: _("The cost was saved."))

    def get_initial(self):
        cost = self.cost
        return {"description": cost.description, "estimated": cost.estimated, "version": cost.version}

    def save(self, data):
        return services.event_cost_update(
            cost=self.cost,
            version=data.get("version"),
            description=data["description"],
            estimated=data["estimated"],
            by=self.request.user,
            override_reason=data["override_reason"],
        )


class EventCostBookView(EventCostMixin, FormView):
    form_class = EventCostBookForm
    heading = property(lambda self: _("Book the actual cost"))
    done = property(lambda self: _("The expense was booked."))

    def get_initial(self):
        return {"actual": self.cost.estimated, "date": timezone.localdate(), "version": self.cost.version}

    def save(self, data):
        return services.event_cost_book(
            cost=self.cost,
            version=data.get("version"),
            actual=data["actual"],
            date=data["date"],
            payee=data["payee"],
            by=self.request.user,
            override_reason=data["override_reason"],
        )


class GuestCreateView(OfficeRequiredMixin, FormView):
    form_class = GuestAddForm
    template_name = "protocol/event_child_form.html"

    @cached_property
    def event(self):
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, heading=_("Add a guest"), **kwargs)

    def form_valid(self, form):
        try:
            services.guest_add(event=self.event, person=form.cleaned_data["person"], note=form.cleaned_data["note"])
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The guest was added."))
        return redirect(event_url(self.event, "guests"))


class GuestsInviteView(OfficeRequiredMixin, View):
    """POST: put a whole group on the guest list at once."""

    http_method_names = ["post"]
    invite = None

    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        try:
            added = type(self).invite(event=event)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(event_url(event, "guests"))
        messages.success(
            request,
            translation.ngettext("%(count)d guest was added.", "%(count)d guests were added.", added)
            % {"count": added},
        )
        return redirect(event_url(event, "guests"))


class GuestsInviteConsulsView(GuestsInviteView):
    invite = staticmethod(services.guests_invite_consular_heads)


class GuestsInviteAmbassadorsView(GuestsInviteView):
    invite = staticmethod(services.guests_invite_ambassadors)


class GuestUpdateView(OfficeRequiredMixin, FormView):
    form_class = GuestForm
    template_name = "protocol/event_child_form.html"

    @cached_property
    def guest(self):
        return get_object_or_404(Guest.objects.select_related("event", "person"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Guest.objects.get(pk=self.guest.pk)}

    def get_context_data(self, **kwargs):
        heading = _("Guest: %(name)s") % {"name": self.guest.person.name}
        return super().get_context_data(event=self.guest.event, heading=heading, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.guest_update(guest=self.guest, version=version, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The guest was saved."))
        return redirect(event_url(self.guest.event, "guests"))


class GuestDeleteView(OfficeRequiredMixin, TemplateView):
    template_name = "protocol/guest_confirm_delete.html"

    @cached_property
    def guest(self):
        return get_object_or_404(Guest.objects.select_related("event", "person"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(guest=self.guest, event=self.guest.event, **kwargs)

    def post(self, request, pk):
        event = self.guest.event
        services.guest_remove(guest=self.guest)
        messages.success(request, _("The guest was taken off the list."))
        return redirect(event_url(event, "guests"))


class InvitationSendView(OfficeRequiredMixin, FormView):
    """Email the chosen guests their personal answer link (a new one each time)."""

    form_class = InvitationForm
    template_name = "protocol/event_child_form.html"

    @cached_property
    def event(self):
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            heading=_("Send invitations"),
            intro=_("Each guest gets a new personal link; a link sent before stops working."),
            submit_label=_("Send"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            queued = services.guests_send_invitations(
                event=self.event, guests=form.cleaned_data["guests"], base_url=self.request.build_absolute_uri("/")
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            translation.ngettext(
                "%(count)d invitation is on its way.", "%(count)d invitations are on their way.", queued
            )
            % {"count": queued},
        )
        return redirect(event_url(self.event, "guests"))


class SeatingPlanView(OfficeRequiredMixin, DetailView):
    """The guest list in the order of precedence, to print (or badges, one a page)."""

    template_name = "protocol/event_seating.html"
    context_object_name = "event"
    queryset = Event.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(guests=services.guests_in_seating_order(self.object), **kwargs)


class BadgesView(SeatingPlanView):
    template_name = "protocol/event_badges.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guests"] = [g for g in context["guests"] if g.answer in (Answer.ACCEPTED, Answer.REPRESENTED)]
        return context


@method_decorator(never_cache, name="dispatch")
class RsvpView(View):
    """A guest's answer through their personal link; no account needed.

    A wrong (or replaced) link is simply not found, whatever exists; a link
    whose event no longer takes answers says so (410) and changes nothing.
    The token's length (256 random bits) is what protects it from guessing;
    the project has no throttle for anonymous pages."""

    template_name = "protocol/rsvp.html"

    def guest(self, token):
        guest = services.guest_for_token(token)
        if guest is None:
            raise Http404
        return guest

    def closed(self, request, guest):
        return render(request, "protocol/rsvp_closed.html", {"event": guest.event}, status=410)

    def get(self, request, token):
        guest = self.guest(token)
        if guest.event.answers_closed(timezone.now()):
            return self.closed(request, guest)
        initial = {"companions": guest.companions, "represented_by": guest.represented_by}
        if guest.answer != Answer.PENDING:
            initial["answer"] = guest.answer
        return render(
            request, self.template_name, {"guest": guest, "event": guest.event, "form": RsvpForm(initial=initial)}
        )

    def post(self, request, token):
        guest = self.guest(token)
        form = RsvpForm(request.POST)
        if guest.event.answers_closed(timezone.now()):
            return self.closed(request, guest)
        if form.is_valid():
            data = form.cleaned_data
            try:
                guest = services.rsvp_answer(
                    token=token,
                    answer=data["answer"],
                    represented_by=data["represented_by"],
                    companions=data["companions"] or 0,
                )
            except services.AnswersClosed:
                return self.closed(request, guest)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                return render(request, "protocol/rsvp_done.html", {"guest": guest, "event": guest.event})
        return render(request, self.template_name, {"guest": guest, "event": guest.event, "form": form}, status=400)


def public_events():
    """What the public pages list: public events not cancelled, from the start
    of this year on (the past ones of this year, then those to come)."""
    first = timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 1))
    return Event.objects.public().filter(starts_at__gte=first).order_by("starts_at", "pk")


class PublicEventListView(ListView):
    template_name = "protocol/public_event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return public_events().only("pk", "title", "starts_at", "ends_at", "place")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["upcoming"] = [event for event in context["events"] if event.starts_at >= now]
        context["past"] = [event for event in context["events"] if event.starts_at < now]
        return context


class PublicEventDetailView(DetailView):
    template_name = "protocol/public_event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.public().only("pk", "title", "starts_at", "ends_at", "place", "summary", "programme")


def public_event_feed(request):
    """The public events as an iCalendar feed anyone may subscribe to."""
    from icalendar import Event as CalendarEvent

    def events():
        host = request.get_host()
        for event in public_events().only("pk", "title", "starts_at", "ends_at", "place", "summary"):
            item = CalendarEvent()
            item.add("uid", f"public-event-{event.pk}@{host}")
            item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
            if event.ends_at:
                item.add("dtend", event.ends_at.astimezone(datetime.UTC))
            item.add("summary", event.title)
            item.add("location", event.place)
            if event.summary:
                item.add("description", event.summary)
            item.add("url", request.build_absolute_uri(reverse("protocol:public-event-detail", args=[event.pk])))
            yield item

    body = feed_calendar(name=_("Public events"), product="public events", events=events)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response
