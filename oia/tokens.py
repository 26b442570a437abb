"""API tokens: django-rest-knox's, so the database holds only a SHA-512 hash
of each token, and every token expires (``OIA_API_TOKEN_HOURS``).

The one place that makes, revokes and purges them, and logs each of those on
the security log. A user's tokens all end when their password changes or the
user is deactivated, however that happens (their own password page, the admin
site, ``set_password`` in a script): see ``revoke_on_password_or_deactivation``.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from knox.models import AuthToken

from .security import current_request, log_event

Token = AuthToken
# What the token page and the log show of a token: its first characters (knox
# keeps the first 15 in clear, ``token_key``, to find the hash); never enough to use it.
SHOWN_LENGTH = 8


class TokenLimitReached(Exception):
    """The user already holds ``OIA_API_TOKENS_PER_USER`` unexpired tokens."""


def active_tokens(user):
    """The user's tokens that still work, newest first."""
    return Token.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def issue_token(user, *, request=None, via: str) -> tuple[AuthToken, str]:
    """Make a token for ``user`` and return it with its text, which is shown
    once and never stored. ``via`` ("api" or "page") goes to the security log."""
    if active_tokens(user).count() >= settings.OIA_API_TOKENS_PER_USER:
        raise TokenLimitReached
    token, key = Token.objects.create(user=user)
    shown = token.token_key[:SHOWN_LENGTH]
    log_event("token_created", request, user=user, via=via, token=shown, expiry=token.expiry.isoformat())
    return token, key


def revoke_tokens(user, *, reason: str, request=None, token_key: str | None = None) -> int:
    """Delete the user's tokens (only the one with ``token_key`` when given);
    how many were deleted. ``reason`` is logged: "user" (on their token page),
    "admin" (deleted in the admin site, ``by`` whom), "password_changed",
    "deactivated"."""
    tokens = Token.objects.filter(user=user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    deleted, _ = tokens.delete()
    if deleted:
        shown = token_key[:SHOWN_LENGTH] if token_key else None
        actor = getattr(request, "user", None)
        by = actor.get_username() if actor is not None and actor.is_authenticated and actor != user else None
        log_event("token_revoked", request, user=user, reason=reason, count=deleted, token=shown, by=by)
    return deleted


def purge_expired_tokens() -> int:
    """Delete expired tokens (they are refused already); how many."""
    deleted, _ = Token.objects.filter(expiry__lte=timezone.now()).delete()
    if deleted:
        log_event("token_revoked", None, reason="expired", count=deleted)
    return deleted


User = get_user_model()
_WATCHED_FIELDS = {"password", "is_active"}


@receiver(pre_save, sender=User)
def note_password_or_deactivation(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before a user is saved, note whether the password changes or the user
    is deactivated. A save naming other fields only (the last_login of every
    sign-in) costs no query; a password hash merely upgraded at sign-in (same
    password, ``set_password`` not called) is no change."""
    instance._oia_revoke_tokens = None
    if raw or instance.pk is None or (update_fields is not None and not _WATCHED_FIELDS & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._oia_revoke_tokens = "deactivated"
    elif before["password"] != instance.password and (
        getattr(instance, "_password", None) is not None or not instance.has_usable_password()
    ):
        instance._oia_revoke_tokens = "password_changed"


@receiver(post_save, sender=User)
def revoke_on_password_or_deactivation(sender, instance, **kwargs):
    reason = getattr(instance, "_oia_revoke_tokens", None)
    if reason:
        instance._oia_revoke_tokens = None
        revoke_tokens(instance, reason=reason, request=current_request.get())
