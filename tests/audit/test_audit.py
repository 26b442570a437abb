"""The audit trail (oia.audit, the audit app's triggers): every way a record can
change leaves an event with who or what changed it, from where, and the old
and new values; the history API shows it to office staff only."""

import datetime
import os
import subprocess
import sys

import pghistory
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone, translation

from oia import audit
from oia.api.urls import router
from oia.roles import Role
from partners.models import City, Club, Partnership, StatusChange
from reports.choices import RequestStatus
from reports.models import ReportRequest
from reports.tasks import report_generate
from tests.factories import TEST_PASSWORD, CityFactory, ClubFactory, PartnershipFactory, UserFactory
from tests.workers import ROOT, database_url_for

User = get_user_model()
# Technical tables with a high volume and nothing an office member edits.
# Technical tables, and records that are themselves logs: a retention run (counts)
# and the record of an erased account (who, when, why; the account's own change is tracked).
UNTRACKED = {
    "oia.WorkerHeartbeat",
    "oia.Notification",
    "oia.CalendarFeedToken",
    "oia.RetentionRun",
    "oia.AnonymisedAccount",
}
DOMAIN_APPS = ("partners", "delegations", "networks", "budget", "reports", "oia")


def edit_form(partnership, **changes):
    return {
        "partner_city": partnership.partner_city.pk,
        "kind": partnership.kind,
        "formalised": partnership.formalised_on.isoformat(),
        "notes": partnership.notes,
        "version": partnership.version,
        **changes,
    }


def change(entry, field):
    return next(c for c in entry.changes if c.field == field)


def test_every_domain_model_the_club_leaders_and_the_roles_are_tracked():
    models_ = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in DOMAIN_APPS and not m._meta.proxy and m._meta.label not in UNTRACKED
    ]
    untracked = [m._meta.label for m in models_ if not audit.is_tracked(m)]

    assert not untracked, f"Track these in audit/models.py (or list them in UNTRACKED): {untracked}"
    assert audit.is_tracked(User)
    assert audit.is_tracked(User.groups.through)
    assert audit.is_tracked(Club.leaders.through)


def test_the_user_snapshot_leaves_out_the_password_and_the_last_sign_in():
    event_fields = {f.name for f in audit.event_model_for(User)._meta.fields}

    assert {"username", "email", "is_active", "is_staff", "is_superuser"} <= event_fields
    assert not {"password", "last_login"} & event_fields


@pytest.mark.django_db
def test_an_edit_through_a_page_records_the_staff_member_the_request_and_the_values(staff_client, staff_user):
    partnership = PartnershipFactory(notes="before")
    url = reverse("partners:partnership-edit", args=[partnership.pk])

    response = staff_client.post(url, edit_form(partnership, notes="after"))

    assert response.status_code == 302
    entry = audit.history_for(partnership)[0]
    assert (entry.action, entry.username, entry.user_id) == ("update", staff_user.username, staff_user.pk)
    assert entry.source == {"path": url, "method": "POST", "address": "127.0.0.1"}
    notes = change(entry, "notes")
    assert (notes.old, notes.new) == ("before", "after")
    with translation.override("de"):
        label = str(Partnership._meta.get_field("notes").verbose_name)
        assert change(audit.history_for(partnership)[0], "notes").label == label


@pytest.mark.django_db
def test_an_edit_through_the_api_with_a_token_records_the_tokens_user(api_client, staff_user):
    key = api_client.post(reverse("api:token"), {"username": staff_user.username, "password": TEST_PASSWORD}).json()
    partnership = PartnershipFactory(notes="before")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key['token']}")
    url = reverse("api:partnership-detail", args=[partnership.pk])

    response = api_client.patch(url, {"notes": "by token", "version": partnership.version}, format="json")

    assert response.status_code == 200
    entry = audit.history_for(partnership)[0]
    assert (entry.username, entry.user_id, entry.source["path"], entry.source["method"]) == (
        staff_user.username,
        staff_user.pk,
        url,
        "PATCH",
    )
    assert (change(entry, "notes").old, change(entry, "notes").new) == ("before", "by token")


