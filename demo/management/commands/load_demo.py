"""Load the demo data set (idempotent) and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import load_demo
from demo.users import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Load demo data and demo users, one per role. Refused when DEBUG is off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even though DEBUG is off.")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have known passwords; refusing to load them with DEBUG off.")
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        for username, password, role in logins:
            self.stdout.write(f"  {role:<12} user {username:<11} password {password}")
        self.stdout.write(
            f"  The administrator signs in with a second factor: add the secret {DEMO_TOTP_SECRET}\n"
            "  to an authenticator app, or run `python manage.py demo_code` for the current code."
        )
