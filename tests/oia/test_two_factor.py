"""Two-factor sign-in, from the outside: administrators must set up an
authenticator app and enter its code before any admin-only page or action;
office staff may turn it on, and are then asked too. Codes are computed in
the test as the app would."""

import re
from base64 import b32encode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oia.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.second_factor import app_device, code_for, sign_in


def password_sign_in(client, user):
    """Sign in through the login page, as a person does."""
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


@pytest.fixture
def alexandra(db):
    return UserFactory(username="alexandra", role=Role.ADMIN, is_staff=True)


def enrol_url(next_path):
    return reverse("two_factor_enrol") + "?next=" + next_path.replace("/", "%2F")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/budget/new/",
        "/reports/generate/",
        "/admin/",
        "/admin/oia/notification/",
        "/accounts/two-factor/",
    ],
)
def test_an_admin_without_a_device_is_sent_to_set_one_up_before_any_page(client, alexandra, path):
    password_sign_in(client, alexandra)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))


def test_an_admin_without_a_device_is_refused_admin_only_actions(client, alexandra):
    password_sign_in(client, alexandra)

    create_budget = client.post(reverse("budget:budget-create"), {"year": 2031, "total": "1000"})
    generate_by_api = client.post(reverse("api:report-list"), {"year": 2025}, content_type="application/json")
    me = client.get(reverse("api:me"))

    assert create_budget.status_code == 302
    assert create_budget["Location"].startswith(reverse("two_factor_enrol"))
    assert generate_by_api.status_code == 403
    assert "second factor" in generate_by_api.json()["detail"]
    assert me.status_code == 403


def test_the_admin_site_login_sends_an_unverified_admin_to_the_code(client, alexandra):
    app_device(alexandra)
    password_sign_in(client, alexandra)

    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_an_admin_sets_up_the_app_and_gets_ten_recovery_codes(client, alexandra, security_log):
    password_sign_in(client, alexandra)

    page = client.get(enrol_url("/reports/generate/"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "data:" not in html
    assert "style=" not in html
    device = TOTPDevice.objects.get(user=alexandra, confirmed=False)
    secret = re.search(r'id="otp-secret"[^>]*>([^<]+)<', html).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode().rstrip("=")
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html

    done = client.post(reverse("two_factor_enrol"), {"code": code_for(device), "next": "/reports/generate/"})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=alexandra).values_list("token", flat=True))
    assert client.get("/reports/generate/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert [record["user"] for record in security_log.events("otp_enrolled")] == ["alexandra"]


def test_a_wrong_code_does_not_confirm_the_app(client, alexandra, security_log):
    password_sign_in(client, alexandra)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=alexandra)

    response = client.post(reverse("two_factor_enrol"), {"code": code_for(device, steps_ahead=10)})

    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/budget/new/").status_code == 302
    assert len(security_log.events("otp_failed")) == 1


def test_an_admin_with_an_app_is_asked_for_the_code_after_the_password(client, alexandra):
    app_device(alexandra)

    response = password_sign_in(client, alexandra)
    page = client.get(response["Location"])

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("two_factor_verify"))
    form = client.get(page["Location"])
    assert form.status_code == 200
    assert 'autocomplete="one-time-code"' in form.content.decode()


def test_a_wrong_code_is_refused(client, alexandra, security_log):
    device = app_device(alexandra)
    password_sign_in(client, alexandra)

    response = client.post(reverse("two_factor_verify"), {"code": code_for(device, steps_ahead=10), "next": "/"})

    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    assert client.get("/budget/new/")["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("api:report-list"), {"year": 2025}).status_code == 403
    [failed] = security_log.events("otp_failed")
    assert failed["user"] == "alexandra"
    assert failed["kind"] == "totp"


def test_the_right_code_lets_the_admin_in(client, alexandra, security_log):
    device = app_device(alexandra)
    password_sign_in(client, alexandra)
    session_before = client.cookies["sessionid"].value

    response = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/budget/new/"})

    assert response.status_code == 302
    assert response["Location"] == "/budget/new/"
    assert client.cookies["sessionid"].value != session_before  # a new session key for the new privilege
    assert client.get("/budget/new/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("api:me")).json()["roles"] == [Role.ADMIN]
    assert [record["user"] for record in security_log.events("otp_verified")] == ["alexandra"]


def test_the_code_leads_only_to_pages_of_this_site(client, alexandra):
    device = app_device(alexandra)
    password_sign_in(client, alexandra)

    response = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_a_recovery_code_works_once(client, alexandra, security_log):
    app_device(alexandra)
    from oia.second_factor import new_recovery_codes

    codes = new_recovery_codes(alexandra)
    password_sign_in(client, alexandra)

    first = client.post(reverse("two_factor_verify"), {"code": codes[0].upper(), "next": "/admin/"})

    assert first.status_code == 302
    assert client.get("/admin/").status_code == 200
    [used] = security_log.events("otp_recovery_code_used")
    assert used["remaining"] == 9
    client.post(reverse("logout"))
    password_sign_in(client, alexandra)
    again = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/admin/"})
    assert again.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_staff_are_not_forced(client, staff_user):
    password_sign_in(client, staff_user)

    assert client.get("/").status_code == 200
    assert client.get(reverse("two_factor")).status_code == 200


def test_staff_turn_it_on_and_are_then_asked_at_sign_in(client, staff_user, security_log):
    password_sign_in(client, staff_user)
    assert "Set up two-factor sign-in" in client.get(reverse("two_factor")).content.decode()
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=staff_user)
    assert client.post(reverse("two_factor_enrol"), {"code": code_for(device)}).status_code == 200
    client.post(reverse("logout"))

    password_sign_in(client, staff_user)

    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("api:partnership-list")).status_code == 403
    assert client.post(reverse("two_factor_verify"), {"code": code_for(device, steps_ahead=1)}).status_code == 302
    assert client.get("/").status_code == 200
    assert [r["user"] for r in security_log.events("otp_enrolled")] == [staff_user.username]