@pytest.mark.django_db
def test_an_edit_through_the_api_with_the_session_records_the_signed_in_user(staff_client, staff_user):
    city = CityFactory(name="Lyon")

    response = staff_client.patch(
        reverse("api:city-detail", args=[city.pk]), {"name": "Lyon 2"}, content_type="application/json"
    )

    assert response.status_code == 200
    entry = audit.history_for(city)[0]
    assert entry.username == staff_user.username
    assert (change(entry, "name").old, change(entry, "name").new) == ("Lyon", "Lyon 2")


def test_a_bulk_update_in_a_task_on_the_real_worker_records_the_task(celery_workers):
    celery_workers.start("one")
    request = ReportRequest.objects.create(year=2025)

    report_generate.delay(request.pk).get(timeout=90)

    updates = [e for e in audit.history_for(request) if e.action == "update"]
    assert updates, "the worker's bulk update() left no event"
    assert all(e.source["task"] == "reports.tasks.report_generate" and e.username == "" for e in updates)
    statuses = [c.new for e in updates for c in e.changes if c.field == "status"]
    assert str(RequestStatus.DONE.label) in statuses


@pytest.mark.django_db
def test_a_bulk_update_records_every_row_with_its_context():
    cities = [CityFactory(name=f"Town {n}", region="") for n in range(3)]

    with pghistory.context(task="tests.bulk"):
        City.objects.filter(pk__in=[c.pk for c in cities]).update(local_name="Bulk")

    for city in cities:
        entry = audit.history_for(city)[0]
        assert entry.source["task"] == "tests.bulk"
        assert change(entry, "local_name").new == "Bulk"


@pytest.mark.django_db
def test_a_raw_sql_update_is_recorded_with_old_and_new_values():
    city = CityFactory(name="Porto")

    with connection.cursor() as cursor:
        cursor.execute("UPDATE partners_city SET name = %s WHERE id = %s", ["Oporto", city.pk])

    entry = audit.history_for(city)[0]
    assert (entry.action, entry.username, entry.source) == ("update", "", {})
    assert (change(entry, "name").old, change(entry, "name").new) == ("Porto", "Oporto")


@pytest.mark.django_db(transaction=True)
def test_a_management_command_is_recorded_with_its_name():
    city = CityFactory(name="Gent")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
    }
    code = f"from partners.models import City; City.objects.filter(pk={city.pk}).update(name='Ghent')"

    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=120)

    entry = audit.history_for(city)[0]
    assert entry.source == {"command": "shell"}
    assert change(entry, "name").new == "Ghent"


@pytest.mark.django_db
def test_a_role_change_and_a_club_leader_assignment_are_recorded(client, admin_user_oia):
    user = UserFactory(username="ines")
    club = ClubFactory()
    staff_role = Group.objects.get_or_create(name=Role.STAFF)[0]

    with pghistory.context(user=admin_user_oia.pk, username=admin_user_oia.username):
        user.groups.add(staff_role)
        club.leaders.add(user)
        user.groups.remove(staff_role)

    roles = [audit.describe(row) for row in audit.activity(model=User.groups.through)]
    assert [e.action for e in roles[:2]] == ["delete", "insert"]
    added = roles[1]
    assert added.username == admin_user_oia.username
    assert {c.field: c.new for c in added.changes} == {"user": str(user.pk), "group": str(staff_role.pk)}
    leaders = list(audit.activity(model=Club.leaders.through))
    assert len(leaders) == 1
    assert {c.field: c.new for c in audit.describe(leaders[0]).changes} == {"club": str(club.pk), "user": str(user.pk)}


@pytest.mark.django_db
def test_a_users_changes_are_recorded_without_the_password(staff_user):
    before = len(audit.history_for(staff_user))

    staff_user.set_password("another-horse-battery")
    staff_user.save()
    User.objects.filter(pk=staff_user.pk).update(email="new@example.org", last_login=timezone.now())

    history = audit.history_for(staff_user)
    assert len(history) == before + 1  # the password and last sign-in alone leave no event
    assert [c.field for c in history[0].changes] == ["email"]


