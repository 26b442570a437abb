"""Create (or update) a user and give them one of the four roles."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from oia.roles import Role


class Command(BaseCommand):
    help = "Create a user with a role (oia_admin, oia_staff, council, club_leader)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="Generated and printed when omitted.")

    @transaction.atomic
    def handle(self, *args, username, role, email, first_name, last_name, password, **options):
        User = get_user_model()
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as exc:
            raise CommandError(f"Role group {role!r} is missing: run migrate first.") from exc
        user, created = User.objects.get_or_create(username=username)
        user.email = email or user.email
        user.first_name = first_name or user.first_name
        user.last_name = last_name or user.last_name
        generated = password is None and created
        if password or generated:
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = role == Role.ADMIN  # admins may open the Django admin
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} with role {role}."))
        if generated:
            self.stdout.write(f"Password: {password}")
