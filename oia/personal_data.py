"""Personal data, declared once: every field that holds it, with its category,
purpose, legal basis, retention period and who may read it.

The record of processing activities (Art. 30 GDPR, ``oia.privacy``), the
nightly retention job and the coverage test in ``tests/oia`` all read these
declarations, so a field is described in one place only. The core never
imports the apps: each app declares its own fields in ``<app>/personal_data.py``,
imported from its ``AppConfig.ready()``, the way it fills panels
(``oia.panels``). Models are named by their label ("delegations.Person"), so
a declaration needs no model import.

A retention period is machine-readable: ``Retention.setting`` names the
setting that holds the amount (in ``unit``) and ``Retention.after`` the event
it counts from; ``Retention.cutoff(now)`` is the moment before which that
event makes the data due. A retention without a setting has no automatic
deletion (the data lives as long as the record or account it belongs to).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import ADMINS, OFFICE, Role

Text = str | Promise


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, function)")
    CONTACT = "contact", _("Contact data")
    SPECIAL = "special", _("Special category (Art. 9 GDPR)")
    PHOTO = "photo", _("Photo")
    FREE_TEXT = "free_text", _("Free text about people")
    DOCUMENT = "document", _("Uploaded document")
    ACCOUNT = "account", _("Account and usage data")


class After(models.TextChoices):
    """The event a retention period counts from."""

    TRIP_ENDED = "trip_ended", _("after the trip or visit ends")
    LAST_PARTICIPATION = "last_participation", _("after the person's last trip or visit ended")
    PARTNERSHIP_ENDED = "partnership_ended", _("after the partnership ended")
    CREATED = "created", _("after it was recorded")
    ACCOUNT_CLOSED = "account_closed", _("as long as the user account exists")
    RECORD_KEPT = "record_kept", _("as long as the record it belongs to (municipal archives law)")


class LegalBasis:
    """The legal bases in use, worded once."""

    PUBLIC_TASK = _("Art. 6(1)(e) GDPR with the municipal code (the city's international relations)")
    CONTRACT = _("Art. 6(1)(b) GDPR (the club's use of the portal and its grant applications)")
    EXPLICIT_CONSENT = _("Art. 9(2)(a) GDPR (explicit consent of the person)")
    EMPLOYMENT = _("Art. 6(1)(c) and Art. 88 GDPR with the state's public-service data protection law")
    USER_ACCOUNT = _(
        "Staff: Art. 6(1)(c) and Art. 88 GDPR with the state's public-service data protection law; "
        "club leaders: Art. 6(1)(b) GDPR"
    )
    SECURITY = _("Art. 6(1)(c) with Art. 32 GDPR (security of processing)")
    ACCOUNTABILITY = _("Art. 6(1)(c) with Art. 5(2) GDPR (who recorded or decided what)")


@dataclass(frozen=True)
class Retention:
    """How long a field is kept: ``setting`` × ``unit`` ``after`` an event.
    Without a setting, as long as ``after`` says (no automatic deletion)."""

    after: str
    setting: str = ""
    unit: str = "days"  # "hours", "days" or "years"
    note: Text = ""

    @property
    def amount(self) -> int | None:
        return getattr(settings, self.setting) if self.setting else None

    @property
    def period(self) -> timedelta | None:
        """The period as a timedelta (a year counted as 365 days); ``cutoff``
        is exact in calendar years."""
        amount = self.amount
        if amount is None:
            return None
        days = {"hours": amount / 24, "days": amount, "years": amount * 365}[self.unit]
        return timedelta(days=days)

    def cutoff(self, now: datetime) -> datetime | None:
        """Data whose ``after`` event happened before this moment is due."""
        amount = self.amount
        if amount is None:
            return None
        if self.unit == "years":
            year = now.year - amount
            day = min(now.day, 28) if (now.month, now.day) == (2, 29) else now.day
            return now.replace(year=year, day=day)
        return now - self.period

    def describe(self) -> str:
        """In words, for the record: "30 days after the trip or visit ends"."""
        amount = self.amount
        if amount is None:
            text = str(After(self.after).label)
        else:
            units = {"hours": _("%(n)s hours"), "days": _("%(n)s days"), "years": _("%(n)s years")}
            text = f"{units[self.unit] % {'n': amount}} {After(self.after).label}"
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class PersonalField:
    """One field that holds personal data. ``model`` is the model's label."""

    model: str
    field: str
    category: str
    purpose: Text
    legal_basis: Text
    retention: Retention
    activity: Text
    access: frozenset[str] = OFFICE

    @property
    def retention_setting(self) -> str:
        return self.retention.setting

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def field_object(self):
        return self.model_class._meta.get_field(self.field)

    @property
    def key(self) -> tuple[str, str]:
        return (self.model.lower(), self.field)


_DECLARED: dict[tuple[str, str], PersonalField] = {}


def register(model: str, field: str, **description) -> PersonalField:
    """Declare ``model``'s ``field`` as personal data; declaring it again
    replaces the declaration."""
    if not isinstance(model, str):
        model = model._meta.label
    declaration = PersonalField(model=model, field=field, **description)
    _DECLARED[declaration.key] = declaration
    return declaration


def declared() -> list[PersonalField]:
    """Every declaration, in the order they were made."""
    return list(_DECLARED.values())


def is_declared(model: str, field: str) -> bool:
    return (model.lower(), field) in _DECLARED