# Transactional: the context of a write lasts as long as its transaction, and a
# test's transaction would lend the request's context to what follows it.
@pytest.mark.django_db(transaction=True)
def test_deleting_the_acting_user_keeps_their_name_on_the_events(client):
    clerk = UserFactory(username="clerk", role=Role.STAFF)
    client.force_login(clerk)
    city = CityFactory(name="Graz")
    client.patch(reverse("api:city-detail", args=[city.pk]), {"name": "Graz (AT)"}, content_type="application/json")

    User.objects.filter(pk=clerk.pk).delete()

    entry = audit.history_for(city)[0]
    assert (entry.username, entry.user_id) == ("clerk", clerk.pk)
    assert [e.object_id for e in map(audit.describe, audit.activity(user="clerk"))] == [str(city.pk)]
    assert audit.history_for(User(pk=clerk.pk))[0].action == "delete"  # the account's own history stays too


@pytest.mark.django_db(transaction=True)
def test_activity_filters_by_user_kind_of_record_and_dates(staff_user):
    today = timezone.localdate()
    with pghistory.context(user=staff_user.pk, username=staff_user.username):
        city = CityFactory(name="Brno")
        PartnershipFactory(partner_city=city)
    CityFactory(name="Nobody's")

    assert {"partners.City", "partners.Partnership"} <= {
        audit.describe(r).model for r in audit.activity(user=staff_user)
    }
    assert [audit.describe(r).model for r in audit.activity(user=staff_user, model=City)] == ["partners.City"]
    assert audit.activity(model=City, since=today, until=today).count() == 2
    assert audit.activity(model=City, until=today - datetime.timedelta(days=1)).count() == 0
    assert audit.activity(model=City, since=today + datetime.timedelta(days=1)).count() == 0
    assert not audit.activity(model=Group).exists()  # not tracked


@pytest.mark.django_db
def test_history_api_answers_the_changes_newest_first(staff_client, staff_api):
    partnership = PartnershipFactory(notes="one")
    page = reverse("partners:partnership-edit", args=[partnership.pk])
    staff_client.post(page, edit_form(partnership, notes="two"))

    body = staff_api.get(reverse("api:partnership-history", args=[partnership.pk])).json()

    assert body["count"] == 2
    newest, created = body["results"]
    assert (newest["action"], newest["model"], newest["object_id"]) == (
        "update",
        "partners.Partnership",
        str(partnership.pk),
    )
    assert {"field": "notes", "label": "notes", "old": "one", "new": "two"} in newest["changes"]
    assert newest["where"] == f"POST {page} (127.0.0.1)"
    assert created["action"] == "insert"


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.django_db
def test_history_api_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    city = CityFactory()
    for n in range(count):
        City.objects.filter(pk=city.pk).update(name=f"Name {n}")

    with django_assert_max_num_queries(6):
        response = staff_api.get(reverse("api:city-history", args=[city.pk]))

    assert response.json()["count"] == count + 1


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [(Role.COUNCIL, 403), (Role.CLUB_LEADER, 403), (None, 401)])
def test_history_api_refuses_everyone_but_office_staff(api_client, who, status):
    club = ClubFactory()
    if who:
        user = UserFactory(role=who)
        club.leaders.add(user)  # even a club's own leader
        api_client.force_authenticate(user)

    assert api_client.get(reverse("api:club-history", args=[club.pk])).status_code == status


# The router's resources that are no tracked records: each user's own notifications
# (an inbox, not the office's records) and the anniversaries (worked out, never stored).
UNTRACKED_RESOURCES = {"notifications", "anniversaries"}


def test_every_router_resource_of_a_tracked_model_has_a_history():
    resources = [(prefix, viewset) for prefix, viewset, _ in router.registry if prefix not in UNTRACKED_RESOURCES]

    assert {prefix for prefix, _viewset, _ in router.registry} >= UNTRACKED_RESOURCES
    assert all(audit.is_tracked(viewset.queryset.model) for _, viewset in resources)
    assert all(hasattr(viewset, "history") for _, viewset in resources)
    assert not any(
        hasattr(viewset, "history") for prefix, viewset, _ in router.registry if prefix in UNTRACKED_RESOURCES
    )


