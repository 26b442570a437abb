"""The fixed vocabularies of protocol work: consular posts, their heads,
events, guests' answers and the city ambassadors' areas and activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    EMBASSY_OFFICE = "embassy_office", _("embassy office")
    CONSULATE_GENERAL = "consulate_general", _("consulate-general")
    CONSULATE = "consulate", _("consulate")
    VICE_CONSULATE = "vice_consulate", _("vice-consulate")
    HONORARY_CONSULATE_GENERAL = "honorary_consulate_general", _("honorary consulate-general")
    HONORARY_CONSULATE = "honorary_consulate", _("honorary consulate")


class HeadClass(models.IntegerChoices):
    """The classes of heads of consular posts (Vienna Convention on Consular
    Relations, Art. 9), in order of precedence (Art. 16)."""

    CONSUL_GENERAL = 1, _("consul-general")
    CONSUL = 2, _("consul")
    VICE_CONSUL = 3, _("vice-consul")
    CONSULAR_AGENT = 4, _("consular agent")


class HeadCategory(models.TextChoices):
    """Career heads of post rank before honorary heads of the same class (Art. 16(6))."""

    CAREER = "career", _("career")
    HONORARY = "honorary", _("honorary")


class ObservanceKind(models.TextChoices):
    """What the office did on a post's national day."""

    GREETING = "greeting", _("greeting sent")
    ATTENDED = "attended", _("reception attended")
    REPRESENTED = "represented", _("represented by an official")
    NONE = "none", _("nothing this year")


class EventKind(models.TextChoices):
    EUROPE_DAY = "europe_day", _("Europe Day")
    THEME_DAY = "theme_day", _("national theme day")
    RECEPTION = "reception", _("reception")
    CONSULATE_OPENING = "consulate_opening", _("consulate opening")
    AMBASSADORS_MEETING = "ambassadors_meeting", _("ambassadors' annual meeting")
    JUBILEE = "jubilee", _("jubilee celebration")
    OTHER = "other", _("other event")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class EventRole(models.TextChoices):
    """Whether the office organises the event or attends someone else's."""

    ORGANISED = "organised", _("organised by the office")
    ATTENDED = "attended", _("attended by the office")


class Answer(models.TextChoices):
    PENDING = "pending", _("no answer yet")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    REPRESENTED = "represented", _("represented")


class AmbassadorArea(models.TextChoices):
    TRADE = "trade", _("trade")
    CULTURE = "culture", _("culture")
    SCIENCE = "science", _("science")
    TOURISM = "tourism", _("tourism")
    EDUCATION = "education", _("education")
    SPORT = "sport", _("sport")


class ActivityKind(models.TextChoices):
    INTRODUCTION = "introduction", _("introduction made")
    DELEGATION = "delegation", _("delegation organised")
    PROMOTION = "promotion", _("promotion of the city")
    MEETING = "meeting", _("meeting attended")
    OTHER = "other", _("other")