def roles_label(roles: frozenset[str]) -> str:
    """The roles, in words, in the order of ``Role``; no role: the user's own data."""
    if not roles:
        return str(_("only the user themselves"))
    return ", ".join(str(role.label) for role in Role if role in roles)


# The core's own fields and those of the libraries it installs (accounts,
# sessions, sign-in attempts, API tokens, second factors, Django's admin log).
ACCOUNTS = _("User accounts and sign-in security")
NOTIFICATIONS = _("Notifications")
UNTIL_ACCOUNT_CLOSED = Retention(After.ACCOUNT_CLOSED)


def register_core_fields() -> None:
    account = {
        "purpose": _("Signing in to the app and knowing who holds which role"),
        "legal_basis": LegalBasis.USER_ACCOUNT,
        "retention": UNTIL_ACCOUNT_CLOSED,
        "activity": ACCOUNTS,
        "access": ADMINS,
    }
    # The office sees its colleagues' names on the records they keep.
    register("auth.User", "username", category=Category.IDENTITY, **{**account, "access": OFFICE})
    register("auth.User", "first_name", category=Category.IDENTITY, **{**account, "access": OFFICE})
    register("auth.User", "last_name", category=Category.IDENTITY, **{**account, "access": OFFICE})
    register("auth.User", "email", category=Category.CONTACT, **account)
    register("auth.User", "last_login", category=Category.ACCOUNT, **account)
    register("auth.User", "groups", category=Category.ACCOUNT, **account)  # the user's roles
    # The record that a club leader's account was anonymised on request (Art. 17), and by whom.
    erasure = {**account, "purpose": _("Showing that a request to erase was carried out, and by whom")}
    erasure.update(legal_basis=LegalBasis.ACCOUNTABILITY, retention=Retention(After.RECORD_KEPT))
    register("oia.AnonymisedAccount", "user", category=Category.ACCOUNT, **erasure)
    # The audit trail (oia.audit): who made each change, from which address. Its
    # event tables hold earlier versions of the fields declared here, for as long
    # as their record; erasure and the retention job remove them there too.
    register(
        "pghistory.Context",
        "metadata",
        category=Category.ACCOUNT,
        purpose=_("Knowing who changed what, when and from where (audit trail)"),
        legal_basis=LegalBasis.ACCOUNTABILITY,
        retention=Retention(After.RECORD_KEPT),
        activity=ACCOUNTS,
        access=ADMINS,
    )
    register("oia.AnonymisedAccount", "anonymised_by", category=Category.ACCOUNT, **erasure)
    security = {
        "category": Category.ACCOUNT,
        "purpose": _("Locking out password guessing and tracing sign-ins"),
        "legal_basis": LegalBasis.SECURITY,
        "retention": Retention(After.CREATED, "OIA_RETAIN_LOGIN_ATTEMPTS_DAYS"),
        "activity": ACCOUNTS,
        "access": ADMINS,
    }
    for model in ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"):
        for field in ("username", "ip_address", "user_agent"):
            register(model, field, **security)
    # The sign-in form as sent (axes masks the password), which holds the username.
    register("axes.AccessAttempt", "get_data", **security)
    register("axes.AccessAttempt", "post_data", **security)
    register(
        "sessions.Session",
        "session_data",
        category=Category.ACCOUNT,
        purpose=_("Keeping a user signed in"),
        legal_basis=LegalBasis.SECURITY,
        retention=Retention(After.CREATED, "OIA_SESSION_HOURS", unit="hours"),
        activity=ACCOUNTS,
        access=frozenset(),
    )
    register(
        "knox.AuthToken",
        "user",
        category=Category.ACCOUNT,
        purpose=_("Reading the API with a token"),
        legal_basis=LegalBasis.SECURITY,
        retention=Retention(After.CREATED, "OIA_API_TOKEN_HOURS", unit="hours"),
        activity=ACCOUNTS,
        access=ADMINS,
    )
    for model in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
        register(
            model,
            "user",
            category=Category.ACCOUNT,
            purpose=_("The administrators' second factor at sign-in"),
            legal_basis=LegalBasis.SECURITY,
            retention=UNTIL_ACCOUNT_CLOSED,
            activity=ACCOUNTS,
            access=ADMINS,
        )
    register(
        "admin.LogEntry",
        "user",
        category=Category.ACCOUNT,
        purpose=_("Who changed what in the administration site"),
        legal_basis=LegalBasis.ACCOUNTABILITY,
        retention=UNTIL_ACCOUNT_CLOSED,
        activity=ACCOUNTS,
        access=ADMINS,
    )
    register(
        "oia.CalendarFeedToken",
        "user",
        category=Category.ACCOUNT,
        purpose=_("A user's personal calendar feed address"),
        legal_basis=LegalBasis.EMPLOYMENT,
        retention=UNTIL_ACCOUNT_CLOSED,
        activity=ACCOUNTS,
        access=frozenset(),
    )
    notification = {
        "purpose": _("Telling a user of something that needs their attention"),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "retention": Retention(After.CREATED, "OIA_RETAIN_NOTIFICATIONS_DAYS"),
        "activity": NOTIFICATIONS,
        "access": frozenset(),
    }
    register("oia.Notification", "user", category=Category.ACCOUNT, **notification)
    register("oia.Notification", "text", category=Category.FREE_TEXT, **notification)
    # The mail server's refusal often quotes the recipient's address.
    register("oia.Notification", "email_error", category=Category.CONTACT, **notification)
