"""People and their roles: the administrators' writes and reads of accounts.

Every change to an account made from the People pages, their API and
partners' "Invite a leader" page goes through here, so the rules hold
whatever calls them:

- an administrator cannot deactivate themselves or take their own
  administrator role away, and no change may leave the office without an
  active administrator (the administrators' rows are locked first, so two
  administrators removing each other at the same moment cannot both succeed);
- a change names the account's ``state`` as the page showed it
  (``account_state``); an account changed since is refused, not overwritten;
- an invited person gets an account without a usable password and an email
  with a one-time link to set one (``oia.invitations``: Django's
  password-reset token, it expires after ``PASSWORD_RESET_TIMEOUT`` and dies
  once a password is set). Until then the account is "invited": it cannot
  sign in. Administrators invite anyone; office staff invite club leaders
  (partners' "Invite a leader" page), and nobody else.

The audit trail records every change (the triggers on users, their roles and
the clubs' leaders, see ``oia.audit``); the security log records each action
with who did it.

Roles that tie an account to a higher app's records (a club leader to their
clubs, owned by partners) are *affiliations* the higher app registers here,
so the core never imports it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from .roles import Role
from .security import log_event

User = get_user_model()


# --- Affiliations: what a higher app ties to a role ----------------------------------


@dataclass(frozen=True)
class Affiliation:
    """Records of a higher app an account holding ``role`` is tied to: the
    account's many-to-many ``related_name`` (prefetched by the list, set by
    the services), ``choices()``, what the forms offer, and ``api_field``,
    the name of the records' ids in the API."""

    role: str
    label: Any
    label_plural: Any
    related_name: str
    choices: Callable[[], QuerySet]
    api_field: str


_AFFILIATIONS: dict[str, Affiliation] = {}


def register_affiliation(affiliation: Affiliation) -> None:
    """Tie ``affiliation.role`` to a higher app's records; registering a role again replaces it."""
    _AFFILIATIONS[affiliation.role] = affiliation


def affiliations() -> list[Affiliation]:
    return list(_AFFILIATIONS.values())


def affiliation_for(role: str) -> Affiliation | None:
    return _AFFILIATIONS.get(role)


# --- Reads ----------------------------------------------------------------------------


def role_groups() -> QuerySet:
    return Group.objects.filter(name__in=Role.values)


def has_usable_password_q() -> Q:
    """SQL for ``has_usable_password()``: Django marks an unusable one with a leading "!"."""
    return ~Q(password__startswith="!")


def administrators() -> QuerySet:
    """Accounts holding the administrator role (its group, or superusers)."""
    return User.objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True))


def office_staff() -> QuerySet:
    """Accounts of the office: staff and administrators."""
    return User.objects.filter(Q(groups__name=Role.STAFF) | Q(pk__in=administrators().values("pk")))


