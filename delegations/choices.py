"""Choices of the delegations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound (visitors to our city)")
    OUTBOUND = "outbound", _("Outbound (trip abroad)")


class Purpose(models.TextChoices):
    PARTNER_CITY_VISIT = "partner_city_visit", _("Partner-city visit")
    ANNIVERSARY = "anniversary", _("Anniversary")
    TRADE_FAIR = "trade_fair", _("Trade fair / expo")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    CONFERENCE = "conference", _("Conference")
    TECHNICAL_EXCHANGE = "technical_exchange", _("Technical exchange")
    STUDY_TOUR = "study_tour", _("Study tour")
    OTHER = "other", _("Other")


class DelegationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class TravelClass(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    PREMIUM_ECONOMY = "premium_economy", _("Premium economy")
    BUSINESS = "business", _("Business")
    FIRST = "first", _("First class")
    RAIL_SECOND = "rail_second", _("Rail, 2nd class")
    RAIL_FIRST = "rail_first", _("Rail, 1st class")
    OTHER = "other", _("Other / not applicable")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Head of delegation")
    MEMBER = "member", _("Member")
    INTERPRETER = "interpreter", _("Interpreter")
    PRESS = "press", _("Press")
    PROTOCOL = "protocol", _("Protocol")
    SECURITY = "security", _("Security")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    BUSINESS = "business", pgettext_lazy("sector", "Business")
    ACADEMIA = "academia", _("Academia")
    CULTURE = "culture", _("Culture")
    MEDIA = "media", _("Media")


class ProgrammeItemKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    SITE_VISIT = "site_visit", _("Site visit")
    RECEPTION = "reception", _("Reception")
    SIGNING = "signing", _("Signing")
    PRESS_EVENT = "press_event", _("Press event")
    CULTURAL_EVENT = "cultural_event", _("Cultural event")
    OTHER = "other", _("Other")


class CostCategory(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    ACCOMMODATION = "accommodation", _("Accommodation")
    HOSTING = "hosting", _("Hosting")
    GIFTS = "gifts", _("Gifts")
    INTERPRETATION = "interpretation", _("Interpretation")
    EVENTS = "events", _("Events")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    CITY = "city", _("The city")
    PARTNER = "partner", _("The partner")
    THIRD_PARTY = "third_party", _("A third party")


class GiftDirection(models.TextChoices):
    GIVEN = "given", _("Given")
    RECEIVED = "received", _("Received")


class OutcomeKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement signed")
    PROJECT = "project", _("Project started")
    CONTACT = "contact", _("Contact made")
    FOLLOW_UP = "follow_up", _("Follow-up action")


class MatchKind(models.TextChoices):
    SAME_CITY = "same_city", _("Same city")
    SAME_COUNTRY = "same_country", _("Same country")
    INBOUND_FROM_CITY = "inbound_from_city", _("Visitors from that city")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    COORDINATED = "coordinated", _("Coordinated")
