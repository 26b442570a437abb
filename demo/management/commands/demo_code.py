"""Print the code the demo administrator's authenticator app shows now, so
`make run` signs the administrator in without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.users import demo_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (default: admin). Development only."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("The demo secret is public; refusing with DEBUG off.")
        code = demo_code(username)
        if code is None:
            raise CommandError(f"{username} has no demo authenticator app; run `python manage.py load_demo` first.")
        self.stdout.write(code)