def test_staff_turn_it_off_with_a_code(client, staff_user, security_log):
    device = app_device(staff_user)
    password_sign_in(client, staff_user)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})

    removed = client.post(reverse("two_factor"), {"action": "remove", "code": code_for(device, steps_ahead=1)})

    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert len(security_log.events("otp_device_removed")) == 1
    client.post(reverse("logout"))
    password_sign_in(client, staff_user)
    assert client.get("/").status_code == 200


def test_turning_it_off_needs_a_right_code(client, staff_user):
    device = app_device(staff_user)
    sign_in(client, staff_user)
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})

    response = client.post(reverse("two_factor"), {"action": "remove", "code": code_for(device, steps_ahead=10)})

    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=staff_user).exists()


def test_an_admin_who_has_set_up_an_app_cannot_set_up_another_without_its_code(client, alexandra):
    app_device(alexandra)
    password_sign_in(client, alexandra)

    response = client.get(reverse("two_factor_enrol"))

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_verify")
    assert TOTPDevice.objects.filter(user=alexandra).count() == 1


def test_council_and_club_leaders_are_not_offered_it(client, council_user):
    password_sign_in(client, council_user)

    assert client.get(reverse("two_factor")).status_code == 403
    assert client.get(reverse("two_factor_enrol")).status_code == 403


def test_htmx_requests_are_sent_to_the_code_page_by_header(client, alexandra):
    app_device(alexandra)
    password_sign_in(client, alexandra)

    response = client.get("/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("two_factor_verify"))


def test_the_admin_fixtures_are_verified(admin_client):
    """The test suite's admin clients entered their code (tests/second_factor.py)."""
    assert admin_client.get("/budget/new/").status_code == 200


def test_a_superuser_counts_as_admin(client, db):
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    password_sign_in(client, boss)

    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_enrol"))
    sign_in(client, boss)
    assert client.get("/admin/").status_code == 200


# The API's token door: a token acts with every role its user holds, so it asks for the same code.


def token_request(api_client, user, **extra):
    return api_client.post(
        "/api/auth/token/", {"username": user.username, "password": TEST_PASSWORD, **extra}, format="json"
    )


def test_an_administrator_without_an_app_gets_no_api_token(api_client, alexandra, security_log):
    response = token_request(api_client, alexandra)

    assert response.status_code == 400
    assert response.json()["otp"] == ["Set up two-factor sign-in on the web page first."]
    assert security_log.events("token_created") == []


def test_an_administrator_gets_an_api_token_only_with_the_current_code(api_client, alexandra, security_log):
    device = app_device(alexandra)

    missing = token_request(api_client, alexandra)
    right = token_request(api_client, alexandra, otp=code_for(device))
    wrong = token_request(api_client, alexandra, otp="000000" if code_for(device) != "000000" else "111111")

    assert missing.status_code == 400
    assert missing.json()["otp"] == ["Enter the code of your second factor in the field otp."]
    assert wrong.status_code == 400
    assert wrong.json()["otp"] == ["The code of your second factor is wrong or has expired."]
    assert right.status_code == 200, right.content
    assert [e["door"] for e in security_log.events("otp_failed")] == ["api_token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {right.json()['token']}")
    assert api_client.get("/api/me/").json()["roles"] == ["oia_admin"]


def test_staff_who_turned_on_two_factor_give_the_code_for_a_token_too(api_client, db):
    staff = UserFactory(username="stefan", role=Role.STAFF)
    assert token_request(api_client, staff).status_code == 200  # no app: the password is enough

    device = app_device(staff)

    assert token_request(api_client, staff).status_code == 400
    assert token_request(api_client, staff, otp=code_for(device)).status_code == 200
