"""Delegation list, month calendar and the staff iCalendar feed of trips and visits."""

import calendar
import datetime
import re

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from oia.bounds import YEAR_MAX, YEAR_MIN
from oia.calendar_feeds import all_day_event, calendar_feed
from oia.filters import FilterView, InvalidFilterAnswers400Mixin
from oia.models import CalendarFeedToken
from oia.permissions import OfficeRequiredMixin

from ..filters import DelegationFilter
from ..models import INACTIVE_STATUSES, Delegation
from ..selectors import calendar_month

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
FEED_DAYS_BEFORE = 90
FEED_DAYS_AHEAD = 2 * 365
# The list of all delegations of one day, under the calendar, is paged like the delegation list.
DAY_LIST_PAGE_SIZE = 25


def querystring_without(query, *names):
    """The current filters as a query string, minus the parameters a link sets itself."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class DelegationListView(OfficeRequiredMixin, FilterView):
    filterset_class = DelegationFilter
    # The order the list has always had (the filter's ``ordering`` overrides it).
    queryset = Delegation.objects.for_list().order_by("-start_on", "title")
    template_name = "delegations/delegation_list.html"
    paginate_by = 25

    def paginate_queryset(self, queryset, page_size):
        """Many rows share a status or a start date; the pk settles ties so no row
        appears on two pages or on none."""
        return super().paginate_queryset(queryset.order_by(*queryset.query.order_by, "pk"), page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["querystring"] = querystring_without(self.request.GET, "page")
        return context


def parse_month(value: str) -> datetime.date | None:
    """The first day of the month written ``YYYY-MM``, or None if it is no such month."""
    match = MONTH_PATTERN.fullmatch(value)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def month_param(day: datetime.date) -> str:
    """``YYYY-MM`` for links, or "" when the month is outside what the calendar shows."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        return ""
    return f"{day.year:04d}-{day.month:02d}"


class DelegationCalendarView(OfficeRequiredMixin, InvalidFilterAnswers400Mixin, TemplateView):
    """A month at a glance, filtered like the list, so staff see who is away
    or visiting on which day. Cancelled and rejected delegations stay visible,
    struck through with their status, because the status filter may ask for them.
    A day shows its first few delegations and links to all of them (``?day=``),
    so a busy month costs no more than a quiet one."""

    template_name = "delegations/calendar.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if context.get("day_error"):
            return self.render_to_response(context, status=400)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        requested = self.request.GET.get("month", "")
        first_day = parse_month(requested) if requested else None
        if requested and first_day is None:
            context["month_error"] = _(
                "“%(value)s” is not a month we can show. Write the month as YYYY-MM, for example %(example)s. "
                "This month is shown instead."
            ) % {"value": requested, "example": month_param(today)}
        if first_day is None:
            first_day = today.replace(day=1)
        last_day = first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])

        delegation_filter = DelegationFilter(self.request.GET, queryset=Delegation.objects.all(), request=self.request)
        month = calendar_month(delegation_filter.qs, first_day=first_day, last_day=last_day)
        weeks = [
            [
                {"date": day, "calendar_day": month.days.get(day)} if day.month == first_day.month else None
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
                first_day.year, first_day.month
            )
        ]
        context.update(self.day_list_context(delegation_filter, first_day, last_day))
        previous_first_day = (first_day - datetime.timedelta(days=1)).replace(day=1)
        next_first_day = last_day + datetime.timedelta(days=1)
        token = CalendarFeedToken.for_user(self.request.user)
        context.update(
            {
                "filter": delegation_filter,
                "first_day": first_day,
                "month_value": month_param(first_day),
                "weekdays": [WEEKDAYS[number] for number in range(7)],
                "weeks": weeks,
                "delegation_count": month.delegation_count,
                "inactive_statuses": INACTIVE_STATUSES,
                "querystring": querystring_without(self.request.GET, "month", "day", "page"),
                "today": today,
                "previous_first_day": previous_first_day,
                "previous_month": month_param(previous_first_day),
                "next_first_day": next_first_day,
                "next_month": month_param(next_first_day),
                "feed_url": self.request.build_absolute_uri(reverse("delegations:delegations-ical", args=[token.key])),
            }
        )
        return context

    def day_list_context(self, delegation_filter, first_day, last_day) -> dict:
        """``?day=YYYY-MM-DD`` (a day of the month shown): every delegation of
        that day, a page at a time, with the columns an entry needs."""
        requested = self.request.GET.get("day", "")
        if not requested:
            return {}
        day = None
        if DAY_PATTERN.fullmatch(requested):
            try:
                day = datetime.date.fromisoformat(requested)
            except ValueError:
                pass
        if day is None or not first_day <= day <= last_day:
            return {
                "day_error": _("“%(value)s” is not a day of %(month)s. Write the day as YYYY-MM-DD.")
                % {"value": requested, "month": formats.date_format(first_day, "YEAR_MONTH_FORMAT")}
            }
        delegations = (
            delegation_filter.qs.overlapping(day, day)
            .only("pk", "title", "direction", "status")
            .order_by("start_on", "title", "pk")
        )
        return {
            "day": day,
            "day_page": Paginator(delegations, DAY_LIST_PAGE_SIZE).get_page(self.request.GET.get("page")),
        }


def delegation_feed(request, token):
    """Trips and visits from three months back to two years ahead as iCalendar."""

    def events():
        today = timezone.localdate()
        delegations = (
            Delegation.objects.taking_place()
            .overlapping(
                today - datetime.timedelta(days=FEED_DAYS_BEFORE), today + datetime.timedelta(days=FEED_DAYS_AHEAD)
            )
            .select_related("city")
            .order_by("start_on", "pk")
        )
        for delegation in delegations:
            yield delegation_event(delegation, request)

    return calendar_feed(
        token, filename="delegations.ics", name=gettext_lazy("Delegations"), product="delegations", events=events
    )


def place_of(delegation: Delegation) -> str:
    if delegation.city_id:
        return delegation.city.name
    return delegation.country.name


def delegation_event(delegation: Delegation, request):
    """One all-day event per delegation, with its direction, purpose and status and a link to its page."""
    place = place_of(delegation)
    return all_day_event(
        uid=f"delegation-{delegation.pk}@oia",
        first_day=delegation.start_on,
        last_day=delegation.end_on,
        summary=f"{delegation.title} ({place})" if place else delegation.title,
        description="\n".join(
            [
                _("Direction: %(direction)s") % {"direction": delegation.get_direction_display()},
                _("Purpose: %(purpose)s") % {"purpose": delegation.get_purpose_display()},
                _("Status: %(status)s") % {"status": delegation.get_status_display()},
            ]
        ),
        url=request.build_absolute_uri(reverse("delegations:delegation-detail", args=[delegation.pk])),
    )
