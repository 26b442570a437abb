"""Anniversaries: the jubilee list, the staff iCalendar feed and its address.
Higher apps add columns to the list through the ``anniversary-list`` panel
slot (``oia.panels``): the budget shows each jubilee's plan."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from oia import panels
from oia.bounds import YEAR_MAX, YEAR_MIN
from oia.calendar_feeds import all_day_event, calendar_feed
from oia.filters import InvalidFilterAnswers400Mixin
from oia.forms import Form, ModelForm
from oia.models import CalendarFeedToken
from oia.permissions import OfficeRequiredMixin

from ..anniversaries import Anniversary, jubilees_between
from ..selectors import celebrated_partnerships

DEFAULT_YEARS_SHOWN = 3
MAX_YEARS_SHOWN = 50
FEED_YEARS_AHEAD = 5


class YearRangeForm(Form):
    """The years to list. The fields are named after the GET parameters
    ``from`` and ``to``, which cannot be class attributes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = {"min_value": YEAR_MIN, "max_value": YEAR_MAX}
        self.fields["from"] = forms.IntegerField(label=gettext_lazy("From year"), **bounds)
        self.fields["to"] = forms.IntegerField(label=gettext_lazy("To year"), **bounds)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first is None or last is None:
            return cleaned
        if first > last:
            raise forms.ValidationError(_("The first year must not be after the last year."), code="reversed")
        if last - first + 1 > MAX_YEARS_SHOWN:
            raise forms.ValidationError(
                _("Choose at most %(count)d years."), code="too_long", params={"count": MAX_YEARS_SHOWN}
            )
        return cleaned


class AnniversaryListView(OfficeRequiredMixin, InvalidFilterAnswers400Mixin, TemplateView):
    """Jubilees in a range of years, so the office can plan celebrations ahead."""

    template_name = "partners/anniversaries.html"
    filter_context_name = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        form = YearRangeForm(
            {
                "from": self.request.GET.get("from", this_year),
                "to": self.request.GET.get("to", this_year + DEFAULT_YEARS_SHOWN - 1),
            }
        )
        context["form"] = form
        if form.is_valid():
            context["first_year"] = form.cleaned_data["from"]
            context["last_year"] = form.cleaned_data["to"]
            partnerships = panels.prepare(
                "anniversary-list", celebrated_partnerships(form.cleaned_data["from"], form.cleaned_data["to"])
            )
            context["anniversaries"] = jubilees_between(
                partnerships, form.cleaned_data["from"], form.cleaned_data["to"]
            )
            context.update(panels.context("anniversary-list", context["anniversaries"]))
        return context


class FeedLanguageForm(ModelForm):
    class Meta:
        model = CalendarFeedToken
        fields = ["language"]
        help_texts = {"language": gettext_lazy("Both calendar feeds (jubilees and delegations) use this language.")}


class CalendarFeedSettingsView(OfficeRequiredMixin, TemplateView):
    """The user's personal feed address, the feeds' language, and a way to
    withdraw the address. A post with ``language`` sets the language; any
    other post creates a new address."""

    template_name = "partners/anniversary_feed_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = CalendarFeedToken.for_user(self.request.user)
        context["feed_url"] = self.request.build_absolute_uri(
            reverse("partners:anniversaries-ical", kwargs={"token": token.key})
        )
        context.setdefault("form", FeedLanguageForm(instance=token))
        return context

    def post(self, request, *args, **kwargs):
        if "language" in request.POST:
            form = FeedLanguageForm(request.POST, instance=CalendarFeedToken.for_user(request.user))
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            form.save()
            messages.success(request, _("The calendar feeds now use the language you chose."))
            return redirect("partners:anniversary-feed-settings")
        CalendarFeedToken.renew_for(request.user)
        messages.success(request, _("Your new calendar address is ready. The old address no longer works."))
        return redirect("partners:anniversary-feed-settings")


def anniversary_feed(request, token):
    """The jubilees of this year and the next five as iCalendar."""

    def events():
        this_year = timezone.localdate().year
        last_year = this_year + FEED_YEARS_AHEAD
        for anniversary in jubilees_between(celebrated_partnerships(this_year, last_year), this_year, last_year):
            yield anniversary_event(anniversary)

    return calendar_feed(
        token,
        filename="anniversaries.ics",
        name=gettext_lazy("Partnership anniversaries"),
        product="anniversaries",
        events=events,
    )


def anniversary_event(anniversary: Anniversary):
    """One all-day event per jubilee, shown as free time. When only the year
    of the agreement is known, the event stays a single day on 1 January (a
    year-long event would cover every day of the calendar), and its title and
    description say that the real day is unknown, so nobody takes 1 January
    for the anniversary; ``X-OIA-DATE-PRECISION:YEAR`` tells the same to
    programs that read the feed."""
    partnership = anniversary.partnership
    names = {"years": anniversary.years, "city": partnership.partner_city.name, "year": anniversary.date.year}
    if anniversary.year_only:
        summary = _("%(years)s years of partnership with %(city)s (date unknown: sometime in %(year)s)") % names
        description = (
            _(
                "Only the year of the agreement is known, not the day: this jubilee falls sometime in %(year)s. "
                "It is shown on 1 January so that it can be planned from the start of the year."
            )
            % names
        )
    else:
        summary = _("%(years)s years of partnership with %(city)s") % names
        description = None
    event = all_day_event(
        uid=f"partnership-{partnership.pk}-{anniversary.years}@oia",
        first_day=anniversary.date,
        last_day=anniversary.date,
        summary=summary,
        description=description,
    )
    if anniversary.year_only:
        event.add("x-oia-date-precision", "YEAR")
    return event
