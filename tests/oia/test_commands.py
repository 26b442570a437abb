"""Management commands: creating users with roles and loading demo data."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from oia.roles import Role, roles_of

User = get_user_model()


def test_create_user_gives_the_role_and_a_usable_password(db):
    call_command("create_user", "maria", "--role", "oia_staff", "--password", "s3cret-Passw0rd")

    user = User.objects.get(username="maria")
    assert roles_of(user) == {Role.STAFF}
    assert user.check_password("s3cret-Passw0rd")
    assert not user.is_staff


def test_create_user_generates_and_prints_a_password_when_none_is_given(db, capsys):
    call_command("create_user", "ines", "--role", "council")

    printed = capsys.readouterr().out
    password = printed.split("Password: ")[1].strip()
    assert User.objects.get(username="ines").check_password(password)


def test_create_user_refuses_an_unknown_role(db):
    with pytest.raises(CommandError):
        call_command("create_user", "bob", "--role", "mayor")


def test_roles_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_demo_load_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (User.objects.count(), Group.objects.count(), User.groups.through.objects.count())

    call_command("load_demo")

    assert (User.objects.count(), Group.objects.count(), User.groups.through.objects.count()) == counts
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists()


def test_demo_load_is_refused_in_production(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()
