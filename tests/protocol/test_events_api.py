"""/api/events/, /api/event-costs/ and /api/guests/: office staff write
through the services; club leaders read public events only; the lists run a
fixed number of queries; invitations go out through a real Celery worker."""

import datetime
import email
import time
from email.header import decode_header, make_header

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from budget.models import CommitmentStatus
from oia.roles import Role
from protocol import services
from protocol.models import Guest
from tests.factories import BudgetLineFactory, EventFactory, GuestFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
EVENTS = reverse("api:event-list")
# Token/session auth, roles, the count, the page, partnerships, consular posts.
EVENT_QUERIES = 6


def soon(days=30):
    return timezone.now() + datetime.timedelta(days=days)


def client_for(role):
    client = APIClient()
    client.force_authenticate(UserFactory(role=role))
    return client


@pytest.mark.parametrize("count", [1, 30])
def test_the_event_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    for _ in range(count):
        GuestFactory(event=EventFactory())

    with django_assert_max_num_queries(EVENT_QUERIES):
        response = staff_api.get(EVENTS)

    assert response.status_code == 200
    assert response.data["count"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_guest_and_cost_lists_run_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    event = EventFactory()
    for _ in range(count):
        GuestFactory(event=event)

    with django_assert_max_num_queries(5):
        assert staff_api.get(reverse("api:guest-list"), {"event": event.pk}).status_code == 200
    with django_assert_max_num_queries(5):
        assert staff_api.get(reverse("api:event-cost-list"), {"event": event.pk}).status_code == 200


def test_the_api_filters_as_the_page_does(staff_api):
    EventFactory(title="Europe Day", is_public=True)
    EventFactory(title="Dinner", is_public=False)

    response = staff_api.get(EVENTS, {"is_public": "false"})

    assert [row["title"] for row in response.data["results"]] == ["Dinner"]
    assert staff_api.get(EVENTS, {"year": "0"}).status_code == 400


def test_club_leaders_read_public_events_only_without_internal_fields():
    EventFactory(title="Europe Day", is_public=True, internal_notes="Worry")
    EventFactory(title="Dinner", is_public=False)
    EventFactory(title="Called off", is_public=True, status="cancelled")
    leader = client_for(Role.CLUB_LEADER)

    response = leader.get(EVENTS)

    assert [row["title"] for row in response.data["results"]] == ["Europe Day"]
    assert "internal_notes" not in response.data["results"][0]
    assert leader.post(EVENTS, {"title": "Mine"}, format="json").status_code == 403


@pytest.mark.parametrize("url", ["api:event-list", "api:event-cost-list", "api:guest-list"])
def test_council_members_and_anonymous_are_refused(url):
    assert client_for(Role.COUNCIL).get(reverse(url)).status_code == 403
    assert APIClient().get(reverse(url)).status_code == 401


def test_club_leaders_are_refused_costs_and_guests():
    leader = client_for(Role.CLUB_LEADER)

    assert leader.get(reverse("api:event-cost-list")).status_code == 403
    assert leader.get(reverse("api:guest-list")).status_code == 403


def test_staff_create_and_edit_an_event_with_its_version(staff_api):
    created = staff_api.post(
        EVENTS,
        {"title": "Gala", "kind": "reception", "starts_at": "2026-11-09T18:00:00Z", "place": "Town hall"},
        format="json",
    )
    assert created.status_code == 201, created.data
    url = reverse("api:event-detail", args=[created.data["id"]])

    stale = staff_api.patch(url, {"title": "X", "version": created.data["version"] - 1}, format="json")
    fresh = staff_api.patch(url, {"title": "Gala night", "version": created.data["version"]}, format="json")

    assert stale.status_code == 400
    assert fresh.status_code == 200
    assert fresh.data["title"] == "Gala night"


def test_a_cost_through_the_api_follows_the_budget_rules(staff_api):
    line = BudgetLineFactory(planned=100)
    event = EventFactory(budget_line=line, starts_at=datetime.datetime(2026, 11, 9, 18, tzinfo=datetime.UTC))

    refused = staff_api.post(
        reverse("api:event-cost-list"), {"event": event.pk, "description": "Gala", "estimated": "150.00"}, format="json"
    )
    created = staff_api.post(
        reverse("api:event-cost-list"), {"event": event.pk, "description": "Gala", "estimated": "90.00"}, format="json"
    )
    booked = staff_api.post(
        reverse("api:event-cost-book", args=[created.data["id"]]),
        {"actual": "80.00", "date": "2026-11-10", "payee": "Caterer", "version": created.data["version"]},
        format="json",
    )

    assert refused.status_code == 400
    assert "estimated" in refused.data
    assert created.data["commitment_status"] == CommitmentStatus.OPEN
    assert booked.status_code == 200, booked.data
    assert booked.data["commitment_status"] == CommitmentStatus.REPLACED
    assert booked.data["actual"] == "80.00"


def test_cancelling_through_the_api_needs_a_reason(staff_api):
    event = EventFactory(starts_at=soon())
    url = reverse("api:event-cancel", args=[event.pk])

    assert staff_api.post(url, {"reason": "", "version": event.version}, format="json").status_code == 400
    response = staff_api.post(url, {"reason": "Storm", "version": event.version}, format="json")

    assert response.status_code == 200
    assert response.data["status"] == "cancelled"


def test_guests_through_the_api(staff_api):
    event = EventFactory(starts_at=soon())
    person = PersonFactory()

    created = staff_api.post(reverse("api:guest-list"), {"event": event.pk, "person": person.pk}, format="json")
    twice = staff_api.post(reverse("api:guest-list"), {"event": event.pk, "person": person.pk}, format="json")
    url = reverse("api:guest-detail", args=[created.data["id"]])
    unnamed = staff_api.patch(url, {"answer": "represented", "version": created.data["version"]}, format="json")
    answered = staff_api.patch(url, {"answer": "accepted", "version": created.data["version"]}, format="json")

    assert created.status_code == 201
    assert twice.status_code == 400
    assert unnamed.status_code == 400
    assert answered.data["answer"] == "accepted"


# --- invitations by email, through a real worker -----------------------------


def wait_for(condition, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def test_the_invitation_goes_out_by_a_worker_with_a_working_link(celery_workers, tmp_path, client):
    celery_workers.start(
        "mail",
        OIA_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        OIA_TEST_EMAIL_FILE_PATH=tmp_path,
    )
    event = EventFactory(title="Reception\r\nBcc: evil@example.org", starts_at=soon())
    guest = GuestFactory(event=event, person=PersonFactory(email="consul@example.org", name="Consul Dupont"))
    GuestFactory(event=event, person=PersonFactory(email=""))

    queued = services.guests_send_invitations(event=event, guests=event.guests.all(), base_url="http://testserver/")

    assert queued == 1
    assert wait_for(lambda: any(tmp_path.iterdir()))
    message = email.message_from_bytes(next(tmp_path.iterdir()).read_bytes().split(b"\n" + b"-" * 79)[0])
    assert message["To"] == "consul@example.org"
    assert message["Bcc"] is None
    assert str(make_header(decode_header(message["Subject"]))) == ("Invitation: Reception Bcc: evil@example.org")
    body = message.get_payload(decode=True).decode()
    link = next(line for line in body.splitlines() if "/protocol/rsvp/" in line).strip()
    assert wait_for(lambda: Guest.objects.get(pk=guest.pk).invited_at is not None)
    assert client.get(link.removeprefix("http://testserver")).status_code == 200
