"""Demo partner cities: the home city's partnerships from the reference list
(``data/partnerships.csv``, copied from the shared reference data), with the
home city's gazetteer facts, the statuses, clubs, sub-partnerships, contacts (``data/partners.json``) and a year
of the clubs' exchanges (``data/exchanges.json``). Idempotent."""

import csv
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partners import services
from partners.choices import ReviewStatus
from partners.models import (
    AreaOfCooperation,
    City,
    Club,
    ClubAssociation,
    Contact,
    Exchange,
    Partnership,
    SubPartnership,
)

from .files import DATA_DIR, read_json

PARTNERSHIPS_CSV = DATA_DIR / "partnerships.csv"


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _city(name: str, country: str, facts: dict) -> City:
    """The city of that name and country; created with its facts if missing."""
    city = City.objects.filter(name=name, country=country).first()
    if city:
        return city
    known = facts.get(name, {})
    return City.objects.create(
        name=name,
        country=country,
        local_name=known.get("local_name", ""),
        latitude=known.get("latitude"),
        longitude=known.get("longitude"),
        population=known.get("population"),
    )


def _home_city(facts: dict) -> City:
    """The home city. When it is the demo's, it is created with the gazetteer's
    facts kept in the data file: reading the gazetteer (170,000 places) to
    find one city was an eighth of the demo's load time."""
    if (facts["name"], facts["country"]) == (settings.OIA_HOME_CITY, settings.OIA_HOME_COUNTRY) and not (
        City.objects.filter(name=facts["name"], country=facts["country"]).exists()
    ):
        services.city_create(**facts)
    return services.home_city_record()


@transaction.atomic
def load_demo_partners() -> int:
    """Load the home city's partnerships; return how many were created."""
    home = settings.OIA_HOME_CITY
    data = read_json("partners.json")
    _home_city(data["home_city"])
    staff = get_user_model().objects.filter(username="staff").first()
    created = 0
    with PARTNERSHIPS_CSV.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["home_city"] == home]
    if rows:
        _city(home, rows[0]["home_country"], data["cities"])
    for row in rows:
        city = _city(row["partner_city"], row["partner_country"], data["cities"])
        if Partnership.objects.filter(partner_city=city).exists():
            continue
        services.partnership_create(
            recorded_by=staff,
            partner_city=city,
            formalised_on=datetime.date(int(row["year_formalised"]), 1, 1),
            formalised_year_only=True,
            responsible_officer=staff,
            areas=AreaOfCooperation.objects.filter(name__in=data["areas"].get(city.name, [])),
        )
        created += 1
    if created:
        _add_story(data, staff)
    return created


def _add_story(data: dict, staff) -> None:
    """The status changes, clubs, their umbrella association, sub-partnerships and contacts of the new partnerships."""
    by_city = {p.partner_city.name: p for p in Partnership.objects.select_related("partner_city")}
    for change in data["status_changes"]:
        if change["city"] in by_city:
            services.partnership_change_status(
                partnership=by_city[change["city"]],
                status=change["status"],
                effective_on=_date(change["effective_on"]),
                reason=change["reason"],
                recorded_by=staff,
                institutional_contacts_continue=change["institutional_contacts_continue"],
            )
    users = get_user_model().objects.in_bulk(field_name="username")
    for row in data["clubs"]:
        club, _ = Club.objects.get_or_create(
            name=row["name"],
            defaults={"founded_on": _date(row["founded_on"]), "member_count": row["member_count"]},
        )
        club.partnerships.set([by_city[city] for city in row["partner_cities"] if city in by_city])
        club.leaders.set([users[username] for username in row["leaders"] if username in users])
    for row in data["club_associations"]:
        if not ClubAssociation.objects.filter(name=row["name"]).exists():
            services.club_association_create(
                name=row["name"],
                contact_email=row["contact_email"],
                contact_phone=row["contact_phone"],
                postal_address=row["postal_address"],
                clubs=Club.objects.filter(name__in=row["clubs"]),
                leaders=[users[username] for username in row["leaders"] if username in users],
            )
    for row in data["sub_partnerships"]:
        if row["city"] in by_city:
            SubPartnership.objects.get_or_create(
                partnership=by_city[row["city"]],
                local_institution=row["local_institution"],
                partner_institution=row["partner_institution"],
                defaults={"kind": row["kind"], "since": _date(row["since"])},
            )
    for row in data["contacts"]:
        if row["city"] in by_city:
            Contact.objects.get_or_create(
                partnership=by_city[row["city"]],
                name=row["name"],
                defaults={"role": row["role"], "organisation": row["organisation"], "language": row["language"]},
            )


@transaction.atomic
def load_demo_exchanges() -> int:
    """The clubs' exchanges of the last year, dated back from today, each taken
    through the review it reached (with its history); return how many were
    created. Idempotent: an exchange is known by its club and title."""
    users = get_user_model().objects.in_bulk(["staff", "clubleader", "clubleader2"], field_name="username")
    staff = users.get("staff")
    clubs = {club.name: club for club in Club.objects.prefetch_related("partnerships__partner_city")}
    today = timezone.localdate()
    created = 0
    for row in read_json("exchanges.json"):
        club = clubs.get(row["club"])
        partnership = (
            next((p for p in club.partnerships.all() if p.partner_city.name == row["city"]), None) if club else None
        )
        if partnership is None or Exchange.objects.filter(club=club, title=row["title"]).exists():
            continue
        leader = club.leaders.first() or staff
        starts_on = today - datetime.timedelta(days=row["days_ago"])
        review = row["review"]
        exchange = services.exchange_create(
            club=club,
            created_by=leader,
            partnership=partnership,
            kind=row["kind"],
            direction=row["direction"],
            starts_on=starts_on,
            ends_on=min(today, starts_on + datetime.timedelta(days=row["days"] - 1)),
            title=row["title"],
            participants_local=row["participants_local"],
            participants_partner=row["participants_partner"],
            young_participants=row["young_participants"],
            reciprocity=row["reciprocity"],
            description=f"{row['title']}.",
            submit=review != ReviewStatus.DRAFT,
        )
        if review in (ReviewStatus.ACCEPTED, ReviewStatus.RETURNED) and staff is not None:
            services.exchange_review(exchange=exchange, by=staff, decision=review, comment=row["comment"])
        created += 1
    return created
