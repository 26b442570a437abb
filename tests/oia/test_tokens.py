"""API tokens from the outside: they expire, are stored only as hashes, are
seen and revoked by their owner on /accounts/tokens/, and all end when the
password changes or the user is deactivated."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from oia.roles import Role
from oia.tasks import purge_expired_tokens
from oia.tokens import Token
from tests.factories import TEST_PASSWORD, UserFactory
from tests.second_factor import app_device, code_for, sign_in

ME = "/api/me/"


def obtain(api_client, user, password=TEST_PASSWORD, data_extra=None, **extra):
    data = {"username": user.username, "password": password, **(data_extra or {})}
    return api_client.post(reverse("api:token"), data, **extra)


def works(api_client, key) -> bool:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = api_client.get(ME).status_code
    api_client.credentials()
    assert status in (200, 401)
    return status == 200


@pytest.mark.parametrize("body_format", ["json", "multipart"])
def test_a_token_from_credentials_works_and_expires_after_the_configured_hours(
    api_client, staff_user, settings, body_format
):
    before = timezone.now()

    response = obtain(api_client, staff_user, format=body_format)

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}
    expiry = parse_datetime(response.json()["expiry"])
    hours = settings.OIA_API_TOKEN_HOURS
    assert before + timedelta(hours=hours) <= expiry <= timezone.now() + timedelta(hours=hours)
    assert works(api_client, response.json()["token"])


def test_the_token_is_stored_only_as_a_hash(api_client, staff_user):
    key = obtain(api_client, staff_user).json()["token"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        rows = cursor.fetchall()
        cursor.execute("SELECT to_regclass('authtoken_token')")
        old_table = cursor.fetchone()[0]

    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert key[15:] not in stored  # only knox's 15-character lookup prefix is kept in clear
    assert old_table is None  # DRF's plain-text token table is gone


def test_an_expired_token_is_refused_and_purged_nightly(api_client, staff_user, security_log):
    key = obtain(api_client, staff_user).json()["token"]
    Token.objects.filter(user=staff_user).update(expiry=timezone.now() - timedelta(seconds=1))

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert Token.objects.filter(user=staff_user).exists()  # refused at once, deleted by the nightly job
    assert purge_expired_tokens() == 1
    assert not Token.objects.exists()
    [event] = security_log.events("token_revoked")
    assert (event["reason"], event["count"]) == ("expired", 1)


def test_the_purge_keeps_tokens_that_still_work(api_client, staff_user):
    key = obtain(api_client, staff_user).json()["token"]

    assert purge_expired_tokens() == 0
    assert works(api_client, key)


def test_making_a_token_is_logged_without_the_token(api_client, staff_user, security_log):
    key = obtain(api_client, staff_user, REMOTE_ADDR="203.0.113.7").json()["token"]

    [event] = security_log.events("token_created")
    assert (event["user"], event["address"], event["via"]) == (staff_user.username, "203.0.113.7", "api")
    assert key not in str(security_log)


def test_a_stale_token_in_the_header_does_not_prevent_getting_a_new_one(api_client, staff_user):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    assert obtain(api_client, staff_user).status_code == 200


def test_a_deactivated_user_gets_no_token(api_client, staff_user):
    staff_user.is_active = False
    staff_user.save()

    response = obtain(api_client, staff_user)

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_a_user_holds_at_most_the_configured_number_of_tokens(api_client, staff_user, settings):
    settings.OIA_API_TOKENS_PER_USER = 2
    assert obtain(api_client, staff_user).status_code == 200
    assert obtain(api_client, staff_user).status_code == 200

    refused = obtain(api_client, staff_user)

    assert refused.status_code == 403
    assert "Revoke one" in refused.json()["detail"]
    assert Token.objects.filter(user=staff_user).count() == 2


@pytest.mark.parametrize(
    "header",
    [
        b"Token abc",
        b"Token " + b"g" * 64,
        b"Token " + b"0" * 63,
        b"Token \xff\xfe" + b"0" * 62,
        b"Token " + b"0" * 32 + b"\x00" + b"0" * 31,
        b"Token a b",
        b"Token",
    ],
)
def test_text_that_is_no_token_answers_401_never_500(api_client, staff_user, header):
    response = api_client.get(ME, HTTP_AUTHORIZATION=header.decode("latin-1"))

    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"username": "x" * 151, "password": "p"},
        {"username": "a\x00b", "password": "p"},
        {"username": 12, "password": ["p"]},
        {"username": None, "password": None},
        ["not", "an", "object"],
    ],
)
def test_odd_credentials_answer_400_never_500(api_client, db, body):
    response = api_client.post(reverse("api:token"), body, format="json")

    assert response.status_code == 400


# The token page


@pytest.fixture
def signed_in(client, db):
    """A club leader signed in to the pages: any role may hold tokens."""
    user = UserFactory(username="leni", role=Role.CLUB_LEADER)
    client.force_login(user)
    return client, user


def test_the_page_lists_the_users_tokens_by_their_beginning_only(signed_in, api_client):
    client, user = signed_in
    key = obtain(api_client, user).json()["token"]
    others = obtain(api_client, UserFactory(username="other")).json()["token"]

    page = client.get(reverse("tokens")).content.decode()

    assert key[:8] in page
    assert key[15:] not in page  # only knox's lookup prefix, which the revoke button names
    assert others[:8] not in page
    assert reverse("token-revoke", args=[key[:15]]) in page


def test_every_role_reaches_the_page_from_the_user_menu(client, user_for_role):
    for role in (Role.CLUB_LEADER, Role.COUNCIL, Role.STAFF, Role.ADMIN, None):
        sign_in(client, user_for_role(role))
        dashboard = client.get(reverse("dashboard"))
        assert f'href="{reverse("tokens")}"' in dashboard.content.decode(), role
        assert client.get(reverse("tokens")).status_code == 200


def test_a_token_made_on_the_page_is_shown_once_and_works(signed_in, api_client, security_log):
    client, user = signed_in

    response = client.post(reverse("tokens"), {"password": TEST_PASSWORD})

    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert works(api_client, key)
    assert key not in client.get(reverse("tokens")).content.decode()
    [event] = security_log.events("token_created")
    assert (event["user"], event["via"]) == ("leni", "page")


def test_making_a_token_on_the_page_asks_for_the_password(signed_in):
    client, user = signed_in

    response = client.post(reverse("tokens"), {"password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["The password is not correct."]}
    assert not Token.objects.exists()


def test_revoking_a_token_on_the_page_ends_it_at_once(signed_in, api_client, security_log):
    client, user = signed_in
    revoked = obtain(api_client, user).json()["token"]
    kept = obtain(api_client, user).json()["token"]

    response = client.post(reverse("token-revoke", args=[revoked[:15]]))

    assert response.status_code == 302
    assert not works(api_client, revoked)
    assert works(api_client, kept)
    [event] = security_log.events("token_revoked")
    assert (event["user"], event["reason"], event["count"]) == ("leni", "user", 1)


def test_revoking_all_tokens_on_the_page(signed_in, api_client):
    client, user = signed_in
    keys = [obtain(api_client, user).json()["token"] for _ in range(3)]
    others = obtain(api_client, UserFactory(username="other")).json()["token"]

    assert client.post(reverse("token-revoke-all")).status_code == 302

    assert not any(works(api_client, key) for key in keys)
    assert works(api_client, others)


def test_nobody_revokes_another_users_token(signed_in, api_client):
    client, _user = signed_in
    other = UserFactory(username="other", role=Role.ADMIN)
    others = obtain(api_client, other, data_extra={"otp": code_for(app_device(other))}).json()["token"]

    response = client.post(reverse("token-revoke", args=[others[:15]]))

    assert response.status_code == 404
    assert works(api_client, others)


def test_anonymous_visitors_are_sent_to_sign_in(client, api_client, staff_user):
    key = obtain(api_client, staff_user).json()["token"]

    for response in (
        client.get(reverse("tokens")),
        client.post(reverse("tokens"), {"password": TEST_PASSWORD}),
        client.post(reverse("token-revoke", args=[key[:15]])),
        client.post(reverse("token-revoke-all")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert works(api_client, key)
    assert Token.objects.count() == 1


def test_the_page_cannot_be_used_with_a_token(api_client, staff_user):
    """The token page is for the browser session; an API token does not sign in to pages."""
    key = obtain(api_client, staff_user).json()["token"]

    response = api_client.post(reverse("token-revoke-all"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 302
    assert works(api_client, key)


# Revocation by password change and deactivation


def test_changing_the_password_on_the_password_page_revokes_every_token(signed_in, api_client, security_log):
    client, user = signed_in
    keys = [obtain(api_client, user).json()["token"] for _ in range(2)]

    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "a-new-Secret-42", "new_password2": "a-new-Secret-42"},
    )

    assert response.status_code == 302
    assert not any(works(api_client, key) for key in keys)
    [event] = security_log.events("token_revoked")
    assert (event["reason"], event["count"]) == ("password_changed", 2)


def test_a_password_set_anywhere_revokes_every_token(api_client, staff_user):
    key = obtain(api_client, staff_user).json()["token"]

    staff_user.set_password("set-by-a-script-77")
    staff_user.save()

    assert not works(api_client, key)


def test_deactivating_the_user_revokes_every_token(api_client, staff_user, security_log):
    key = obtain(api_client, staff_user).json()["token"]

    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    staff_user.is_active = True
    staff_user.save()

    assert not works(api_client, key)
    [event] = security_log.events("token_revoked")
    assert event["reason"] == "deactivated"


def test_other_changes_to_the_user_keep_the_tokens(client, api_client, staff_user, settings):
    key = obtain(api_client, staff_user).json()["token"]
    # A sign-in writes last_login, and re-hashes a password kept with an older hasher.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    signed_in = client.post(reverse("login"), {"username": staff_user.username, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.password.startswith("scrypt$")  # re-hashed at sign-in, same password
    staff_user.first_name = "Renamed"
    staff_user.save()

    assert works(api_client, key)


def test_an_administrator_sees_who_holds_tokens_and_revokes_them_in_the_admin(
    client, api_client, staff_user, security_log
):
    administrator = UserFactory(username="ada", role=Role.ADMIN, is_staff=True, is_superuser=True)
    sign_in(client, administrator)
    key = obtain(api_client, staff_user).json()["token"]
    token = Token.objects.get()
    changelist = reverse("admin:knox_authtoken_changelist")

    listing = client.get(changelist).content.decode()

    assert key[:8] in listing
    assert key[15:] not in listing
    assert client.get(reverse("admin:knox_authtoken_add")).status_code == 403
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"})
    assert response.status_code == 302
    assert not works(api_client, key)
    [event] = security_log.events("token_revoked")
    assert (event["user"], event["reason"], event["by"]) == (staff_user.username, "admin", "ada")


def test_a_password_set_in_the_admin_revokes_the_users_tokens(client, api_client, staff_user, security_log):
    sign_in(client, UserFactory(username="ada", role=Role.ADMIN, is_staff=True, is_superuser=True))
    key = obtain(api_client, staff_user).json()["token"]

    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff_user.pk]),
        {"password1": "set-by-the-admin-91", "password2": "set-by-the-admin-91", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert not works(api_client, key)
    [event] = security_log.events("token_revoked")
    assert (event["user"], event["reason"], event["by"]) == (staff_user.username, "password_changed", "ada")
