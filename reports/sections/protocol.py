"""Section "Protocol and events": the Consular Corps at the year's end, the
national days of the year, the events held with their guests and costs, and
what the city ambassadors did.

Counting rules: a post is open on 31 December when it opened on or before
that day (or the date is unknown) and has not closed by then; a post closed
on 31 December is no longer open, one closed on 1 January still is. A
national day falls in the year when its post is open on that day (29
February falls on 28 February in other years); the office observed it when
it recorded a greeting, an attended reception or a representation dated in
the year. An event counts in the year it starts in, and only when it was
held; cancelled events are counted apart. Guests are those on the lists of
the held events; companions of guests who accepted come in addition. Costs
are those of held events: estimated, actual, and the part booked as
expenses on a budget line. An ambassador serves on 31 December when
appointed by then and not ended before; activities count in the year they
are dated, a delegation organised by an ambassador in the year its delegation
starts. Ambassadors and guests are not named: the report is public.

Three queries whatever the number of rows: the totals of both years side by
side (``aggregate_together``), the posts opened or closed, the events held."""

import calendar
import datetime

from django.db.models import Case, Count, DateField, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from protocol.choices import (
    ActivityKind,
    Answer,
    EventKind,
    EventRole,
    EventStatus,
    HeadCategory,
    ObservanceKind,
    PostKind,
)
from protocol.models import Ambassador, AmbassadorActivity, ConsularPost, Event, EventCost, Guest, NationalDayObservance
from protocol.models.ambassadors import serving_on_condition as serving_on
from protocol.models.consular import open_on_condition as open_on

from .common import ZERO, aggregate_together, column, compared_rows, figure, money, table, year_columns

KEY = "protocol"
OBSERVED = (ObservanceKind.GREETING, ObservanceKind.ATTENDED, ObservanceKind.REPRESENTED)
YEARS = (("", 0), ("_before", 1))  # suffix of a total, years before the report's


def national_day_in(year: int):
    """The post's national day in ``year`` in SQL, as ``ConsularPost.national_day_in``
    computes it: 29 February falls on 28 February in a year without one."""
    day = F("national_day_day")
    if not calendar.isleap(year):
        day = Case(
            When(national_day_month=2, national_day_day=29, then=Value(28)), default=day, output_field=IntegerField()
        )
    return Func(Value(year), F("national_day_month"), day, function="make_date", output_field=DateField())


def _totals(year: int) -> dict:
    """Every figure of both years in ONE query: one part per table, filtered
    aggregates for each year."""
    post_aggregates, day_aggregates, observance_aggregates = {}, {}, {}
    event_aggregates, guest_aggregates, cost_aggregates = {}, {}, {}
    ambassador_aggregates, activity_aggregates = {}, {}
    days = {}
    for suffix, back in YEARS:
        y = year - back
        last = datetime.date(y, 12, 31)
        post_aggregates |= {
            f"open{suffix}": Count("pk", filter=open_on(last)),
            f"career{suffix}": Count("pk", filter=open_on(last) & Q(head_category=HeadCategory.CAREER)),
            f"honorary{suffix}": Count("pk", filter=open_on(last) & Q(head_category=HeadCategory.HONORARY)),
            f"opened{suffix}": Count("pk", filter=Q(opened_on__year=y)),
            f"closed{suffix}": Count("pk", filter=Q(closed_on__year=y)),
        }
        post_aggregates |= {
            f"kind_{kind}{suffix}": Count("pk", filter=open_on(last) & Q(kind=kind)) for kind in PostKind.values
        }
        days[f"day{suffix}"] = national_day_in(y)
        day_aggregates[f"days{suffix}"] = Count("pk", filter=open_on(F(f"day{suffix}")))
        observance_aggregates |= {
            f"{kind}{suffix}": Count("pk", filter=Q(date__year=y, kind=kind)) for kind in ObservanceKind.values
        }
        held = Q(status=EventStatus.HELD, starts_at__year=y)
        event_aggregates |= {
            f"held{suffix}": Count("pk", filter=held),
            f"cancelled{suffix}": Count("pk", filter=Q(status=EventStatus.CANCELLED, starts_at__year=y)),
            f"public{suffix}": Count("pk", filter=held & Q(is_public=True)),
            f"organised{suffix}": Count("pk", filter=held & Q(role=EventRole.ORGANISED)),
            f"attended{suffix}": Count("pk", filter=held & Q(role=EventRole.ATTENDED)),
        }
        event_aggregates |= {
            f"kind_{kind}{suffix}": Count("pk", filter=held & Q(kind=kind)) for kind in EventKind.values
        }
        of_held_event = Q(event__status=EventStatus.HELD, event__starts_at__year=y)
        guest_aggregates |= {
            f"invited{suffix}": Count("pk", filter=of_held_event),
            f"accepted{suffix}": Count("pk", filter=of_held_event & Q(answer=Answer.ACCEPTED)),
            f"accompanying{suffix}": Coalesce(Sum("companions", filter=of_held_event & Q(answer=Answer.ACCEPTED)), 0),
            f"declined{suffix}": Count("pk", filter=of_held_event & Q(answer=Answer.DECLINED)),
            f"represented{suffix}": Count("pk", filter=of_held_event & Q(answer=Answer.REPRESENTED)),
        }
        cost_aggregates |= {
            f"estimate{suffix}": Coalesce(Sum("estimated", filter=of_held_event), ZERO),
            f"spent{suffix}": Coalesce(Sum("actual", filter=of_held_event), ZERO),
            f"booked{suffix}": Coalesce(Sum("expense__amount", filter=of_held_event), ZERO),
        }
        ambassador_aggregates |= {
            f"serving{suffix}": Count("pk", filter=serving_on(last)),
            f"appointed{suffix}": Count("pk", filter=Q(appointed_on__year=y)),
            f"ended{suffix}": Count("pk", filter=Q(until__year=y)),
        }
        activity_aggregates |= {
            f"kind_{kind}{suffix}": Count("pk", filter=Q(date__year=y, kind=kind)) for kind in ActivityKind.values
        }
        activity_aggregates[f"delegations{suffix}"] = Count(
            "pk", filter=Q(kind=ActivityKind.DELEGATION, delegation__start_on__year=y)
        )
    first = datetime.date(year - 1, 1, 1)
    parts = {
        "posts": (ConsularPost.objects.all(), post_aggregates),
        "days": (
            ConsularPost.objects.filter(national_day_month__isnull=False, national_day_day__isnull=False).annotate(
                **days
            ),
            day_aggregates,
        ),
        "observances": (NationalDayObservance.objects.filter(date__gte=first), observance_aggregates),
        "events": (Event.objects.filter(starts_at__year__gte=year - 1), event_aggregates),
        "guests": (Guest.objects.filter(event__starts_at__year__gte=year - 1), guest_aggregates),
        "costs": (EventCost.objects.filter(event__starts_at__year__gte=year - 1), cost_aggregates),
        "ambassadors": (Ambassador.objects.all(), ambassador_aggregates),
        "activities": (AmbassadorActivity.objects.all(), activity_aggregates),
    }
    found = aggregate_together(**parts)
    return {f"{part}_{name}": value for part, values in found.items() for name, value in values.items()}


