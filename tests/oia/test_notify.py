"""Notifications are stored for each recipient and emailed when configured."""

from django.core import mail

from oia.models import Notification
from oia.notifications import notify
from oia.tasks import send_notification_email
from tests.factories import UserFactory


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
