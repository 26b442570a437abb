"""Choices of the partners app, and the world region of every country."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EUROPE = "europe", _("Europe")
    MENA = "mena", _("Middle East & North Africa")
    SUB_SAHARAN_AFRICA = "sub_saharan_africa", _("Sub-Saharan Africa")
    NORTH_AMERICA = "north_america", _("North America")
    LATIN_AMERICA = "latin_america", _("Latin America & Caribbean")
    EAST_ASIA = "east_asia", _("East Asia")
    SOUTH_EAST_ASIA = "south_east_asia", _("South-East Asia")
    SOUTH_ASIA = "south_asia", _("South Asia")
    CENTRAL_ASIA = "central_asia", _("Central Asia")
    OCEANIA = "oceania", _("Oceania")


class PartnershipKind(models.TextChoices):
    TWINNING = "twinning", _("Twinning / sister city")
    FRIENDSHIP = "friendship", _("Friendship agreement")
    PROJECT = "project", _("Project-based / time-limited")
    DISTRICT = "district", _("Partner district")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    FROZEN = "frozen", _("Frozen")
    ENDED = "ended", _("Ended")


class InstitutionKind(models.TextChoices):
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    HOSPITAL = "hospital", _("Hospital")
    CHURCH = "church", _("Church")
    PORT = "port", _("Port")
    SPORTS_CLUB = "sports_club", _("Sports club")
    CULTURAL = "cultural", _("Cultural institution")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Signed agreement")
    MOU = "mou", _("Memorandum of understanding")
    OTHER = "other", _("Other document")


_REGION_COUNTRIES = {
    Region.EUROPE: "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU "
    "LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK TR",
    Region.MENA: "AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SY TN YE",
    Region.SUB_SAHARAN_AFRICA: "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU "
    "MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW",
    Region.NORTH_AMERICA: "BM CA GL PM US",
    Region.LATIN_AMERICA: "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GT GY HN HT JM KN KY "
    "LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI",
    Region.EAST_ASIA: "CN HK JP KP KR MN MO TW",
    Region.SOUTH_EAST_ASIA: "BN ID KH LA MM MY PH SG TH TL VN",
    Region.SOUTH_ASIA: "AF BD BT IN LK MV NP PK",
    Region.CENTRAL_ASIA: "AM AZ GE KG KZ TJ TM UZ",
    Region.OCEANIA: "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
}

COUNTRY_REGION = {code: region for region, codes in _REGION_COUNTRIES.items() for code in codes.split()}


def region_for_country(code: str) -> str:
    """The world region of an ISO 3166-1 alpha-2 country code ("" if unknown)."""
    return COUNTRY_REGION.get((code or "").upper(), "")


class ExchangeKind(models.TextChoices):
    SCHOOL = "school", _("School exchange")
    YOUTH = "youth", _("Youth exchange")
    SPORTS = "sports", _("Sports")
    CULTURE = "culture", _("Culture / music")
    CITIZENS = "citizens", _("Citizens' journey")
    EXPERT = "expert", _("Expert / technical exchange")
    COMMEMORATION = "commemoration", _("Commemoration")
    ONLINE = "online", _("Online meeting")
    OTHER = "other", _("Other")


class ExchangeDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing: our people went there")
    INCOMING = "incoming", _("Incoming: they came here")
    BOTH = "both", _("Both: the same event in both cities")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class ExchangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")
    PHOTO_ADDED = "photo_added", _("Photo added")
    PHOTO_REMOVED = "photo_removed", _("Photo removed")
