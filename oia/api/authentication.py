"""Token authentication for the API: knox's hashed, expiring tokens, sent as
``Authorization: Token <key>`` as before."""

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from oia.tokens import Token


class TokenAuthentication(auth.TokenAuthentication):
    """knox's authentication in one query, like DRF's was: an expired token is
    refused (401) and left for the nightly purge, instead of knox deleting the
    user's expired tokens on every request. Text that cannot be a token (not
    hexadecimal, wrong length, not UTF-8) is refused before the database is asked."""

    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("ascii")
        except UnicodeDecodeError:
            key = ""
        pattern = re.escape(knox_settings.TOKEN_PREFIX) + f"[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}"
        if not re.fullmatch(pattern, key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        digest = hash_token(key)
        found = (
            Token.objects.select_related("user")
            .filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH], digest=digest, expiry__gt=timezone.now())
            .first()
        )
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not found.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return found.user, found


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema names the token scheme as it did with DRF's tokens ("tokenAuth")."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
