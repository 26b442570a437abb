"""Calendar feeds that office staff subscribe to in their calendar apps
(the partnership jubilees, the trips and visits).

Calendar apps cannot sign in, so the personal token in the address is the
credential; it only counts while its user is active and may see the
office's data, otherwise the feed answers 404. The feed is written in the
language chosen with the token (calendar apps seldom send Accept-Language,
and one that does should not change the office's words). The calendar is written by
the ``icalendar`` library, which applies RFC 5545's escaping of text, line
folding at 75 octets and date and time formats; events are whole days, and
the stamp is in UTC."""

import datetime
from collections.abc import Callable, Iterable

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from icalendar import Calendar, Event, vText
from icalendar.parser import Contentline

from oia.models import CalendarFeedToken
from oia.roles import OFFICE, has_role

CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_token_for(token: str) -> CalendarFeedToken:
    """The token of a feed address, or 404 when it does not (or no longer) count."""
    feed_token = CalendarFeedToken.objects.select_related("user").filter(key=token).first()
    if feed_token is None or not feed_token.user.is_active or not has_role(feed_token.user, OFFICE):
        raise Http404
    return feed_token


def feed_owner(token: str):
    """The user a feed address belongs to, or 404 when it does not (or no longer) count."""
    return feed_token_for(token).user


def all_day_event(
    *,
    uid: str,
    first_day: datetime.date,
    last_day: datetime.date,
    summary: str,
    description: str | None = None,
    url: str | None = None,
) -> Event:
    """One event over whole days, shown as free time (DTEND is exclusive)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", first_day)
    event.add("dtend", last_day + datetime.timedelta(days=1))
    event.add("summary", str(summary))
    if description:
        event.add("description", str(description))
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_feed(
    token: str, *, filename: str, name: str, product: str, events: Callable[[], Iterable[Event]]
) -> HttpResponse:
    """The feed answer: the token checked before anything is read, then a
    calendar called ``name`` with the ``events`` (all stamped now), in the
    token's language (so ``name`` and the events' words must be lazy or
    translated inside ``events``)."""
    language = feed_token_for(token).language
    with translation.override(language):
        body = feed_calendar(name=name, product=product, events=events)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response


def feed_calendar(*, name: str, product: str, events: Callable[[], Iterable[Event]]) -> bytes:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//Office for International Affairs//oia {product}//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(str(name)))
    stamp = timezone.now().astimezone(datetime.UTC)
    for event in events():
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    return calendar.to_ical()


def ical_text(value) -> str:
    """A TEXT value as the feeds write it (RFC 5545, 3.3.11)."""
    return vText(str(value)).to_ical().decode()


def fold_ical_line(line: str) -> str:
    """A content line as the feeds write it: folded at 75 octets without
    splitting a UTF-8 character (RFC 5545, 3.1)."""
    return Contentline(line).to_ical().decode()