def _posts_opened_or_closed(year: int) -> list:
    """The posts opened or closed in the year, by the date that falls in it
    (the opening when both do), then by name."""
    posts = (
        ConsularPost.objects.filter(Q(opened_on__year=year) | Q(closed_on__year=year))
        .order_by()
        .values("pk", "name", "kind", "head_category", "opened_on", "closed_on")
    )

    def in_year(post):
        opened = post["opened_on"]
        return opened if opened and opened.year == year else post["closed_on"]

    return sorted(posts, key=lambda post: (in_year(post), post["name"], post["pk"]))


def _events_held(year: int) -> list:
    """The held events of the year with their guests who accepted and their
    actual cost, each a subquery so the rows never multiply."""
    accepted = (
        Guest.objects.filter(event=OuterRef("pk"), answer=Answer.ACCEPTED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    actual = EventCost.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(s=Sum("actual"))
    return list(
        Event.objects.filter(status=EventStatus.HELD, starts_at__year=year)
        .annotate(
            accepted=Coalesce(Subquery(accepted, output_field=IntegerField()), 0),
            cost=Coalesce(Subquery(actual.values("s")), ZERO),
        )
        .order_by("starts_at", "title", "pk")
        .values("starts_at", "title", "kind", "role", "accepted", "cost")
    )


def _compared(totals: dict, prefix: str, choices) -> list[list]:
    """Rows (label, year, year before, change) of one breakdown by a fixed
    vocabulary, without the labels both years are zero for."""
    current = {str(label): totals[f"{prefix}_{value}"] for value, label in choices if totals[f"{prefix}_{value}"]}
    previous = {
        str(label): totals[f"{prefix}_{value}_before"] for value, label in choices if totals[f"{prefix}_{value}_before"]
    }
    return [list(row) for row in compared_rows(current, previous)]


def _empty(totals: dict) -> bool:
    return not any(value for value in totals.values())


def build(year: int) -> dict:
    t = _totals(year)
    section = {
        "key": KEY,
        "title": _("Protocol and events"),
        "intro": _(
            "The Consular Corps in our city at the end of the year, the national days, the events the office "
            "held with its guests and their costs, and the activities of the city ambassadors."
        ),
        "figures": [],
        "tables": [],
        "charts": [],
    }
    if _empty(t):
        section["intro"] = _("There are no protocol records for this year or the year before.")
        return section
    changes = _posts_opened_or_closed(year)
    events = _events_held(year)

    def f(key, label, name, kind="int"):
        return figure(key, label, t[name], t[f"{name}_before"], kind)

    observed = sum(t[f"observances_{kind}"] for kind in OBSERVED)
    observed_before = sum(t[f"observances_{kind}_before"] for kind in OBSERVED)
    accepted = t["guests_accepted"] + t["guests_accompanying"]
    accepted_before = t["guests_accepted_before"] + t["guests_accompanying_before"]
    post_kinds = {value: str(label) for value, label in PostKind.choices}
    categories = {value: str(label) for value, label in HeadCategory.choices}
    event_kinds = {value: str(label) for value, label in EventKind.choices}
    roles = {value: str(label) for value, label in EventRole.choices}
    section["figures"] = [
        f("posts_open", _("Consular posts open on 31 December"), "posts_open"),
        f("posts_career", _("… headed by a career officer"), "posts_career"),
        f("posts_honorary", _("… headed by an honorary officer"), "posts_honorary"),
        f("posts_opened", _("Posts opened during the year"), "posts_opened"),
        f("posts_closed", _("Posts closed during the year"), "posts_closed"),
        f("national_days", _("National days of open posts in the year"), "days_days"),
        figure("national_days_observed", _("National days observed by the office"), observed, observed_before),
        f("observed_greeting", _("… greeting sent"), "observances_greeting"),
        f("observed_attended", _("… reception attended"), "observances_attended"),
        f("observed_represented", _("… represented by an official"), "observances_represented"),
        f("events_held", _("Events held"), "events_held"),
        f("events_public", _("… public"), "events_public"),
        figure(
            "events_invitation",
            _("… by invitation only"),
            t["events_held"] - t["events_public"],
            t["events_held_before"] - t["events_public_before"],
        ),
        f("events_organised", _("… organised by the office"), "events_organised"),
        f("events_attended", _("… attended by the office"), "events_attended"),
        f("events_cancelled", _("Events cancelled"), "events_cancelled"),
        f("guests_invited", _("Guests invited"), "guests_invited"),
        f("guests_accepted", _("Guests who accepted"), "guests_accepted"),
        f("guests_companions", _("… and their companions"), "guests_accompanying"),
        figure("guests_attending", _("Guests expected, companions included"), accepted, accepted_before),
        f("guests_declined", _("Guests who declined"), "guests_declined"),
        f("guests_represented", _("Guests who sent a representative"), "guests_represented"),
        f("costs_estimated", _("Costs of events, estimated"), "costs_estimate", "money"),
        f("costs_actual", _("Costs of events, actual"), "costs_spent", "money"),
        f("costs_booked", _("… booked as expenses on budget lines"), "costs_booked", "money"),
        f("ambassadors_serving", _("City ambassadors serving on 31 December"), "ambassadors_serving"),
        f("ambassadors_appointed", _("Ambassadors appointed during the year"), "ambassadors_appointed"),
        f("ambassadors_ended", _("Ambassadors whose term ended during the year"), "ambassadors_ended"),
        f("ambassador_delegations", _("Delegations organised by ambassadors"), "activities_delegations"),
    ]
    section["tables"] = [
        table(
            "posts_by_kind",
            _("Consular posts open on 31 December by kind"),
            year_columns(_("Kind of post"), year),
            _compared(t, "posts_kind", PostKind.choices),
        ),
        table(
            "posts_opened_closed",
            _("Consular posts opened or closed during the year"),
            [
                column("post", _("Consular post")),
                column("kind", _("Kind of post")),
                column("category", _("Career or honorary")),
                column("opened_on", _("Opened on"), "date"),
                column("closed_on", _("Closed on"), "date"),
            ],
            [
                [
                    post["name"],
                    post_kinds.get(post["kind"], post["kind"]),
                    categories.get(post["head_category"], post["head_category"]),
                    post["opened_on"].isoformat() if post["opened_on"] else "",
                    post["closed_on"].isoformat() if post["closed_on"] else "",
                ]
                for post in changes
            ],
        ),
        table(
            "events_by_kind",
            _("Events held by kind"),
            year_columns(_("Kind of event"), year),
            _compared(t, "events_kind", EventKind.choices),
        ),
        table(
            "events",
            _("Events held during the year"),
            [
                column("title", _("Event")),
                column("date", _("Date"), "date"),
                column("kind", _("Kind of event")),
                column("role", _("The office's part")),
                column("accepted", _("Guests who accepted"), "int"),
                column("cost", _("Actual cost"), "money"),
            ],
            [
                [
                    event["title"],
                    timezone.localdate(event["starts_at"]).isoformat(),
                    event_kinds.get(event["kind"], event["kind"]),
                    roles.get(event["role"], event["role"]),
                    event["accepted"],
                    money(event["cost"]),
                ]
                for event in events
            ],
        ),
        table(
            "ambassador_activities",
            _("Activities of the city ambassadors by kind"),
            year_columns(_("Kind of activity"), year),
            _compared(t, "activities_kind", ActivityKind.choices),
        ),
    ]
    return section
