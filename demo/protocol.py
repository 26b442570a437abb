"""Demo protocol: Frankfurt am Main's Consular Corps (some forty posts of
real countries with invented heads of post and addresses), the office's part
in their national days of last year and this year, this year's Europe Day,
Japan Day, the New Year reception of the Consular Corps and the city
ambassadors' annual meeting with their guest lists, and eight city
ambassadors with their activity logs; rows in ``data/protocol.json``.

One post opened this year and one closed. The ambassador in Guangzhou
organised the (already official) visit of the Vice Mayor of Guangzhou,
linked through the service, so no demo delegation changes. The events'
costs are estimated on the "Public relations" line but not booked: an
expense there would change the council report's budget section.

Rows are bulk-inserted (the loader's speed matters) and chosen with a fixed
seed, so every load gives the same data. Idempotent: nothing is loaded when
the posts are there."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from budget.models import BudgetLine
from delegations.models import Delegation, Person
from partners.models import City
from partners.services import city_create
from protocol import services
from protocol.choices import (
    ActivityKind,
    Answer,
    EventKind,
    EventStatus,
    HeadCategory,
    ObservanceKind,
    PostKind,
)
from protocol.models import (
    Ambassador,
    AmbassadorActivity,
    ConsularPost,
    Event,
    EventCost,
    Guest,
    NationalDayObservance,
)

from .files import read_json

SEED = 19
PR_LINE = "Public relations"
POST_NAMES = {
    PostKind.EMBASSY_OFFICE: "Embassy of {country}, Frankfurt office",
    PostKind.CONSULATE_GENERAL: "Consulate-General of {country}",
    PostKind.CONSULATE: "Consulate of {country}",
    PostKind.HONORARY_CONSULATE_GENERAL: "Honorary Consulate-General of {country}",
    PostKind.HONORARY_CONSULATE: "Honorary Consulate of {country}",
}


def _on(year: int, month_day: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{year}-{month_day}")


def _open_on(post: ConsularPost, day: datetime.date) -> bool:
    """As ``ConsularPost.objects.open_on``, for a post in hand."""
    return (post.opened_on is None or post.opened_on <= day) and (post.closed_on is None or post.closed_on > day)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


class _Loader:
    def __init__(self, data: dict, today: datetime.date):
        self.data = data
        self.today = today
        self.year = today.year
        self.random = random.Random(SEED)
        self.home = City.objects.filter(name=settings.OIA_HOME_CITY, country=settings.OIA_HOME_COUNTRY).first()

    def posts(self) -> list[ConsularPost]:
        """The Consular Corps with their heads (people without a department: not officials)."""
        names = dict(countries)
        rows = self.data["posts"]
        heads = Person.objects.bulk_create(
            [
                Person(
                    name=row[2],
                    title=row[3],
                    organisation=POST_NAMES[row[1]].format(country=names[row[0]]),
                    city=self.home,
                    country=row[0],
                )
                for row in rows
            ]
        )
        opened, closed = self.data["opened_this_year"], self.data["closed_this_year"]
        posts = []
        for row, head in zip(rows, heads, strict=True):
            country, kind, _name, title, head_class, honorary, acting, exequatur, commission, day = row[:10]
            post = ConsularPost(
                country=country,
                kind=kind,
                name=head.organisation,
                address=f"{row[12]}\n60311 {settings.OIA_HOME_CITY}",
                jurisdiction="Hesse" if honorary else "Hesse, Rhineland-Palatinate and Saarland",
                languages=row[11],
                head=head,
                head_title=title,
                head_class=head_class,
                head_category=HeadCategory.HONORARY if honorary else HeadCategory.CAREER,
                head_is_acting=acting,
                exequatur_on=datetime.date.fromisoformat(exequatur) if exequatur else None,
                commission_presented_on=datetime.date.fromisoformat(commission) if commission else None,
                national_day_month=int(day[:2]),
                national_day_day=int(day[3:]),
                national_day_name=row[10],
            )
            if country == opened["country"]:
                post.opened_on = _on(self.year, opened["on"])
            if country == closed["country"]:
                post.closed_on = _on(self.year, closed["on"])
                post.notes = closed["note"]
            post.clean()  # its own rules; tests/demo checks the rows against the database too
            posts.append(post)
        return ConsularPost.objects.bulk_create(posts)

    def observances(self, posts: list[ConsularPost]) -> None:
        """Last year's and this year's national days up to today: a greeting for
        most, a reception attended for a few, an official sent to two."""
        official = Person.objects.filter(department__isnull=False).order_by("name", "pk").first()
        attended, represented = set(self.data["attended"]), set(self.data["represented"])
        rows = []
        for post in posts:
            for year in (self.year - 1, self.year):
                day = post.national_day_in(year)
                if day > self.today or not _open_on(post, day):
                    continue
                kind, by, note = ObservanceKind.GREETING, None, ""
                if post.country in attended:
                    kind, note = ObservanceKind.ATTENDED, "Reception attended by the head of the office"
                elif post.country in represented and official is not None:
                    kind, by = ObservanceKind.REPRESENTED, official
                rows.append(NationalDayObservance(post=post, date=day, kind=kind, represented_by=by, note=note))
        NationalDayObservance.objects.bulk_create(rows)

    def ambassadors(self) -> list[Ambassador]:
        """The city ambassadors, their cities abroad and activity logs. The
        delegation one of them organised is linked through the service."""
        new_cities = self.data["new_cities"]
        cities = {}
        for row in self.data["ambassadors"]:
            name, country = row["city"], row["country"]
            city = City.objects.filter(name=name, country=country).first()
            if city is None:
                facts = new_cities[name]
                city = city_create(
                    name=name,
                    country=country,
                    latitude=Decimal(str(facts["latitude"])),
                    longitude=Decimal(str(facts["longitude"])),
                    population=facts["population"],
                )
            cities[name] = city
        rows = self.data["ambassadors"]
        people = Person.objects.bulk_create(
            [
                Person(
                    name=row["name"], organisation=row["organisation"], city=cities[row["city"]], country=row["country"]
                )
                for row in rows
            ]
        )
        ambassadors = Ambassador.objects.bulk_create(
            [
                Ambassador(
                    person=person,
                    city=cities[row["city"]],
                    tie=row["tie"],
                    appointed_on=datetime.date.fromisoformat(row["appointed"]),
                    until=datetime.date.fromisoformat(row["until"]) if row["until"] else None,
                    areas=row["areas"],
                )
                for row, person in zip(rows, people, strict=True)
            ]
        )
        activities, organised = [], []
        for row, ambassador in zip(rows, ambassadors, strict=True):
            for date, kind, description, *delegation in row["activities"]:
                day = datetime.date.fromisoformat(date) if len(date) > 5 else _on(self.year, date)
                if day > self.today:
                    day = day.replace(year=day.year - 1)
                if kind == ActivityKind.DELEGATION:
                    organised.append((ambassador, day, description, delegation[0]))
                else:
                    activities.append(
                        AmbassadorActivity(ambassador=ambassador, date=day, kind=kind, description=description)
                    )
        AmbassadorActivity.objects.bulk_create(activities)
        for ambassador, day, description, title in organised:
            delegation = Delegation.objects.in_years(self.year).filter(title=title).first()
            if delegation is not None and delegation.official_guest:  # leaves the demo delegation as it is
                services.activity_create(
                    ambassador=ambassador,
                    date=day,
                    kind=ActivityKind.DELEGATION,
                    description=description,
                    delegation=delegation,
                )
        return ambassadors

    def events(self, posts: list[ConsularPost], ambassadors: list[Ambassador]) -> None:
        """Europe Day and Japan Day (public), the Consular Corps' New Year
        reception and the ambassadors' meeting (by invitation), with guest
        lists and answers; costs estimated on the public relations line."""
        line = BudgetLine.objects.filter(budget__year=self.year, name=PR_LINE).first()
        japan = next(post for post in posts if post.country == "JP")

        def event(title, kind, day, hours, place, *, public, summary="", programme=""):
            return Event(
                title=title,
                kind=kind,
                status=EventStatus.HELD if day < self.today else EventStatus.PLANNED,
                starts_at=_at(day, hours[0]),
                ends_at=_at(day, hours[1]),
                place=place,
                is_public=public,
                summary=summary,
                programme=programme,
                budget_line=line,
                rsvp_by=day - datetime.timedelta(days=14),
            )

        europe, japan_day, reception, meeting = Event.objects.bulk_create(
            [
                event(
                    "Europe Day in City Hall",
                    EventKind.EUROPE_DAY,
                    _on(self.year, "05-09"),
                    (11, 18),
                    "City Hall (Römer), Römerberg",
                    public=True,
                    summary="Frankfurt celebrates Europe with its partner cities and the European consulates.",
                    programme="11:00 Opening by the Lord Mayor\n12:00 Partner cities' stands on the Römerberg\n"
                    "15:00 Debate: Europe in our neighbourhoods\n17:00 Concert of the youth orchestra",
                ),
                event(
                    "Japan Day on the Museum Embankment",
                    EventKind.THEME_DAY,
                    _on(self.year, "06-13"),
                    (12, 20),
                    "Museumsufer, Schaumainkai",
                    public=True,
                    summary="Taiko drums, tea ceremony and manga with the Consulate-General of Japan and Yokohama.",
                    programme="12:00 Opening with the Consul General\n14:00 Tea ceremony\n18:00 Taiko drums",
                ),
                event(
                    "New Year reception of the Consular Corps",
                    EventKind.RECEPTION,
                    _on(self.year, "01-15"),
                    (18, 21),
                    "City Hall (Römer), Kaisersaal",
                    public=False,
                ),
                event(
                    "City ambassadors' annual meeting",
                    EventKind.AMBASSADORS_MEETING,
                    _on(self.year, "10-15"),
                    (10, 17),
                    "City Hall (Römer), Limpurgsaal",
                    public=False,
                ),
            ]
        )
        japan_day.consular_posts.add(japan)
        answers = [Answer.ACCEPTED] * 6 + [Answer.DECLINED] * 2 + [Answer.REPRESENTED]
        guests = []
        for post in posts:
            if not _open_on(post, reception.starts_at.date()):
                continue
            answer = self.random.choice(answers)
            guests.append(
                Guest(
                    event=reception,
                    person=post.head,
                    consular_post=post,
                    answer=answer,
                    represented_by="The deputy head of post" if answer == Answer.REPRESENTED else "",
                )
            )
            if post.kind != PostKind.HONORARY_CONSULATE and post.country in ("FR", "IT", "PL", "ES", "GR", "HR"):
                guests.append(Guest(event=europe, person=post.head, consular_post=post, answer=Answer.ACCEPTED))
        guests.append(Guest(event=japan_day, person=japan.head, consular_post=japan, answer=Answer.ACCEPTED))
        for ambassador in ambassadors:
            if not ambassador.serving_on(meeting.starts_at.date()):
                continue
            answer = self.random.choice([Answer.ACCEPTED, Answer.ACCEPTED, Answer.ACCEPTED, Answer.DECLINED])
            if meeting.starts_at.date() > self.today:
                answer = Answer.PENDING
            guests.append(Guest(event=meeting, person=ambassador.person, ambassador=ambassador, answer=answer))
        Guest.objects.bulk_create(guests)
        held = {europe: "0.96", japan_day: "1.04", reception: "0.98", meeting: "1.00"}
        costs = [
            (europe, "Stage, sound and tents", "6500.00"),
            (europe, "Catering for the partner cities' guests", "2400.00"),
            (japan_day, "Taiko ensemble and tea ceremony", "1800.00"),
            (reception, "Reception catering", "3200.00"),
            (meeting, "Lunch and city tour for the ambassadors", "1500.00"),
        ]
        EventCost.objects.bulk_create(
            [
                EventCost(
                    event=item,
                    description=description,
                    estimated=Decimal(estimate),
                    actual=(Decimal(estimate) * Decimal(held[item])).quantize(Decimal("0.01"))
                    if item.status == EventStatus.HELD
                    else None,
                )
                for item, description, estimate in costs
            ]
        )


@transaction.atomic
def load_demo_protocol() -> int:
    """Load the Consular Corps, the events and the ambassadors; return how many posts were created."""
    if ConsularPost.objects.exists():
        return 0
    loader = _Loader(read_json("protocol.json"), timezone.localdate())
    posts = loader.posts()
    loader.observances(posts)
    ambassadors = loader.ambassadors()
    loader.events(posts, ambassadors)
    return len(posts)
