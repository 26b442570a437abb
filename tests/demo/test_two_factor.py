"""`make run` signs the demo administrator in with the printed demo secret."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from demo.users import DEMO_TOTP_SECRET, load_demo_users


def test_the_demo_admin_signs_in_with_the_code_of_the_demo_secret(client, db, settings):
    settings.DEBUG = True
    load_demo_users()
    load_demo_users()  # idempotent: still one app
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = out.getvalue().strip()

    client.post(reverse("login"), {"username": "admin", "password": "demo-admin"})
    asked = client.get("/")
    answered = client.post(reverse("two_factor_verify"), {"code": code, "next": "/admin/"})

    assert asked["Location"].startswith(reverse("two_factor_verify"))
    assert answered["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert len(code) == 6
    assert DEMO_TOTP_SECRET == "OIADEMOTWOFACTORSIGNINFORADMIN22"


def test_staff_in_the_demo_sign_in_with_the_password_alone(client, db):
    load_demo_users()

    client.post(reverse("login"), {"username": "staff", "password": "demo-staff"})

    assert client.get("/").status_code == 200
