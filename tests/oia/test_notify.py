"""Notifications are stored for each recipient and emailed when configured."""

import email
import time
from email.header import decode_header, make_header

from django.core import mail
from django.urls import reverse

from oia.models import EmailStatus, Notification
from oia.notifications import notify
from oia.roles import Role
from oia.tasks import send_notification_email
from partners.choices import ReviewStatus
from partners.services import exchange_review
from tests.factories import ExchangeFactory, UserFactory
from tests.second_factor import sign_in


def test_each_active_recipient_gets_one_notification(db):
    anna, ben = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)

    notify([anna, ben, anna, gone, None], text="Two trips to Kraków", url="/delegations/coordination/")

    assert sorted(Notification.objects.values_list("user__username", flat=True)) == sorted(
        [anna.username, ben.username]
    )


def test_no_email_is_queued_unless_configured(db, settings, django_capture_on_commit_callbacks):
    settings.OIA_NOTIFY_BY_EMAIL = False

    with django_capture_on_commit_callbacks() as callbacks:
        notify([UserFactory(email="anna@example.org")], text="Hello")

    assert callbacks == []


def test_email_is_queued_after_commit_when_configured(db, settings, django_capture_on_commit_callbacks):
    settings.OIA_NOTIFY_BY_EMAIL = True

    with django_capture_on_commit_callbacks() as callbacks:
        notify([UserFactory(email="anna@example.org"), UserFactory(email="")], text="Hello")

    assert len(callbacks) == 1


def test_the_email_task_sends_the_notification(db):
    notification = notify([UserFactory(email="anna@example.org")], text="Two trips to Kraków", url="/x/")[0]

    assert send_notification_email(notification.pk) is True

    assert mail.outbox[0].to == ["anna@example.org"]
    assert "Two trips to Kraków" in mail.outbox[0].body


def test_the_subject_is_the_text_on_one_line_and_the_body_keeps_every_line(db):
    text = "The office returned “School exchange” for changes: Add the dates.\r\nAnd a photo\x0bof the group."
    notification = notify([UserFactory(email="anna@example.org")], text=text)[0]

    assert send_notification_email(notification.pk) is True

    message = mail.outbox[0]
    assert (
        message.subject == "The office returned “School exchange” for changes: Add the dates. And a photo of the group."
    )
    assert message.body.startswith(text)


def test_a_long_text_makes_a_subject_cut_at_a_word_with_an_ellipsis(db):
    notification = Notification(text="Two trips to Kraków in the same week: " + "please talk to each other " * 10)

    subject = notification.email_subject

    assert subject == (
        "Two trips to Kraków in the same week: please talk to each other please talk to each other please talk to "
        "each other…"
    )


# Through the real worker ---------------------------------------------------------------------------------------


def wait_for(condition, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def test_a_club_hears_by_email_that_its_exchange_was_returned_with_a_two_line_comment(
    celery_workers, settings, tmp_path
):
    settings.OIA_NOTIFY_BY_EMAIL = True
    celery_workers.start(
        "mail",
        OIA_NOTIFY_BY_EMAIL="true",
        OIA_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        OIA_TEST_EMAIL_FILE_PATH=tmp_path,
    )
    leader = UserFactory(role=Role.CLUB_LEADER, email="klaus@example.org")
    exchange = ExchangeFactory(title="Pupils in Kraków")
    exchange.club.leaders.add(leader)

    exchange_review(
        exchange=exchange,
        by=UserFactory(role=Role.STAFF),
        decision=ReviewStatus.RETURNED,
        comment="Add the dates.\r\nAnd a photo of the group.",
    )

    assert wait_for(lambda: any(tmp_path.iterdir()))
    message = email.message_from_bytes(next(tmp_path.iterdir()).read_bytes().split(b"\n" + b"-" * 79)[0])
    assert message["To"] == "klaus@example.org"
    assert (
        str(make_header(decode_header(message["Subject"])))
        == "The office returned “Pupils in Kraków” for changes: Add the dates. And a photo of the group."
    )
    assert "Add the dates.\nAnd a photo of the group." in message.get_payload(decode=True).decode()
    notification = leader.notifications.get()
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.SENT, 1)


def test_an_email_the_mail_server_refuses_is_retried_then_shown_to_the_administrators_as_failed(
    celery_workers, settings, client
):
    settings.OIA_NOTIFY_BY_EMAIL = True
    celery_workers.start(
        "mail-down",
        OIA_TEST_EMAIL_BACKEND="tests.failing_email.EmailBackend",
        OIA_EMAIL_MAX_RETRIES=2,
        OIA_EMAIL_RETRY_BACKOFF=1,
    )
    delivered = Notification.objects.create(
        user=UserFactory(), text="Delivered yesterday", email_status=EmailStatus.SENT, email_attempts=1
    )

    notification = notify([UserFactory(email="anna@example.org")], text="Two trips to Kraków")[0]

    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).email_status == EmailStatus.FAILED)
    notification.refresh_from_db()
    assert notification.email_attempts == 3  # the first try and two retries
    assert notification.email_error == "SMTPException: 451 Mail server unavailable (test backend)"
    sign_in(client, UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:oia_notification_changelist"), {"email_status__exact": EmailStatus.FAILED})
    assert page.status_code == 200
    assert [row.pk for row in page.context["cl"].result_list] == [notification.pk]
    assert delivered.pk not in [row.pk for row in page.context["cl"].result_list]
    assert "451 Mail server unavailable" in page.content.decode()


def test_an_administrator_sends_a_failed_email_again(db, client, django_capture_on_commit_callbacks):
    failed = Notification.objects.create(
        user=UserFactory(email="anna@example.org"),
        text="Two trips to Kraków",
        email_status=EmailStatus.FAILED,
        email_error="SMTPException: 451",
    )
    sign_in(client, UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("admin:oia_notification_changelist"),
            {"action": "send_email_again", "_selected_action": [failed.pk]},
            follow=True,
        )

    assert "1 email is queued again." in response.content.decode()
    assert len(queued) == 1
    failed.refresh_from_db()
    assert (failed.email_status, failed.email_error) == (EmailStatus.PENDING, "")
