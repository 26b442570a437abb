"""The invitation to set a password, written once for every way someone is
invited (the People pages and API through ``oia.people``, partners' "Invite a
leader" page): the one-time link, the address it starts with, and whether an
e-mail really leaves the house.

The link is Django's password-reset token: it works once and for
``PASSWORD_RESET_TIMEOUT``, and dies once a password is set or the account is
deactivated (``oia.people.account_deactivate`` draws a new unusable password)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

# Backends that print or drop a message instead of delivering it.
UNDELIVERED_BACKENDS = ("console.EmailBackend", "dummy.EmailBackend")


def base_url(request) -> str:
    """The address the link starts with: the one the person inviting uses."""
    return request.build_absolute_uri("/")


def set_password_link(person, base_url: str) -> str:
    """A one-time link for ``person`` to set a password. Made just before it is
    sent or shown, so the token never travels through the task queue."""
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return base_url.rstrip("/") + reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})


def email_delivered() -> bool:
    """Whether e-mail reaches people; where it does not (the console backend of
    a fresh installation), the page that invited shows the link instead."""
    return not settings.EMAIL_BACKEND.endswith(UNDELIVERED_BACKENDS)
