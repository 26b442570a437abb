"""The event pages from the outside: staff pages for the office only, the
list and the detail in a fixed number of queries, the steps, the answer link
without an account and the public pages that show nothing internal."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.models import CommitmentStatus
from oia.roles import Role
from protocol import services
from protocol.choices import Answer, EventStatus
from protocol.models import Event, Guest
from tests.factories import (
    BudgetLineFactory,
    ConsularPostFactory,
    DepartmentFactory,
    EventFactory,
    GuestFactory,
    PersonFactory,
    UserFactory,
)
from tests.pages import section
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db
LIST_URL = reverse("protocol:event-list")
# Session, user, roles, unread notifications, the count and the rows of the page.
LIST_QUERIES = 6
# Session, user, roles, unread notifications, the event, partnerships, posts, costs, guests.
DETAIL_QUERIES = 9


def soon(days=30):
    return timezone.now() + datetime.timedelta(days=days)


def full_event(**fields):
    event = EventFactory(department=DepartmentFactory(), starts_at=soon(), **fields)
    GuestFactory(event=event, answer=Answer.ACCEPTED)
    GuestFactory(event=event, consular_post=ConsularPostFactory())
    return event


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
@pytest.mark.parametrize(
    "name", ["protocol:event-list", "protocol:event-create", "protocol:event-detail", "protocol:event-seating"]
)
def test_staff_pages_refuse_council_members_and_club_leaders(client, role, name):
    event = EventFactory()
    sign_in(client, UserFactory(role=role))
    args = [] if name in ("protocol:event-list", "protocol:event-create") else [event.pk]

    assert client.get(reverse(name, args=args)).status_code == 403


def test_staff_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("protocol:event-detail", args=[EventFactory().pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        full_event()

    with django_assert_max_num_queries(LIST_QUERIES):
        response = staff_client.get(LIST_URL)

    assert response.status_code == 200
    assert response.context["paginator"].count == count


def test_the_list_filters_by_kind_access_and_text(staff_client):
    EventFactory(title="Europe Day", is_public=True)
    EventFactory(title="Consular reception", kind="reception", is_public=False)

    response = staff_client.get(LIST_URL, {"kind": "reception", "is_public": "false", "q": "consular"})

    assert [event.title for event in response.context["object_list"]] == ["Consular reception"]


@pytest.mark.parametrize(
    "query", [{"year": "99999"}, {"starts_from": "0001-01-01"}, {"is_public": "perhaps"}, {"kind": "party"}]
)
def test_a_wrong_filter_answers_400_with_the_page(staff_client, query):
    response = staff_client.get(LIST_URL, query)

    assert response.status_code == 400


@pytest.mark.parametrize("count", [1, 20])
def test_the_detail_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    event = full_event(capacity=1)
    for _ in range(count):
        GuestFactory(event=event, answer=Answer.ACCEPTED, companions=1)

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(reverse("protocol:event-detail", args=[event.pk]))

    assert response.status_code == 200
    assert response.context["over_capacity"] is True
    assert "More people are coming than there are places" in response.content.decode()


def test_staff_create_an_event(staff_client):
    line = BudgetLineFactory()

    response = staff_client.post(
        reverse("protocol:event-create"),
        {
            "title": "Europe Day 2026",
            "kind": "europe_day",
            "role": "organised",
            "starts_at": "2026-05-09T11:00",
            "place": "Market square",
            "is_public": "on",
            "budget_line": line.pk,
        },
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.title, event.budget_line, event.is_public) == ("Europe Day 2026", line, True)


def test_an_edit_on_an_old_version_is_refused(staff_client):
    event = EventFactory(starts_at=soon())
    services.event_update(event=event, version=event.version, title="Renamed")

    response = staff_client.post(
        reverse("protocol:event-edit", args=[event.pk]),
        {
            "title": "Mine",
            "kind": "reception",
            "role": "organised",
            "starts_at": "2026-05-09T11:00",
            "place": "Hall",
            "version": event.version,
        },
    )

    assert response.status_code == 200
    assert "Someone else changed this event" in response.content.decode()
    assert Event.objects.get().title == "Renamed"


def test_cancelling_asks_for_a_reason_then_releases_the_commitments(staff_client, staff_user):
    line = BudgetLineFactory()
    event = EventFactory(starts_at=soon(), budget_line=line)
    cost = services.event_cost_add(event=event, description="Stage", estimated=Decimal("100"), by=staff_user).cost
    event.refresh_from_db()
    url = reverse("protocol:event-cancel", args=[event.pk])

    assert staff_client.get(url).status_code == 200
    refused = staff_client.post(url, {"reason": "", "version": event.version})
    assert refused.status_code == 200
    response = staff_client.post(url, {"reason": "Storm warning", "version": event.version})

    assert response.status_code == 302
    event.refresh_from_db()
    cost.refresh_from_db()
    assert (event.status, event.cancellation_reason) == (EventStatus.CANCELLED, "Storm warning")
    assert cost.commitment.status == CommitmentStatus.RELEASED


def test_a_cost_on_a_draft_budget_is_refused_with_the_reason(staff_client):
    line = BudgetLineFactory(budget__year=2032, budget__status="draft")
    event = EventFactory(starts_at=timezone.make_aware(datetime.datetime(2032, 5, 1, 12)), budget_line=line)

    response = staff_client.post(
        reverse("protocol:event-cost-create", args=[event.pk]), {"description": "Stage", "estimated": "100"}
    )

    assert response.status_code == 200
    assert "Costs are committed only on a line of an adopted budget" in response.content.decode()


def test_inviting_the_heads_of_posts_adds_them(staff_client):
    event = EventFactory(starts_at=soon())
    ConsularPostFactory()

    response = staff_client.post(reverse("protocol:guest-invite-consuls", args=[event.pk]))

    assert response.status_code == 302
    assert Guest.objects.filter(event=event, consular_post__isnull=False).count() == 1


def test_the_seating_plan_and_the_badges_print(staff_client):
    event = EventFactory(starts_at=soon())
    GuestFactory(event=event, person=PersonFactory(name="Ada Guest"), answer=Answer.ACCEPTED)

    seating = staff_client.get(reverse("protocol:event-seating", args=[event.pk]))
    badges = staff_client.get(reverse("protocol:event-badges", args=[event.pk]))

    assert "Ada Guest" in seating.content.decode()
    assert "protocol-print.css" in badges.content.decode()
    assert "Ada Guest" in badges.content.decode()


# --- the answer link ----------------------------------------------------------


def invited(**event_fields):
    event_fields.setdefault("starts_at", soon())
    guest = GuestFactory(event=EventFactory(**event_fields), person=PersonFactory(name="Consul Dupont"))
    return guest, services.guest_issue_token(guest=guest)


def rsvp_url(token):
    return reverse("protocol:rsvp", args=[token])


def test_a_guest_sees_the_event_and_accepts_without_an_account(client):
    guest, token = invited(title="Reception", programme="Speeches", internal_notes="Budget worries")

    page = client.get(rsvp_url(token))
    response = client.post(rsvp_url(token), {"answer": "accepted", "companions": "1"})

    assert page.status_code == 200
    assert "Consul Dupont" in page.content.decode()
    assert "Speeches" in page.content.decode()
    assert "Budget worries" not in page.content.decode()
    assert response.status_code == 200
    assert "Thank you for your answer" in response.content.decode()
    guest.refresh_from_db()
    assert (guest.answer, guest.companions) == (Answer.ACCEPTED, 1)
    assert guest.answered_at is not None


def test_a_guest_declines(client):
    guest, token = invited()

    client.post(rsvp_url(token), {"answer": "declined", "companions": "3"})

    guest.refresh_from_db()
    assert (guest.answer, guest.companions) == (Answer.DECLINED, 0)


def test_represented_without_a_name_is_refused_with_a_message(client):
    guest, token = invited()

    response = client.post(rsvp_url(token), {"answer": "represented", "represented_by": " "})

    assert response.status_code == 400
    assert "Say who will represent you." in response.content.decode()
    guest.refresh_from_db()
    assert guest.answer == Answer.PENDING


def test_represented_by_a_named_deputy(client):
    guest, token = invited()

    client.post(rsvp_url(token), {"answer": "represented", "represented_by": "Vice-Consul Martin"})

    guest.refresh_from_db()
    assert (guest.answer, guest.represented_by) == (Answer.REPRESENTED, "Vice-Consul Martin")


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "x" * 500])
def test_a_wrong_link_is_not_found(client, token):
    invited()

    assert client.get(rsvp_url(token)).status_code == 404
    assert client.post(rsvp_url(token), {"answer": "accepted"}).status_code == 404


@pytest.mark.parametrize(
    "event_fields",
    [
        {"rsvp_by": datetime.date(2020, 1, 1)},
        {"starts_at": datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)},
        {"status": EventStatus.CANCELLED},
    ],
    ids=["answers-by-passed", "started", "cancelled"],
)
def test_a_link_after_answers_closed_says_so_and_changes_nothing(client, event_fields):
    guest, token = invited(**event_fields)

    page = client.get(rsvp_url(token))
    response = client.post(rsvp_url(token), {"answer": "accepted"})

    assert page.status_code == 410
    assert response.status_code == 410
    assert "Answers are no longer accepted" in response.content.decode()
    guest.refresh_from_db()
    assert guest.answer == Answer.PENDING


def test_a_new_invitation_kills_the_old_link(client):
    guest, old = invited()
    new = services.guest_issue_token(guest=guest)

    assert client.get(rsvp_url(old)).status_code == 404
    assert client.get(rsvp_url(new)).status_code == 200


def test_the_answer_page_is_protected_against_forged_posts():
    from django.test import Client

    guest, token = invited()

    response = Client(enforce_csrf_checks=True).post(rsvp_url(token), {"answer": "accepted"})

    assert response.status_code == 403
    guest.refresh_from_db()
    assert guest.answer == Answer.PENDING


# --- public pages ----------------------------------------------------------------


def public_event(**fields):
    fields.setdefault("starts_at", soon())
    return EventFactory(
        title="Europe Day",
        summary="Music on the square",
        programme="11:00 Anthem",
        internal_notes="Secret budget worry",
        is_public=True,
        **fields,
    )


@pytest.mark.parametrize("role", [None, Role.CLUB_LEADER])
def test_the_public_page_shows_the_event_and_nothing_internal(client, role):
    event = public_event(capacity=10)
    GuestFactory(event=event, person=PersonFactory(name="Hidden Guest"))
    if role:
        sign_in(client, UserFactory(role=role))

    response = client.get(reverse("protocol:public-event-detail", args=[event.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Europe Day" in text
    assert "11:00 Anthem" in text
    assert "Secret budget worry" not in text
    assert "Hidden Guest" not in text


@pytest.mark.parametrize("fields", [{"is_public": False}, {"status": EventStatus.CANCELLED}])
def test_an_invitation_only_or_cancelled_event_has_no_public_page(client, fields):
    event = EventFactory(starts_at=soon(), **fields)

    assert client.get(reverse("protocol:public-event-detail", args=[event.pk])).status_code == 404


def test_the_public_list_and_feed_show_public_events_only(client):
    public_event()
    EventFactory(title="Closed dinner", is_public=False, starts_at=soon())

    page = client.get(reverse("protocol:public-event-list")).content.decode()
    feed = client.get(reverse("protocol:public-event-feed"))

    assert "Europe Day" in page
    assert "Closed dinner" not in page
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Europe Day" in body
    assert "Closed dinner" not in body
    assert "Secret budget worry" not in body


@pytest.mark.parametrize("count", [1, 30])
def test_the_public_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    for _ in range(count):
        public_event()

    with django_assert_max_num_queries(3):
        response = client.get(reverse("protocol:public-event-list"))

    assert len(response.context["upcoming"]) == count


def test_staff_record_an_answer_represented_only_with_a_name(staff_client):
    guest = GuestFactory(event=EventFactory(starts_at=soon()))
    url = reverse("protocol:guest-edit", args=[guest.pk])

    refused = staff_client.post(
        url, {"answer": "represented", "represented_by": "", "companions": "0", "version": guest.version}
    )
    saved = staff_client.post(
        url, {"answer": "represented", "represented_by": "Deputy", "companions": "0", "version": guest.version}
    )

    assert refused.status_code == 200
    assert "Say who represents the guest." in refused.content.decode()
    assert saved.status_code == 302
    guest.refresh_from_db()
    assert (guest.answer, guest.represented_by) == (Answer.REPRESENTED, "Deputy")


# --- the object page (summary, actions, section nav) --------------------------


def test_a_planned_event_s_page_offers_its_steps_and_cancelling_asks_first(staff_client):
    event = full_event(title="Europe Day")

    html = staff_client.get(reverse("protocol:event-detail", args=[event.pk])).content.decode()

    header = html[html.index('<div class="object-header">') : html.index('<div class="object-page">')]
    assert '<span class="status status-planned">Planned</span>' in header
    assert "Organising department" in section(html, "summary")
    actions = section(html, "actions")
    for url in [
        reverse("protocol:event-edit", args=[event.pk]),
        reverse("protocol:event-held", args=[event.pk]),
        reverse("protocol:event-seating", args=[event.pk]),
    ]:
        assert f'href="{url}"' in actions
    cancel = reverse("protocol:event-cancel", args=[event.pk])
    assert f'action="{cancel}"' in actions
    assert 'data-confirm="Cancel “Europe Day”?' in actions
    assert f'name="version" value="{event.version}"' in actions
    for anchor in ["programme", "guests", "costs"]:
        assert f'<a href="#{anchor}">' in html


@pytest.mark.parametrize("status", [EventStatus.HELD, EventStatus.CANCELLED])
def test_a_held_or_cancelled_event_offers_no_edit_held_or_cancel_step(staff_client, status):
    event = full_event(status=status)

    actions = section(staff_client.get(reverse("protocol:event-detail", args=[event.pk])).content.decode(), "actions")

    assert reverse("protocol:event-edit", args=[event.pk]) not in actions
    assert reverse("protocol:event-held", args=[event.pk]) not in actions
    assert reverse("protocol:event-cancel", args=[event.pk]) not in actions
    assert reverse("protocol:event-seating", args=[event.pk]) in actions, "the seating plan is still read"


def test_taking_a_guest_off_the_list_asks_first_and_falls_back_to_its_confirmation_page(staff_client):
    event = full_event(title="Europe Day")
    guest = GuestFactory(event=event, person=PersonFactory(name="Claire Dupont"))

    html = staff_client.get(reverse("protocol:event-detail", args=[event.pk])).content.decode()

    url = reverse("protocol:guest-delete", args=[guest.pk])
    assert f'<a href="{url}" data-confirm="Take Claire Dupont off the guest list of “Europe Day”?"' in html
    assert 'data-confirm-yes="Take off the list"' in html
    assert f'<form id="protocol-guest-delete-{guest.pk}" method="post" action="{url}" hidden>' in html
