"""From a club leader's token to the payment, through the API only, against a
real Celery worker: the leader signs in for a token (no second factor for
club leaders), logs an exchange and sends it, applies for a trip grant and
sends it; the office reviews the exchange, an administrator approves the
grant on the grants line, and another member of the office books the
payment (four eyes). Every notification on the way is emailed by the worker."""

import datetime
import email
import time
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from budget.models import BudgetLine, Commitment, Expense, GrantApplication
from oia.models import EmailStatus, Notification
from oia.roles import Role
from partners.models import Exchange
from tests.factories import (
    TEST_PASSWORD,
    BudgetFactory,
    BudgetLineFactory,
    ClubFactory,
    PartnershipFactory,
    UserFactory,
)
from tests.second_factor import recovery_code


def wait_for(condition, timeout=60, interval=0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def client_with_token(username: str, **extra) -> tuple[APIClient, dict]:
    """A client that signed in for a token the real way and sends only that token."""
    client = APIClient()
    response = client.post(reverse("api:token"), {"username": username, "password": TEST_PASSWORD, **extra})
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client, response.json()


def sent_mail(directory) -> list[dict]:
    """Every message the worker's file-based email backend wrote: recipient, subject, body."""
    messages = []
    for path in sorted(directory.iterdir()):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw)
                messages.append(
                    {
                        "to": message["To"],
                        "subject": str(make_header(decode_header(message["Subject"]))),
                        "body": message.get_payload(decode=True).decode(),
                    }
                )
    return messages


@pytest.fixture
def office(transactional_db):
    """Stefan looks after the partnership with Kraków; Carla is an administrator."""
    stefan = UserFactory(username="stefan", first_name="Stefan", last_name="Staff", role=Role.STAFF)
    carla = UserFactory(username="carla", first_name="Carla", last_name="Chief", role=Role.ADMIN)
    today = timezone.localdate()
    line = BudgetLineFactory(
        budget=BudgetFactory(year=today.year), name="Club and community grants", category="grants", planned=5000
    )
    return {"stefan": stefan, "carla": carla, "line": line}


@pytest.fixture
def club(office):
    klaus = UserFactory(username="klaus", email="klaus@example.org", role=Role.CLUB_LEADER)
    partnership = PartnershipFactory(responsible_officer=office["stefan"])
    club = ClubFactory(name="Freundeskreis Frankfurt–Kraków e.V.", partnerships=[partnership])
    club.leaders.add(klaus)
    return {"club": club, "partnership": partnership, "leader": klaus}


