"""The portal and the office's review pages through HTTP: forms keep what was
typed and say what is wrong, lists cost a fixed number of queries."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from budget.models import GrantApplication
from oia import people
from oia.roles import Role
from oia.tasks import send_invitation_email
from partners.models import Exchange
from tests.factories import (
    ClubFactory,
    ExchangeFactory,
    GrantApplicationFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(leader):
    club = ClubFactory(partnerships=[PartnershipFactory()])
    club.leaders.add(leader)
    return club


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def exchange_form(club, **overrides):
    return {
        "partnership": club.partnerships.get().pk,
        "title": "Youth football tournament",
        "kind": "sports",
        "direction": "incoming",
        "starts_on": "2026-07-03",
        "ends_on": "2026-07-05",
        "participants_local": "30",
        "participants_partner": "28",
        "young_participants": "50",
        "partner_organisations": "",
        "description": "",
        **overrides,
    }


def test_a_leader_logs_and_submits_an_exchange(leader_client, club):
    response = leader_client.post(
        reverse("portal:exchange-create", kwargs={"club": club.pk}), {**exchange_form(club), "submit": "1"}
    )

    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:exchange-detail", kwargs={"pk": exchange.pk})
    assert (exchange.club, exchange.review_status, exchange.created_by.username) == (club, "submitted", "klaus")


def test_a_wrong_exchange_comes_back_with_the_error_and_what_was_typed(leader_client, club):
    response = leader_client.post(
        reverse("portal:exchange-create", kwargs={"club": club.pk}),
        exchange_form(club, young_participants="99", ends_on="2026-07-01"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There cannot be more students or young people (99) than participants (58)." in page
    assert "The end date cannot be before the start date." in page
    assert 'value="Youth football tournament"' in page
    assert not Exchange.objects.exists()


def test_a_returned_exchange_shows_the_office_comment_on_its_edit_form(leader_client, club):
    exchange = ExchangeFactory(club=club, review_status="returned", review_comment="Add the partner club's name.")

    page = leader_client.get(reverse("portal:exchange-edit", kwargs={"pk": exchange.pk})).content.decode()

    assert "Add the partner club&#x27;s name." in page


def test_staff_return_an_exchange_with_a_comment(staff_client, club):
    exchange = ExchangeFactory(club=club)

    response = staff_client.post(
        reverse("partners:exchange-review", kwargs={"pk": exchange.pk}),
        {"decision": "returned", "comment": "Please give the dates of the return visit."},
    )

    exchange.refresh_from_db()
    assert response.status_code == 302
    assert exchange.review_status == "returned"
    assert exchange.review_comment == "Please give the dates of the return visit."


def test_returning_without_a_comment_is_refused_on_the_form(staff_client, club):
    exchange = ExchangeFactory(club=club)

    response = staff_client.post(
        reverse("partners:exchange-review", kwargs={"pk": exchange.pk}), {"decision": "returned", "comment": ""}
    )

    assert "Say what the club should change." in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.review_status == "submitted"


def test_a_leader_applies_and_sees_the_amount_the_rules_allow(leader_client, club):
    response = leader_client.post(
        reverse("portal:grant-create", kwargs={"club": club.pk}),
        {
            "partnership": club.partnerships.get().pk,
            "destination": "Kraków",
            "starts_on": "2027-05-10",
            "ends_on": "2027-05-15",
            "travellers": "20",
            "students": "16",
            "total_costs": "8000",
            "own_contribution": "5000",
            "requested_amount": "2000",
            "partner_contact": "",
            "programme_summary": "Concerts in two schools.",
            "submit": "1",
        },
        follow=True,
    )

    application = GrantApplication.objects.get()
    assert application.status == "submitted"
    page = response.content.decode()
    assert re.search(r'id="allowed-amount">€1,600.00<', page), "80 % students: 20 × €80"


def test_staff_invite_a_leader_and_the_link_goes_by_email(staff_client, club, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = staff_client.post(
            reverse("partners:leader-invite", kwargs={"pk": club.pk}),
            {"username": "marta", "first_name": "Marta", "last_name": "Nowak", "email": "marta@example.org"},
        )
    # The People pages' invitation e-mail is queued after the commit; the task runs here as the worker would.
    assert len(queued) == 1
    send_invitation_email(club.leaders.get(username="marta").pk, "http://testserver")

    assert response.status_code == 302
    marta = club.leaders.get(username="marta")
    assert not marta.has_usable_password()
    assert marta.groups.filter(name=Role.CLUB_LEADER).exists()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    set_page = staff_client.get(link, follow=True)
    assert set_page.status_code == 200
    assert "new_password1" in set_page.content.decode()


def test_without_email_the_invitation_link_is_shown_to_staff(staff_client, club, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    response = staff_client.post(
        reverse("partners:leader-invite", kwargs={"pk": club.pk}),
        {"username": "marta", "first_name": "Marta", "last_name": "Nowak", "email": "marta@example.org"},
    )

    assert response.status_code == 200
    assert "/accounts/reset/" in response.context["link"]
    assert 'id="set-password-link"' in response.content.decode()


def test_a_leader_without_an_address_gets_the_link_from_staff_and_no_mail(
    staff_client, club, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = staff_client.post(
            reverse("partners:leader-invite", kwargs={"pk": club.pk}),
            {"username": "marta", "first_name": "Marta", "last_name": "Nowak", "email": ""},
        )

    assert response.status_code == 200
    assert "/accounts/reset/" in response.context["link"]
    assert queued == []
    assert people.is_invited(club.leaders.get(username="marta"))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "KLAUS"}, "username", "This user name is taken; choose another one."),
        ({"email": "klaus@example.org"}, "email", "Someone with this e-mail address has an account already."),
    ],
)
def test_a_leader_is_invited_by_the_people_rules(staff_client, club, fields, field, message):
    """One rule for every invitation (oia.people): a taken user name or e-mail address is refused on the form."""
    data = {"username": "marta", "first_name": "Marta", "last_name": "Nowak", "email": "marta@example.org", **fields}

    response = staff_client.post(reverse("partners:leader-invite", kwargs={"pk": club.pk}), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not club.leaders.filter(first_name="Marta").exists()


def test_the_partnership_page_shows_its_exchanges(staff_client):
    partnership = PartnershipFactory()
    club = ClubFactory(partnerships=[partnership])
    ExchangeFactory(club=club, title="Christmas market in both cities", reciprocity=True, direction="both")
    ExchangeFactory(club=club, title="A draft the club is still writing", review_status="draft")

    page = staff_client.get(reverse("partners:partnership-detail", kwargs={"pk": partnership.pk})).content.decode()

    assert "Christmas market in both cities" in page
    assert "A draft the club is still writing" not in page


# --- query counts: fixed whatever the number of rows ---------------------------------


def _exchanges(club, count):
    for day in range(count):
        ExchangeFactory(club=club, starts_on=datetime.date(2026, 1, 1 + day), ends_on=datetime.date(2026, 1, 1 + day))


def _applications(club, count):
    GrantApplicationFactory.create_batch(count, club=club)


@pytest.mark.parametrize("rows", [1, 25])
def test_the_club_page_costs_the_same_for_one_or_many_rows(leader_client, club, rows, django_assert_num_queries):
    _exchanges(club, rows)
    _applications(club, rows)
    with django_assert_num_queries(9):  # +1: the umbrella associations the leader leads
        response = leader_client.get(reverse("portal:home"))
    assert len(response.context["exchanges"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_the_review_list_costs_the_same(staff_client, club, rows, django_assert_num_queries):
    _exchanges(club, rows)
    with django_assert_num_queries(7):  # +1: the umbrella associations; the club and partnership pickers read none
        response = staff_client.get(reverse("partners:exchange-list"))
    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_the_grant_list_costs_the_same(staff_client, club, rows, django_assert_num_queries):
    _applications(club, rows)
    with django_assert_num_queries(6):  # the club picker reads no clubs (oia.widgets.SearchSelect)
        response = staff_client.get(reverse("budget:grant-list"))
    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_the_exchange_api_list_costs_the_same(api_client, leader, club, rows, django_assert_num_queries):
    _exchanges(club, rows)
    api_client.force_authenticate(leader)
    with django_assert_num_queries(3):
        response = api_client.get("/api/exchanges/")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_the_grant_api_list_costs_the_same(api_client, leader, club, rows, django_assert_num_queries):
    _applications(club, rows)
    api_client.force_authenticate(leader)
    with django_assert_num_queries(6):  # the same at 1 and 25 rows
        response = api_client.get("/api/grant-applications/")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_the_partnership_page_costs_the_same(staff_client, rows, django_assert_num_queries):
    partnership = PartnershipFactory()
    _exchanges(ClubFactory(partnerships=[partnership]), rows)
    url = reverse("partners:partnership-detail", kwargs={"pk": partnership.pk})
    staff_client.get(url)
    with django_assert_num_queries(17):  # +1: the History section; +1: the trips and their money
        response = staff_client.get(url)
    assert len(response.context["exchanges"]) == min(rows, 20), "the newest 20; the list links to the rest"


def test_a_number_of_participants_beyond_the_database_integer_is_a_form_error(leader_client, club):
    response = leader_client.post(
        reverse("portal:exchange-create", kwargs={"club": club.pk}),
        exchange_form(club, participants_local=str(10**20)),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["participants_local"]
    assert not Exchange.objects.exists()
