"""Demo users: one per role (two club leaders), rows in ``data/users.json``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from oia.roles import Role

from .files import read_json


@transaction.atomic
def load_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users if missing; return (username, password, role) rows."""
    User = get_user_model()
    logins = []
    for row in read_json("users.json"):
        role = Role(row["role"])
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={"first_name": row["first_name"], "last_name": row["last_name"], "is_staff": role == Role.ADMIN},
        )
        if created:
            user.set_password(row["password"])
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        logins.append((row["username"], row["password"], role))
    return logins