def test_a_club_leaders_token_takes_an_exchange_and_a_trip_grant_to_payment(
    celery_workers, settings, tmp_path, office, club
):
    settings.OIA_NOTIFY_BY_EMAIL = True
    celery_workers.start(
        "club-to-payment",
        OIA_NOTIFY_BY_EMAIL="true",
        OIA_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        OIA_TEST_EMAIL_FILE_PATH=tmp_path,
    )
    today = timezone.localdate()
    line = office["line"]

    # The club leader: a token from username and password alone (no second factor), then only the token.
    leader, token = client_with_token("klaus")
    assert set(token) == {"token", "expiry"}
    assert leader.get(reverse("api:me")).json()["roles"] == [Role.CLUB_LEADER]

    logged = leader.post(
        reverse("api:exchange-list"),
        {
            "club": club["club"].pk,
            "partnership": club["partnership"].pk,
            "kind": "culture",
            "direction": "outgoing",
            "starts_on": (today - datetime.timedelta(days=10)).isoformat(),
            "ends_on": (today - datetime.timedelta(days=6)).isoformat(),
            "title": "Choir concerts in Kraków",
            "participants_local": 24,
            "participants_partner": 30,
            "young_participants": 20,
            "reciprocity": True,
        },
        format="json",
    )
    assert logged.status_code == 201, logged.json()
    exchange_id = logged.json()["id"]
    assert logged.json()["review_status"] == "draft"
    sent = leader.post(reverse("api:exchange-submit", args=[exchange_id]))
    assert sent.status_code == 200
    assert sent.json()["review_status"] == "submitted"

    applied = leader.post(
        reverse("api:grant-application-list"),
        {
            "club": club["club"].pk,
            "partnership": club["partnership"].pk,
            "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=36)).isoformat(),
            "destination": "Kraków",
            "programme_summary": "The youth choir sings in Kraków's town hall and at the partner school.",
            "travellers": 12,
            "students": 9,
            "total_costs": "5000.00",
            "own_contribution": "2000.00",
            "requested_amount": "900.00",
        },
        format="json",
    )
    assert applied.status_code == 201, applied.json()
    grant_id = applied.json()["id"]
    assert (applied.json()["status"], applied.json()["allowed_amount"]) == ("draft", "960.00")
    submitted = leader.post(reverse("api:grant-application-submit", args=[grant_id]))
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    # A leader may not decide or pay, even for the own club.
    assert leader.post(reverse("api:grant-application-pay", args=[grant_id])).status_code == 403

    # The office, each with a token of their own: staff review the exchange ...
    stefan, _ = client_with_token("stefan")
    reviewed = stefan.post(
        reverse("api:exchange-review", args=[exchange_id]),
        {"decision": "accepted", "version": sent.json()["version"]},
        format="json",
    )
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["review_status"] == "accepted"

    # ... an administrator (with the second factor) approves the grant on the grants line ...
    carla, _ = client_with_token("carla", otp=recovery_code(office["carla"]))
    approved = carla.post(
        reverse("api:grant-application-approve", args=[grant_id]),
        {"approved_amount": "900.00", "budget_line": line.pk, "conditions": "Send the report after the trip."},
        format="json",
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    committed = carla.get(reverse("api:budget-line-detail", args=[line.pk])).json()
    assert (committed["committed"], committed["spent"], committed["available"]) == ("900.00", "0.00", "4100.00")
    # Four eyes: the approver may not book the payment.
    refused = carla.post(reverse("api:grant-application-pay", args=[grant_id]), {}, format="json")
    assert refused.status_code == 400
    assert "four_eyes_override_reason" in refused.json()

    # ... and another member of the office books it.
    paid = stefan.post(reverse("api:grant-application-pay", args=[grant_id]), {}, format="json")
    assert paid.status_code == 200, paid.json()
    assert paid.json()["status"] == "paid"

    booked = stefan.get(reverse("api:budget-line-detail", args=[line.pk])).json()
    assert (booked["committed"], booked["spent"], booked["available"]) == ("0.00", "900.00", "4100.00")
    assert BudgetLine.objects.get(pk=line.pk).expenses.get().amount == Decimal("900.00")
    expense = Expense.objects.get(grant_id=grant_id)
    assert (expense.payee, expense.booked_by, expense.date) == (club["club"].name, office["stefan"], today)
    assert Commitment.objects.get(grant_id=grant_id).status == "replaced"
    application = GrantApplication.objects.get(pk=grant_id)
    assert (application.status, application.decided_by, application.approved_amount) == (
        "paid",
        office["carla"],
        Decimal("900.00"),
    )
    assert Exchange.objects.get(pk=exchange_id).review_status == "accepted"

    # The leader sees it all through the token: the grant paid, the exchange accepted.
    seen = leader.get(reverse("api:grant-application-detail", args=[grant_id]))
    assert seen.status_code == 200
    assert (seen.json()["status"], seen.json()["approved_amount"]) == ("paid", "900.00")
    assert seen.json()["conditions"] == "Send the report after the trip."
    assert "budget_line" not in seen.json()
    assert leader.get(reverse("api:exchange-detail", args=[exchange_id])).json()["review_status"] == "accepted"

    # The worker emailed every notification: the officer heard of both submissions, the club of both decisions.
    assert wait_for(
        lambda: (
            Notification.objects.filter(email_status=EmailStatus.SENT).count() == 4 and len(sent_mail(tmp_path)) == 4
        )
    ), list(Notification.objects.values_list("text", "email_status"))
    assert not Notification.objects.exclude(email_status=EmailStatus.SENT).exists()
    mail = sent_mail(tmp_path)
    to_club = sorted(m["subject"] for m in mail if m["to"] == "klaus@example.org")
    to_officer = sorted(m["subject"] for m in mail if m["to"] == office["stefan"].email)
    assert to_club == [
        "The office accepted “Choir concerts in Kraków”. Thank you!",
        "Your grant for Kraków was approved: €900.00.",
    ]
    assert to_officer == [
        "Freundeskreis Frankfurt–Kraków e.V. applied for a trip grant: Kraków.",
        "Freundeskreis Frankfurt–Kraków e.V. submitted the exchange “Choir concerts in Kraków” for review.",
    ]
    approval = next(m for m in mail if m["subject"].startswith("Your grant"))
    assert reverse("portal:grant-detail", args=[grant_id]) in approval["body"]
