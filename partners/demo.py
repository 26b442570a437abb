"""Demo partner cities: the home city's partnerships from the reference list
(partners/demo/partnerships.csv, copied from the shared reference data), with
plausible statuses, clubs, sub-partnerships and contacts. Idempotent."""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import services
from .choices import ReviewStatus, Status
from .models import AreaOfCooperation, City, Club, Contact, Exchange, Partnership, SubPartnership

CSV_PATH = Path(__file__).parent / "demo" / "partnerships.csv"

# name: (local name, latitude, longitude, population)
CITY_FACTS = {
    "Frankfurt am Main": ("", 50.110924, 8.682127, 773068),
    "Düsseldorf": ("", 51.227741, 6.773456, 629047),
    "Stuttgart": ("", 48.775846, 9.182932, 632865),
    "Eskişehir": ("", 39.776667, 30.520556, 915418),
    "Yokohama": ("横浜市", 35.443708, 139.638026, 3757630),
    "Dubai": ("دبي", 25.204849, 55.270783, 3604030),
    "Granada": ("", 37.177336, -3.598557, 231775),
    "Kraków": ("", 50.064650, 19.944980, 804237),
    "Budapest": ("", 47.497912, 19.040235, 1706851),
    "Leipzig": ("", 51.339695, 12.373075, 616093),
    "Prague": ("Praha", 50.075538, 14.437800, 1357326),
    "Toronto": ("", 43.653226, -79.383184, 2794356),
    "Guangzhou": ("广州", 23.129110, 113.264385, 18810600),
    "Tel Aviv-Yafo": ("תל אביב-יפו", 32.085300, 34.781768, 474530),
    "Cairo": ("القاهرة", 30.044420, 31.235712, 10100166),
    "Milan": ("Milano", 45.464204, 9.189982, 1371498),
    "Deuil-la-Barre": ("", 48.976700, 2.325000, 22795),
    "Birmingham": ("", 52.486243, -1.890401, 1157603),
    "Lyon": ("", 45.764043, 4.835659, 522250),
}

AREAS = {
    "Kraków": ["Culture", "Youth", "Schools"],
    "Lyon": ["Culture", "Schools", "Economy and trade"],
    "Milan": ["Economy and trade", "Culture"],
    "Toronto": ["Economy and trade", "Startups", "Climate"],
    "Yokohama": ["Economy and trade", "Climate", "Mobility"],
    "Tel Aviv-Yafo": ["Startups", "Youth", "Culture"],
    "Guangzhou": ["Economy and trade", "Science and universities"],
    "Birmingham": ["Schools", "Sport", "Culture"],
}

# Changes after formalisation: (city, status, date, reason, institution-level contacts go on)
STATUS_STORY = [
    ("Dubai", Status.DORMANT, datetime.date(2021, 3, 1), "No exchange or visit since 2019; still on the books.", True),
    (
        "Cairo",
        Status.FROZEN,
        datetime.date(2023, 6, 15),
        "Official contacts suspended by council decision pending a review; school and artist exchanges go on.",
        True,
    ),
]

CLUBS = [
    # name, partner cities, founded, members, leader usernames, in umbrella alliance
    ("Freundeskreis Frankfurt–Kraków e.V.", ["Kraków"], datetime.date(1992, 4, 1), 86, ["clubleader"], True),
    (
        "Cercle Franco-Allemand Frankfurt–Lyon e.V.",
        ["Lyon", "Deuil-la-Barre"],
        datetime.date(1961, 9, 1),
        143,
        ["clubleader"],
        True,
    ),
    ("Toronto Friends in Frankfurt e.V.", ["Toronto"], datetime.date(1990, 5, 1), 52, ["clubleader2"], False),
    ("Deutsch-Japanischer Kreis Frankfurt–Yokohama", ["Yokohama"], datetime.date(2012, 2, 1), 38, [], True),
]

