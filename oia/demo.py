"""Demo data for `make run`: one user per role, then each app's demo records.

Loading is idempotent: running it twice changes nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .roles import Role

DEMO_USERS = [
    # username, role, first name, last name, password
    ("admin", Role.ADMIN, "Alexandra", "Admin", "demo-admin"),
    ("staff", Role.STAFF, "Stefan", "Staff", "demo-staff"),
    ("council", Role.COUNCIL, "Clara", "Council", "demo-council"),
    ("clubleader", Role.CLUB_LEADER, "Klaus", "Clubleader", "demo-clubleader"),
    ("clubleader2", Role.CLUB_LEADER, "Ingrid", "Vorstand", "demo-clubleader2"),
]


@transaction.atomic
def load_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users if missing; return (username, password, role) rows."""
    User = get_user_model()
    logins = []
    for username, role, first_name, last_name, password in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "is_staff": role == Role.ADMIN},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        logins.append((username, password, role))
    return logins


def load_demo() -> list[tuple[str, str, str]]:
    """Users first: the partner demo names club leaders and a responsible officer;
    the delegations demo travels to the partner cities."""
    from budget.demo import load_demo_budget
    from budget.grants_demo import load_demo_grants
    from delegations.demo import load_demo_delegations
    from networks.demo import load_demo_networks
    from partners.demo import load_demo_exchanges, load_demo_partners

    logins = load_demo_users()
    load_demo_partners()
    load_demo_exchanges()
    load_demo_delegations()
    load_demo_networks()
    load_demo_budget()  # books the delegations' costs and the networks' fees
    load_demo_grants()  # last: decides the clubs' applications on the budget's grants line
    return logins
