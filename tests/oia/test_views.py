"""The base UI: role dashboards, role-aware navigation, accessible markup."""

import pytest
from django.urls import reverse

from oia.roles import Role
from tests.second_factor import sign_in

OFFICE_LINKS = [
    "partners:partnership-list",
    "delegations:delegation-list",
    "networks:network-list",
    "budget:budget-list",
    "reports:index",
]


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.STAFF, "Dashboard"),
        (Role.ADMIN, "Dashboard"),
        (Role.COUNCIL, "Dashboard"),
        (Role.CLUB_LEADER, "Your club"),
        (None, "Dashboard"),
    ],
)
def test_each_role_lands_on_its_own_dashboard(client, user_for_role, role, heading):
    sign_in(client, user_for_role(role))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_office_staff_see_every_section_in_the_navigation(client, staff_user):
    sign_in(client, staff_user)

    html = client.get(reverse("dashboard")).content.decode()

    for name in OFFICE_LINKS:
        assert f'href="{reverse(name)}"' in html


def test_council_members_see_reports_but_no_budget(client, council_user):
    sign_in(client, council_user)

    html = client.get(reverse("dashboard")).content.decode()

    assert f'href="{reverse("reports:index")}"' in html
    assert f'href="{reverse("budget:budget-list")}"' not in html
    assert f'href="{reverse("delegations:delegation-list")}"' not in html


def test_club_leaders_see_no_office_section(client, club_leader_user):
    sign_in(client, club_leader_user)

    html = client.get(reverse("dashboard")).content.decode()

    for name in OFFICE_LINKS:
        assert f'href="{reverse(name)}"' not in html


def test_current_section_is_marked_for_screen_readers(client, staff_user):
    sign_in(client, staff_user)

    html = client.get(reverse("budget:budget-list")).content.decode()

    assert f'<a href="{reverse("budget:budget-list")}" aria-current="page">' in html


def test_pages_have_landmarks_skip_link_and_home_city(client, staff_user, settings):
    settings.OIA_HOME_CITY = "Stuttgart"
    sign_in(client, staff_user)

    html = client.get(reverse("dashboard")).content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert "International Affairs Stuttgart" in html
    assert '<label for="language-select">' in html


def test_login_page_labels_its_fields(client, db):
    html = client.get(reverse("login")).content.decode()

    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html


def test_wrong_login_says_what_is_wrong(client, staff_user):
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_unknown_page_renders_the_friendly_404(client, staff_user):
    sign_in(client, staff_user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_refused_page_explains_whom_to_ask(client, club_leader_user):
    sign_in(client, club_leader_user)

    response = client.get(reverse("budget:budget-list"))

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