SUB_PARTNERSHIPS = [
    ("Lyon", "school", "Lessing-Gymnasium", "Lycée du Parc", datetime.date(1975, 9, 1)),
    ("Kraków", "university", "Goethe-Universität Frankfurt", "Uniwersytet Jagielloński", datetime.date(1994, 1, 1)),
    ("Birmingham", "sports_club", "Eintracht Frankfurt Jugend", "Birmingham Youth Football League", None),
    ("Tel Aviv-Yafo", "cultural", "Jüdisches Museum Frankfurt", "Tel Aviv Museum of Art", datetime.date(2005, 5, 1)),
    ("Toronto", "university", "Frankfurt School of Finance", "Toronto Metropolitan University", None),
]

CONTACTS = [
    ("Kraków", "Anna Nowak", "Head of International Relations", "Urząd Miasta Krakowa", "pl"),
    ("Lyon", "Claire Dubois", "Chargée des relations internationales", "Ville de Lyon", "fr"),
    ("Yokohama", "Kenji Sato", "International Affairs Bureau", "City of Yokohama", "ja"),
    ("Toronto", "Jordan Smith", "Protocol Officer", "City of Toronto", "en"),
]


def _city(name, country):
    local_name, latitude, longitude, population = CITY_FACTS.get(name, ("", None, None, None))
    city = City.objects.filter(name=name, country=country).first()
    if city:
        return city
    return City.objects.create(
        name=name,
        country=country,
        local_name=local_name,
        latitude=latitude,
        longitude=longitude,
        population=population,
    )


@transaction.atomic
def load_demo_partners() -> int:
    """Load the home city's partnerships; return how many were created."""
    home = settings.OIA_HOME_CITY
    staff = get_user_model().objects.filter(username="staff").first()
    created = 0
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["home_city"] == home]
    if rows:
        _city(home, rows[0]["home_country"])
    for row in rows:
        city = _city(row["partner_city"], row["partner_country"])
        if Partnership.objects.filter(partner_city=city).exists():
            continue
        services.partnership_create(
            recorded_by=staff,
            partner_city=city,
            formalised_on=datetime.date(int(row["year_formalised"]), 1, 1),
            formalised_year_only=True,
            responsible_officer=staff,
            areas=AreaOfCooperation.objects.filter(name__in=AREAS.get(city.name, [])),
        )
        created += 1
    if created:
        _add_story(staff)
    return created


def _add_story(staff):
    by_city = {p.partner_city.name: p for p in Partnership.objects.select_related("partner_city")}
    for name, status, effective_on, reason, institutions_go_on in STATUS_STORY:
        if name in by_city:
            services.partnership_change_status(
                partnership=by_city[name],
                status=status,
                effective_on=effective_on,
                reason=reason,
                recorded_by=staff,
                institutional_contacts_continue=institutions_go_on,
            )
    users = get_user_model().objects.in_bulk(field_name="username")
    for name, cities, founded_on, members, leaders, in_alliance in CLUBS:
        club, _ = Club.objects.get_or_create(
            name=name,
            defaults={"founded_on": founded_on, "member_count": members, "in_umbrella_alliance": in_alliance},
        )
        club.partnerships.set([by_city[c] for c in cities if c in by_city])
        club.leaders.set([users[u] for u in leaders if u in users])
    for name, kind, local, partner, since in SUB_PARTNERSHIPS:
        if name in by_city:
            SubPartnership.objects.get_or_create(
                partnership=by_city[name],
                local_institution=local,
                partner_institution=partner,
                defaults={"kind": kind, "since": since},
            )
    for name, person, role, organisation, language in CONTACTS:
        if name in by_city:
            Contact.objects.get_or_create(
                partnership=by_city[name],
                name=person,
                defaults={"role": role, "organisation": organisation, "language": language},
            )