def people_for_list() -> QuerySet:
    """Accounts for the People list: their roles and affiliations prefetched,
    whether they can sign in yet annotated, so a page costs the same queries
    however many people it shows."""
    queryset = (
        User.objects.annotate(
            password_set=Exists(User.objects.filter(has_usable_password_q(), pk=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("groups", queryset=role_groups().order_by("name"), to_attr="role_groups"))
        .order_by("last_name", "first_name", "username")
    )
    for affiliation in affiliations():
        queryset = queryset.prefetch_related(affiliation.related_name)
    return queryset


def roles_held(user) -> list[str]:
    """The role values ``user`` holds (superusers hold the administrator role)."""
    groups = getattr(user, "role_groups", None)
    names = {group.name for group in groups} if groups is not None else set(role_groups_of(user))
    if user.is_superuser:
        names.add(Role.ADMIN)
    return [role for role in Role.values if role in names]


def role_groups_of(user) -> list[str]:
    return list(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


def affiliated(user, affiliation: Affiliation) -> list:
    return list(getattr(user, affiliation.related_name).all())


def is_invited(user) -> bool:
    """Invited and not yet signed up: active, but without a password to sign in with."""
    return user.is_active and not user.has_usable_password()


def account_state(user) -> str:
    """What the page showed of the account, as a short fingerprint: active or
    not, password set or not, roles and affiliations. A form sends it back;
    a change is refused when the account's state has moved on since."""
    parts = [
        str(user.is_active),
        str(user.has_usable_password()),
        ",".join(sorted(roles_held(user))),
        user.email,
    ]
    for affiliation in affiliations():
        parts.append(",".join(str(pk) for pk in sorted(obj.pk for obj in affiliated(user, affiliation))))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# --- Writes ---------------------------------------------------------------------------


def _lock(person) -> Any:
    """Lock the administrators' rows, then ``person``'s, always in that order
    (by key), so concurrent changes queue up instead of deadlocking. What is
    checked after it (is the one acting still an administrator, who else is)
    sees the changes that went before."""
    list(User.objects.select_for_update().filter(pk__in=administrators().values("pk")).order_by("pk"))
    return User.objects.select_for_update().get(pk=person.pk)


def _refuse_stale(person, state: str | None) -> None:
    if state is None or account_state(person) != state:
        raise ValidationError(
            _("This account was changed by someone else since you opened the page. Here it is as it is now."),
            code="stale",
        )


# The roles office staff may invite without an administrator: a club's leaders.
INVITED_BY_STAFF = frozenset({Role.CLUB_LEADER})


def _refuse_unless_may_invite(by, role: str) -> None:
    """Administrators invite anyone; office staff only into ``INVITED_BY_STAFF``."""
    if by is None or administrators().filter(pk=by.pk, is_active=True).exists():
        return
    if role in INVITED_BY_STAFF and office_staff().filter(pk=by.pk, is_active=True).exists():
        return
    raise ValidationError(
        _("Only an administrator may invite someone with the role %(role)s.") % {"role": Role(role).label},
        code="not_admin",
    )


def _refuse_unless_administrator(by) -> None:
    """``by`` must still be an active administrator: another may have taken the role away meanwhile."""
    if by is None:
        return
    if not administrators().filter(pk=by.pk, is_active=True).exists():
        raise ValidationError(_("You are no longer an administrator."), code="not_admin")


def _refuse_leaving_no_administrator(person) -> None:
    """No change may leave the office without an active administrator who can sign in."""
    others = administrators().filter(has_usable_password_q(), is_active=True).exclude(pk=person.pk)
    if not others.exists():
        raise ValidationError(
            _("%(name)s is the last active administrator; make someone else an administrator first.")
            % {"name": display_name(person)},
            code="last_admin",
        )


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _set_roles(person, roles: Iterable[str]) -> None:
    wanted = set(roles)
    person.groups.remove(*person.groups.filter(name__in=Role.values).exclude(name__in=wanted))
    missing = wanted - set(role_groups_of(person))
    person.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in missing))
    # Administrators may open the Django admin; nobody else from here.
    is_staff = Role.ADMIN in wanted or person.is_superuser
    if person.is_staff != is_staff:
        person.is_staff = is_staff
        person.save(update_fields=["is_staff"])


def _set_affiliations(person, roles: Iterable[str], chosen: dict[str, Iterable]) -> None:
    """Each registered affiliation gets the records chosen for it, none without its role."""
    for affiliation in affiliations():
        records = list(chosen.get(affiliation.role, ())) if affiliation.role in roles else []
        getattr(person, affiliation.related_name).set(records)


def _queue_invitation(person, base_url: str) -> None:
    from .tasks import send_invitation_email

    transaction.on_commit(lambda pk=person.pk: send_invitation_email.delay(pk, base_url))


@transaction.atomic
def account_invite(
    *,
    by,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    affiliated_with: Iterable = (),
    base_url: str,
    username: str = "",
):
    """Make an account for a new colleague, council member or club leader,
    with ``role`` (and, for a role with an affiliation such as club leader,
    the records in ``affiliated_with``), and email them a link to set their
    password, after the commit. The e-mail address is the user name unless
    a ``username`` is given; without an e-mail address (only with a user
    name) nothing is sent, and whoever invited hands on the link
    (``oia.invitations.set_password_link``)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    _refuse_unless_may_invite(by, role)
    # The address is the user name, and a user name is matched exactly at sign-in: lower case throughout.
    email = email.strip().lower()
    username = username.strip() or email
    if not username:
        raise ValidationError({"email": _("Give the e-mail address the invitation goes to.")})
    if username != email and User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken; choose another one.")})
    if email and User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise ValidationError({"email": _("Someone with this e-mail address has an account already.")})
    affiliation = affiliation_for(role)
    records = list(affiliated_with)
    if affiliation is not None and not records:
        raise ValidationError({"affiliation": _("Choose one for the role %(role)s.") % {"role": Role(role).label}})
    person = User(username=username, email=email, first_name=first_name.strip(), last_name=last_name.strip())
    person.set_unusable_password()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # the same user name, invited at the same moment by someone else
        field = "email" if username == email else "username"
        raise ValidationError({field: _("This account exists already.")}) from error
    _set_roles(person, [role])
    if affiliation is not None:
        _set_affiliations(person, [role], {role: records})
    if email:
        _queue_invitation(person, base_url)
    log_event("account_invited", user=by, target_user_id=person.pk, role=role)
    return person


@transaction.atomic
def account_invite_again(*, person, by, state: str | None, base_url: str):
    """Send an invited person a new link (the earlier one may have expired or got lost)."""
    person = _lock(person)
    _refuse_unless_administrator(by)
    _refuse_stale(person, state)
    if not is_invited(person):
        raise ValidationError(_("Only an invited person who has not set a password yet can be invited again."))
    if not person.email:
        raise ValidationError(_("This account has no e-mail address to send the invitation to."))
    _queue_invitation(person, base_url)
    log_event("account_invited_again", user=by, target_user_id=person.pk)
    return person


@transaction.atomic
def account_set_roles(*, person, by, roles: Iterable[str], affiliated_with: dict[str, Iterable], state: str | None):
    """Give ``person`` exactly ``roles`` (and, for a role with an affiliation,
    the records chosen for it; a role taken away takes them away too)."""
    person = _lock(person)
    _refuse_unless_administrator(by)
    _refuse_stale(person, state)
    roles = {role for role in roles if role in Role.values}
    held = set(roles_held(person))
    if Role.ADMIN in held and Role.ADMIN not in roles:
        if by is not None and person.pk == by.pk:
            raise ValidationError(_("You cannot take your own administrator role away."), code="self")
        if person.is_superuser:
            raise ValidationError(
                _("%(name)s is a superuser and stays an administrator; that is changed in the Django admin.")
                % {"name": display_name(person)}
            )
        if person.is_active:
            _refuse_leaving_no_administrator(person)
    _set_roles(person, roles)
    _set_affiliations(person, roles, affiliated_with)  # the security log has each role given or taken (oia.security)
    return person


@transaction.atomic
def account_deactivate(*, person, by, state: str | None):
    """A leaver's account stops working: they cannot sign in, their sessions
    (Django refuses an inactive user's) and API tokens end. Their records and history stay. An invitation still
    open dies with it (the unusable password is drawn anew)."""
    person = _lock(person)
    _refuse_unless_administrator(by)
    _refuse_stale(person, state)
    if by is not None and person.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not person.is_active:
        raise ValidationError(_("This account is already deactivated."))
    if Role.ADMIN in roles_held(person):
        _refuse_leaving_no_administrator(person)
    person.is_active = False
    fields = ["is_active"]
    if not person.has_usable_password():
        person.set_unusable_password()
        fields.append("password")
    person.save(update_fields=fields)  # oia.tokens revokes their API tokens as it is saved
    log_event("account_deactivated", user=by, target_user_id=person.pk)
    return person


@transaction.atomic
def account_reactivate(*, person, by, state: str | None):
    """A returning colleague signs in again with their old password (one who
    never set a password is invited again from their page)."""
    person = _lock(person)
    _refuse_unless_administrator(by)
    _refuse_stale(person, state)
    if person.is_active:
        raise ValidationError(_("This account is already active."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    log_event("account_reactivated", user=by, target_user_id=person.pk)
    return person
