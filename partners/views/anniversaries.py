"""Anniversaries: the jubilee list, the staff iCalendar feed and its address."""

import datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from oia.bounds import YEAR_MAX, YEAR_MIN
from oia.filters import InvalidFilterAnswers400Mixin
from oia.forms import Form
from oia.models import CalendarFeedToken
from oia.permissions import OfficeRequiredMixin
from oia.roles import OFFICE, has_role

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
            context["anniversaries"] = jubilees_between(
                celebrated_partnerships(), form.cleaned_data["from"], form.cleaned_data["to"]
            )
        return context


class CalendarFeedSettingsView(OfficeRequiredMixin, TemplateView):
    """The user's personal feed address, and a way to withdraw it."""

    template_name = "partners/anniversary_feed_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = CalendarFeedToken.for_user(self.request.user)
        context["feed_url"] = self.request.build_absolute_uri(
            reverse("partners:anniversaries-ical", kwargs={"token": token.key})
        )
        return context

    def post(self, request, *args, **kwargs):
        CalendarFeedToken.renew_for(request.user)
        messages.success(request, _("Your new calendar address is ready. The old address no longer works."))
        return redirect("partners:anniversary-feed-settings")


def anniversary_feed(request, token):
    """The jubilees as iCalendar. Calendar apps cannot sign in, so the token
    is the credential; it only counts while its user may see the office's data."""
    feed_token = CalendarFeedToken.objects.select_related("user").filter(key=token).first()
    if feed_token is None or not feed_token.user.is_active or not has_role(feed_token.user, OFFICE):
        raise Http404
    this_year = timezone.localdate().year
    anniversaries = jubilees_between(celebrated_partnerships(), this_year, this_year + FEED_YEARS_AHEAD)
    response = HttpResponse(ical_calendar(anniversaries, timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="anniversaries.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def ical_calendar(anniversaries: list[Anniversary], stamp: datetime.datetime) -> str:
    """An RFC 5545 calendar with one all-day event per jubilee."""
    dtstamp = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Office for International Affairs//oia anniversaries//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_text(_('Partnership anniversaries'))}",
    ]
    for anniversary in anniversaries:
        partnership = anniversary.partnership
        summary = _("%(years)s years of partnership with %(city)s") % {
            "years": anniversary.years,
            "city": partnership.partner_city.name,
        }
        lines += [
            "BEGIN:VEVENT",
            f"UID:partnership-{partnership.pk}-{anniversary.years}@oia",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{anniversary.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{anniversary.date + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ical_text(summary)}",
        ]
        if anniversary.year_only:
            note = _("Only the year of the agreement is known, not the day.")
            lines.append(f"DESCRIPTION:{ical_text(note)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold_ical_line(line) + "\r\n" for line in lines)


def ical_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545, 3.3.11)."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_ical_line(line: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets (RFC 5545, 3.1) without
    splitting a UTF-8 character; continuation lines start with a space."""
    parts = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current = b" "
        current += encoded
    parts.append(current.decode())
    return "\r\n".join(parts)
