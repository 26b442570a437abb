"""The nightly retention job: the core's rules at their boundaries, the record
of each run (counts, never names), and the job on a real Celery worker through
Redis and PostgreSQL, which keeps every figure of a past year's report."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from delegations.models import Person
from oia import retention
from oia.models import Notification, RetentionRun
from oia.roles import Role
from oia.tasks import apply_retention
from partners.models import Contact, StatusChange
from reports.sections import build_figures
from tests.factories import ContactFactory, DelegationFactory, ParticipantFactory, PersonFactory, UserFactory
from tests.second_factor import sign_in

NOW = timezone.make_aware(datetime.datetime(2026, 6, 30, 3, 50))
RULES = [
    "notifications",
    "expired_sessions",
    "sign_in_records",
    "partnership_contacts",
    "participant_needs",
    "external_people",
]


def days_ago(days, *, now=NOW):
    return now - datetime.timedelta(days=days)


def notification(user, *, days, read, now=NOW):
    made = Notification.objects.create(user=user, text=f"{days} days, read: {read}")
    at = days_ago(days, now=now)
    Notification.objects.filter(pk=made.pk).update(created_at=at, read_at=at if read else None)
    return made.pk


def sign_in_records(days, *, now=NOW):
    """One record of each kind django-axes keeps, made ``days`` before ``now``
    (by user agent, as django-axes keeps one attempt per username, address and agent)."""
    fields = {"user_agent": f"Firefox {days}", "ip_address": "192.0.2.7", "username": "mallory", "path_info": "/login/"}
    attempt = AccessAttempt.objects.create(**fields, get_data="", post_data="", failures_since_start=3)
    failure = AccessFailureLog.objects.create(**fields)
    log = AccessLog.objects.create(**fields)
    for record in (attempt, failure, log):
        type(record).objects.filter(pk=record.pk).update(attempt_time=days_ago(days, now=now))


def test_every_app_registers_its_rules():
    assert [rule.name for rule in retention.rules()] == RULES


@pytest.mark.django_db
def test_read_notifications_go_after_the_period_and_unread_ones_after_theirs():
    user = UserFactory()
    kept = [notification(user, days=179, read=True), notification(user, days=364, read=False)]
    notification(user, days=181, read=True)
    notification(user, days=366, read=False)

    assert retention.delete_old_notifications(NOW) == 2

    assert sorted(Notification.objects.values_list("pk", flat=True)) == sorted(kept)


@pytest.mark.django_db
def test_notification_periods_are_the_settings(settings):
    settings.OIA_RETAIN_NOTIFICATIONS_DAYS = 7
    settings.OIA_RETAIN_UNREAD_NOTIFICATIONS_DAYS = 30
    user = UserFactory()
    kept = [notification(user, days=6, read=True), notification(user, days=29, read=False)]
    notification(user, days=8, read=True)
    notification(user, days=31, read=False)

    assert retention.delete_old_notifications(NOW) == 2
    assert sorted(Notification.objects.values_list("pk", flat=True)) == sorted(kept)


@pytest.mark.django_db
def test_sign_in_records_go_after_the_period(settings):
    sign_in_records(89)
    sign_in_records(91)

    assert retention.delete_old_sign_in_records(NOW) == 3

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("user_agent", flat=True)) == ["Firefox 89"]
    settings.OIA_RETAIN_LOGIN_ATTEMPTS_DAYS = 30
    assert retention.delete_old_sign_in_records(NOW) == 3
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_expired_sessions_go():
    for expires in (days_ago(1, now=timezone.now()), timezone.now() + datetime.timedelta(hours=1)):
        session = SessionStore()
        session.create()
        Session.objects.filter(session_key=session.session_key).update(expire_date=expires)

    assert retention.delete_expired_sessions(timezone.now()) == 1
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_each_rule_is_recorded_and_logged_in_counts_never_names(security_log):
    visitor = PersonFactory(department=None, name="Zofia Secretname", email="zofia@example.pl", dietary_needs="kosher")
    ParticipantFactory(person=visitor, delegation=DelegationFactory(start_on=datetime.date(2020, 3, 1)))
    notification(UserFactory(), days=400, read=False)

    counts = retention.apply_all(NOW)

    expected = dict.fromkeys(RULES, 0) | {"notifications": 1, "participant_needs": 1, "external_people": 1}
    assert counts == expected
    runs = RetentionRun.objects.filter(ran_at=NOW)
    assert {run.rule: run.count for run in runs} == expected
    assert all(run.seconds >= 0 for run in runs)
    events = security_log.events("retention_applied")
    assert {event["rule"]: event["count"] for event in events} == expected
    written = repr(list(runs.values())) + repr(security_log)
    for trace in ("Zofia", "Secretname", "zofia@example.pl", "kosher"):
        assert trace not in written


@pytest.mark.django_db
def test_the_job_is_idempotent():
    visitor = PersonFactory(department=None, dietary_needs="vegan")
    ParticipantFactory(person=visitor, delegation=DelegationFactory(start_on=datetime.date(2020, 3, 1)))

    first = retention.apply_all(NOW)
    second = retention.apply_all(NOW + datetime.timedelta(days=1))

    assert sum(first.values()) == 2
    assert second == dict.fromkeys(RULES, 0)


def test_the_job_runs_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "oia.tasks.apply_retention"
    assert entry["schedule"].hour == {3}


def test_the_admin_lists_the_runs_read_only(client, db):
    RetentionRun.objects.create(ran_at=NOW, rule="external_people", count=12, seconds=0.4)
    admin_client = sign_in(client, UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))

    response = admin_client.get(reverse("admin:oia_retentionrun_changelist"))

    assert response.status_code == 200
    assert "external_people" in response.content.decode()
    assert admin_client.get(reverse("admin:oia_retentionrun_add")).status_code == 403


# On the real worker: the worker's own clock and settings (from its environment).


def _worker_log(workers) -> str:
    log = workers.logs[-1]
    log.flush()
    log.seek(0)
    return log.read()


def test_the_nightly_job_on_the_worker_acts_at_each_boundary_and_logs_counts(celery_workers):
    celery_workers.start("retention", OIA_RETAIN_NEEDS_DAYS=5, OIA_RETAIN_EXTERNAL_PEOPLE_YEARS=1)
    today = timezone.localdate()

    def visitor(name, ended_days_ago):
        person = PersonFactory(department=None, name=name, email="v@example.org", accessibility_needs="ramp")
        end = today - datetime.timedelta(days=ended_days_ago)
        ParticipantFactory(person=person, delegation=DelegationFactory(start_on=end, end_on=end))
        return person

    needs_kept = visitor("Nadia Needskept", 5)
    needs_cleared = visitor("Otto Needscleared", 6)
    name_kept = visitor("Petra Namekept", (today - retention.years_before(today, 1)).days)
    name_gone = visitor("Quentin Namegone", (today - retention.years_before(today, 1)).days + 1)
    partnership = ContactFactory(name="Rosa Contactname").partnership
    StatusChange.objects.create(
        partnership=partnership, status="ended", effective_on=retention.years_before(today, 3), reason="Ended."
    )
    notification(UserFactory(), days=181, read=True, now=timezone.now())
    sign_in_records(100, now=timezone.now())

    counts = apply_retention.delay().get(timeout=90)

    assert counts == {
        "notifications": 1,
        "expired_sessions": 0,
        "sign_in_records": 3,
        "partnership_contacts": 1,
        "participant_needs": 3,  # all but Nadia's: Otto's, Petra's and Quentin's visits ended 6 days ago or more
        "external_people": 1,
    }
    names = dict(Person.objects.values_list("pk", "name"))
    assert names[needs_kept.pk] == "Nadia Needskept"
    assert names[name_kept.pk] == "Petra Namekept"
    assert names[name_gone.pk] == f"Anonymised person #{name_gone.pk}"
    assert Person.objects.get(pk=needs_kept.pk).accessibility_needs == "ramp"
    assert Person.objects.get(pk=needs_cleared.pk).accessibility_needs == ""
    assert not Contact.objects.exists()
    assert {run.rule: run.count for run in RetentionRun.objects.all()} == counts
    assert RetentionRun.objects.count() == len(RULES)

    again = apply_retention.delay().get(timeout=90)

    assert again == dict.fromkeys(RULES, 0)
    latest = RetentionRun.objects.latest("ran_at").ran_at
    assert list(RetentionRun.objects.filter(ran_at=latest).values_list("count", flat=True)) == [0] * len(RULES)
    log = _worker_log(celery_workers)
    assert log.count('"retention_applied"') == 2 * len(RULES)
    for trace in ("Quentin", "Namegone", "Otto", "Rosa", "Contactname", "mallory", "192.0.2.7"):
        assert trace not in log


def test_a_past_years_report_keeps_its_figures_and_checksum_after_the_job(celery_workers):
    """Anonymised visitors and cleared needs change no figure: the participations stay."""
    celery_workers.start("retention", OIA_RETAIN_NEEDS_DAYS=0, OIA_RETAIN_EXTERNAL_PEOPLE_YEARS=0)
    day = datetime.date(2025, 5, 10)
    visit = DelegationFactory(direction="inbound", status="completed", start_on=day, official_guest=True, head_count=4)
    trip = DelegationFactory(status="completed", start_on=day + datetime.timedelta(days=30))
    for name in ("Ewa Visitorname", "Jan Visitorname"):
        ParticipantFactory(delegation=visit, person=PersonFactory(department=None, name=name, dietary_needs="vegan"))
    ParticipantFactory(delegation=trip, person=PersonFactory(title="Mayor"))
    ParticipantFactory(
        delegation=trip, person=PersonFactory(department=None, name="Kai Companionname", title="Interpreter")
    )
    before, before_checksum = build_figures(2025, cut_off="x")

    counts = apply_retention.delay().get(timeout=90)

    assert counts["external_people"] == 3
    assert not Person.objects.filter(name__contains="name").exists()
    after, after_checksum = build_figures(2025, cut_off="x")
    assert after == before
    assert after_checksum == before_checksum