@pytest.mark.django_db
def test_history_of_a_record_older_than_the_trail_says_the_old_values_are_unknown():
    city = CityFactory(name="Cork")
    audit.event_model_for(City).objects.filter(pgh_obj_id=city.pk).delete()  # as if made before the trail

    City.objects.filter(pk=city.pk).update(name="Corcaigh")

    (entry,) = audit.history_for(city)
    assert not entry.previous_known
    assert (change(entry, "name").old, change(entry, "name").new) == (None, "Corcaigh")


def test_the_event_tables_have_no_constraint_a_deletion_could_trip():
    for event_model in audit._event_models().values():
        for field in event_model._meta.fields:
            if isinstance(field, models.ForeignKey):
                assert not field.db_constraint, f"{event_model._meta.label}.{field.name}"
                assert field.remote_field.on_delete is models.DO_NOTHING


@pytest.mark.parametrize("count", [1, 40])
@pytest.mark.django_db
def test_a_page_of_activity_reads_as_entries_in_a_fixed_number_of_queries(django_assert_max_num_queries, count):
    cities = [CityFactory(name=f"Place {n}") for n in range(count)]
    City.objects.filter(pk__in=[c.pk for c in cities]).update(local_name="Ort")
    PartnershipFactory(partner_city=cities[0])

    with django_assert_max_num_queries(1 + 2 * 3):  # the page's keys; two a kind (City, Partnership, StatusChange)
        page = audit.entries(audit.activity(model=[City, Partnership, StatusChange])[:50])

    assert [e.model for e in page[:2]] == ["partners.StatusChange", "partners.Partnership"]
    update = next(e for e in page if e.action == "update")
    assert (update.model, update.previous_known) == ("partners.City", True)
    assert [(c.field, c.old, c.new) for c in update.changes] == [("local_name", "", "Ort")]
    assert [e.id for e in page] == [
        audit.describe(r).id for r in audit.activity(model=[City, Partnership, StatusChange])[:50]
    ]


def test_an_anonymised_club_leader_no_longer_names_what_they_did(transactional_db):
    """The contexts keep the name a user acted under (so a deleted user's stays); erasure replaces it.
    (A transactional database: a context lives as long as its transaction.)"""
    from pghistory.models import Context

    from partners.services import anonymise_club_leader

    leader = UserFactory(username="klarissa.z", role=Role.CLUB_LEADER)
    with pghistory.context(user=leader.pk, username=leader.username, path="/portal/"):
        club = ClubFactory(name="Freundeskreis Audit")
    club.leaders.add(leader)
    assert Context.objects.filter(metadata__username="klarissa.z").exists()

    anonymise_club_leader(leader, by=UserFactory(role=Role.ADMIN), reason="Asked to be erased")

    assert not Context.objects.filter(metadata__username="klarissa.z").exists()
    [entry] = [e for e in audit.history_for(club) if e.action == "insert"]
    assert entry.username == f"anonymised-{leader.pk}"
    assert entry.user_id == leader.pk


@pytest.mark.django_db
def test_the_last_change_marks_move_with_every_write_whoever_writes():
    city = CityFactory()
    before = audit.last_changes(City, Partnership)

    city.name = "Lyon"
    city.save()
    after_update = audit.last_changes(City, Partnership)
    City.objects.filter(pk=city.pk).delete()
    after_delete = audit.last_changes(City, Partnership)

    assert after_update[City] > before[City]
    assert after_delete[City] > after_update[City]
    assert after_update[Partnership] == before[Partnership] == after_delete[Partnership]


@pytest.mark.django_db
def test_a_model_outside_the_audit_trail_has_no_marks():
    with pytest.raises(ValueError, match="not in the audit trail"):
        audit.last_changes(Group)


@pytest.mark.django_db
def test_a_cached_figure_is_computed_again_once_its_tables_change():
    computed = []

    def count_cities():
        computed.append(1)
        return City.objects.count()

    CityFactory()
    first = audit.cached_until_changed("test-cities", audit.last_changes(City), count_cities)
    again = audit.cached_until_changed("test-cities", audit.last_changes(City), count_cities)
    CityFactory()
    changed = audit.cached_until_changed("test-cities", audit.last_changes(City), count_cities)

    assert (first, again, changed) == (1, 1, 2)
    assert len(computed) == 2