# A year of the clubs' exchanges, dated back from today:
# (club, partner city, title, kind, direction, days ago, days long, ours, theirs, young, reciprocity, review, comment)
EXCHANGES = [
    (
        "Freundeskreis Frankfurt–Kraków e.V.",
        "Kraków",
        "Pupils of the Goethe-Gymnasium in Kraków",
        "school",
        "outgoing",
        300,
        6,
        24,
        0,
        22,
        False,
        ReviewStatus.ACCEPTED,
        "",
    ),
    (
        "Freundeskreis Frankfurt–Kraków e.V.",
        "Kraków",
        "Christmas markets: a Kraków stall here, ours in Kraków",
        "culture",
        "both",
        340,
        4,
        12,
        15,
        0,
        True,
        ReviewStatus.ACCEPTED,
        "",
    ),
    (
        "Freundeskreis Frankfurt–Kraków e.V.",
        "Kraków",
        "Youth football tournament",
        "sports",
        "incoming",
        120,
        3,
        40,
        36,
        70,
        False,
        ReviewStatus.RETURNED,
        "Please name the partner club in Kraków and say how many young players came from each city.",
    ),
    (
        "Freundeskreis Frankfurt–Kraków e.V.",
        "Kraków",
        "Online meeting on the jubilee programme",
        "online",
        "outgoing",
        20,
        1,
        8,
        7,
        0,
        False,
        ReviewStatus.SUBMITTED,
        "",
    ),
    (
        "Cercle Franco-Allemand Frankfurt–Lyon e.V.",
        "Lyon",
        "Choirs of both cities sing in Lyon and Frankfurt",
        "culture",
        "both",
        200,
        5,
        35,
        32,
        10,
        True,
        ReviewStatus.ACCEPTED,
        "",
    ),
    (
        "Cercle Franco-Allemand Frankfurt–Lyon e.V.",
        "Lyon",
        "Citizens' journey to Lyon",
        "citizens",
        "outgoing",
        90,
        5,
        28,
        0,
        0,
        False,
        ReviewStatus.SUBMITTED,
        "",
    ),
    (
        "Toronto Friends in Frankfurt e.V.",
        "Toronto",
        "Start-up founders from Toronto",
        "expert",
        "incoming",
        150,
        4,
        6,
        8,
        4,
        False,
        ReviewStatus.ACCEPTED,
        "",
    ),
    (
        "Toronto Friends in Frankfurt e.V.",
        "Toronto",
        "Remembrance day at the Frankfurt memorial",
        "commemoration",
        "incoming",
        45,
        1,
        5,
        3,
        0,
        False,
        ReviewStatus.DRAFT,
        "",
    ),
]


@transaction.atomic
def load_demo_exchanges() -> int:
    """The clubs' exchanges of the last year, each taken through the review it
    reached (with its history); return how many were created. Idempotent:
    an exchange is known by its club and title."""
    users = get_user_model().objects.in_bulk(["staff", "clubleader", "clubleader2"], field_name="username")
    staff = users.get("staff")
    clubs = {club.name: club for club in Club.objects.prefetch_related("partnerships__partner_city")}
    today = timezone.localdate()
    created = 0
    for (club_name, city, title, kind, direction, days_ago, days, ours, theirs, young, both_cities, review,
         comment) in EXCHANGES:  # fmt: skip
        club = clubs.get(club_name)
        partnership = next((p for p in club.partnerships.all() if p.partner_city.name == city), None) if club else None
        if partnership is None or Exchange.objects.filter(club=club, title=title).exists():
            continue
        leader = club.leaders.first() or staff
        starts_on = today - datetime.timedelta(days=days_ago)
        exchange = services.exchange_create(
            club=club,
            created_by=leader,
            partnership=partnership,
            kind=kind,
            direction=direction,
            starts_on=starts_on,
            ends_on=min(today, starts_on + datetime.timedelta(days=days - 1)),
            title=title,
            participants_local=ours,
            participants_partner=theirs,
            young_participants=young,
            reciprocity=both_cities,
            description=f"{title}.",
            submit=review != ReviewStatus.DRAFT,
        )
        if review in (ReviewStatus.ACCEPTED, ReviewStatus.RETURNED) and staff is not None:
            services.exchange_review(exchange=exchange, by=staff, decision=review, comment=comment)
        created += 1
    return created
