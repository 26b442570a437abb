"""System checks of the project (``manage.py check``; ``migrate`` runs them too,
and docker-compose starts web, worker and beat only after ``migrate`` succeeded)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5
# Keys written in this repository (.env.example, README, Dockerfile, the local
# and test settings): public, so never a production key.
EXAMPLE_SECRET_KEYS = frozenset(
    {
        "change-me",
        "<50+ random characters>",
        "insecure-local-development-key",
        "insecure-test-key",
        "build-only",
    }
)


@register(Tags.security)
def check_secret_key(app_configs, **kwargs):
    """With production settings (``OIA_REQUIRE_STRONG_SECRET_KEY``), refuse a
    SECRET_KEY an attacker could guess: it signs sessions, password-reset links
    and CSRF tokens, so a known or short key hands out every account."""
    if not getattr(settings, "OIA_REQUIRE_STRONG_SECRET_KEY", False):
        return []
    key = str(settings.SECRET_KEY)
    hint = (
        "Set SECRET_KEY to 50 or more random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
    if key.strip() in EXAMPLE_SECRET_KEYS or key.startswith("django-insecure-"):
        return [Error("SECRET_KEY is an example value from the documentation.", hint=hint, id="oia.E001")]
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_CHARACTERS:
        return [
            Error(
                f"SECRET_KEY is too weak: it has {len(key)} characters ({len(set(key))} different); "
                f"at least {MIN_SECRET_KEY_LENGTH} ({MIN_SECRET_KEY_CHARACTERS} different) are required.",
                hint=hint,
                id="oia.E001",
            )
        ]
    return []
