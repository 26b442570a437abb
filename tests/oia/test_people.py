"""People and roles managed by the administrators: the services' rules
(invitations, roles, leavers, the last administrator, stale pages), the
invitation e-mail and its link, the pages, who may open them, and the list's
fixed number of queries."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from oia import audit, people
from oia.roles import Role
from oia.tasks import send_invitation_email
from oia.tokens import Token
from tests.factories import TEST_PASSWORD, ClubFactory, PartnershipFactory, ReportVersionFactory, UserFactory
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db
User = get_user_model()
BASE_URL = "http://testserver/"


def invite(by, **fields):
    values = {
        "first_name": "Lena",
        "last_name": "Vogel",
        "email": "lena.vogel@example.org",
        "role": Role.STAFF,
        "base_url": BASE_URL,
        **fields,
    }
    return people.account_invite(by=by, **values)


def state(person):
    return people.account_state(User.objects.get(pk=person.pk))


def invitation_link() -> str:
    body = mail.outbox[-1].body
    return (
        next(line for line in body.splitlines() if "/accounts/reset/" in line).strip().removeprefix("http://testserver")
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- inviting ----------------------------------------------------------------------


def test_an_invited_club_leader_has_an_account_without_password_and_leads_the_club(
    admin, django_capture_on_commit_callbacks
):
    club = ClubFactory(name="Freundeskreis Lyon e.V.")

    with django_capture_on_commit_callbacks() as queued:
        person = invite(admin, role=Role.CLUB_LEADER, affiliated_with=[club], email="Lena.Vogel@EXAMPLE.org")

    person.refresh_from_db()
    assert person.username == person.email == "lena.vogel@example.org"
    assert person.is_active
    assert not person.has_usable_password()
    assert people.is_invited(person)
    assert people.roles_held(person) == [Role.CLUB_LEADER]
    assert list(person.clubs_led.all()) == [club]
    assert not person.is_staff
    assert len(queued) == 1  # the e-mail leaves only after the commit


def test_an_invited_administrator_may_open_the_django_admin(admin):
    person = invite(admin, role=Role.ADMIN)

    assert User.objects.get(pk=person.pk).is_staff


def test_a_club_leader_is_invited_for_a_club(admin):
    with pytest.raises(ValidationError) as refused:
        invite(admin, role=Role.CLUB_LEADER)

    assert "affiliation" in refused.value.error_dict


def test_an_address_that_has_an_account_is_not_invited_twice(admin):
    UserFactory(username="lvogel", email="lena.vogel@example.org")

    with pytest.raises(ValidationError) as refused:
        invite(admin, email="LENA.VOGEL@example.org")

    assert refused.value.error_dict["email"][0].messages == ["Someone with this e-mail address has an account already."]


def test_office_staff_invite_club_leaders_and_nobody_else(admin):
    colleague = UserFactory(role=Role.STAFF)
    club = ClubFactory()

    leader = invite(colleague, role=Role.CLUB_LEADER, affiliated_with=[club], username="lvogel")
    with pytest.raises(ValidationError) as refused:
        invite(colleague, email="kai@example.org", role=Role.ADMIN)

    assert (leader.username, leader.email) == ("lvogel", "lena.vogel@example.org")
    assert list(club.leaders.all()) == [leader]
    assert refused.value.messages == ["Only an administrator may invite someone with the role OIA administrator."]
    assert not User.objects.filter(email="kai@example.org").exists()


def test_an_invitation_without_an_address_sends_nothing(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        person = invite(admin, email="", username="lvogel")
    with pytest.raises(ValidationError) as refused:
        invite(admin, email="  ")

    assert people.is_invited(person)
    assert queued == []
    assert "email" in refused.value.error_dict


def test_an_address_invited_at_the_same_moment_by_someone_else_is_refused_with_a_message(admin, monkeypatch):
    def taken_meanwhile(*args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "auth_user_username_key"')

    monkeypatch.setattr(User, "save", taken_meanwhile)

    with pytest.raises(ValidationError) as refused:
        invite(admin)

    assert refused.value.message_dict == {"email": ["This account exists already."]}


def test_the_invitation_mail_has_a_one_line_subject_and_a_link_that_sets_the_password_once(admin, client):
    person = invite(admin, first_name="Lena\r\nBcc: evil@example.org")

    assert send_invitation_email(person.pk, BASE_URL) is True

    message = mail.outbox[-1]
    assert message.to == ["lena.vogel@example.org"]
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.subject.endswith("Lena Bcc: evil@example.org Vogel")
    assert "lena.vogel@example.org" in message.body  # the user name to sign in with
    link = invitation_link()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Lyon-Kiel-2026!", "new_password2": "Lyon-Kiel-2026!"}
    )
    assert set_password.status_code == 302
    person.refresh_from_db()
    assert person.has_usable_password()
    assert person.is_active
    assert not people.is_invited(person)
    assert client.get(link, follow=True).context["validlink"] is False
    assert client.login(username="lena.vogel@example.org", password="Lyon-Kiel-2026!")


def test_the_invitation_link_expires(admin, client, settings, monkeypatch):
    person = invite(admin)
    send_invitation_email(person.pk, BASE_URL)
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    assert client.get(invitation_link(), follow=True).context["validlink"] is False


def test_no_invitation_goes_to_someone_with_a_password_or_a_deactivated_account(admin):
    person = invite(admin)
    people.account_deactivate(person=person, by=admin, state=state(person))

    assert send_invitation_email(person.pk, BASE_URL) is False
    assert send_invitation_email(admin.pk, BASE_URL) is False
    assert mail.outbox == []


def test_deactivating_an_invited_person_kills_the_link_sent(admin, client):
    person = invite(admin)
    send_invitation_email(person.pk, BASE_URL)
    link = invitation_link()

    people.account_deactivate(person=person, by=admin, state=state(person))
    people.account_reactivate(person=person, by=admin, state=state(person))

    assert client.get(link, follow=True).context["validlink"] is False


def test_an_invited_person_is_invited_again_and_a_signed_up_one_is_not(admin, django_capture_on_commit_callbacks):
    person = invite(admin)
    with django_capture_on_commit_callbacks() as queued:
        people.account_invite_again(person=person, by=admin, state=state(person), base_url=BASE_URL)
    assert len(queued) == 1

    colleague = UserFactory(role=Role.STAFF)
    with pytest.raises(ValidationError):
        people.account_invite_again(person=colleague, by=admin, state=state(colleague), base_url=BASE_URL)


# --- roles, leavers and the administrators --------------------------------------------


def test_roles_are_given_and_taken_with_their_clubs(admin):
    person = UserFactory(role=Role.STAFF)
    club = ClubFactory()

    people.account_set_roles(
        person=person,
        by=admin,
        roles=[Role.COUNCIL, Role.CLUB_LEADER],
        affiliated_with={Role.CLUB_LEADER: [club]},
        state=state(person),
    )
    assert people.roles_held(User.objects.get(pk=person.pk)) == [Role.COUNCIL, Role.CLUB_LEADER]
    assert list(person.clubs_led.all()) == [club]

    people.account_set_roles(
        person=person, by=admin, roles=[Role.COUNCIL], affiliated_with={Role.CLUB_LEADER: [club]}, state=state(person)
    )
    assert people.roles_held(User.objects.get(pk=person.pk)) == [Role.COUNCIL]
    assert list(person.clubs_led.all()) == []  # no club without the club leader role


def test_an_administrator_keeps_their_own_role_and_account(admin):
    UserFactory(role=Role.ADMIN)  # another one, so the last-administrator rule is not what refuses

    with pytest.raises(ValidationError) as demoted:
        people.account_set_roles(person=admin, by=admin, roles=[Role.STAFF], affiliated_with={}, state=state(admin))
    with pytest.raises(ValidationError) as deactivated:
        people.account_deactivate(person=admin, by=admin, state=state(admin))

    assert demoted.value.messages == ["You cannot take your own administrator role away."]
    assert deactivated.value.messages == ["You cannot deactivate your own account."]
    assert people.roles_held(User.objects.get(pk=admin.pk)) == [Role.ADMIN]


def test_the_last_active_administrator_is_never_removed(admin):
    # A change outside a request (a command: no one acting) must keep the rule too.
    with pytest.raises(ValidationError) as demoted:
        people.account_set_roles(person=admin, by=None, roles=[], affiliated_with={}, state=state(admin))
    with pytest.raises(ValidationError) as deactivated:
        people.account_deactivate(person=admin, by=None, state=state(admin))

    assert "last active administrator" in demoted.value.messages[0]
    assert "last active administrator" in deactivated.value.messages[0]


def test_an_invited_administrator_does_not_count_as_one_who_can_sign_in(admin):
    newcomer = invite(admin, role=Role.ADMIN)

    with pytest.raises(ValidationError) as refused:
        people.account_deactivate(person=admin, by=None, state=state(admin))

    assert "last active administrator" in refused.value.messages[0]
    assert User.objects.get(pk=newcomer.pk).is_active


def test_an_administrator_whose_role_was_taken_meanwhile_changes_nothing(admin):
    other = UserFactory(role=Role.ADMIN)
    people.account_set_roles(person=other, by=admin, roles=[Role.STAFF], affiliated_with={}, state=state(other))

    with pytest.raises(ValidationError) as refused:
        people.account_set_roles(person=admin, by=other, roles=[Role.STAFF], affiliated_with={}, state=state(admin))

    assert refused.value.messages == ["You are no longer an administrator."]


def test_a_change_over_a_newer_state_is_refused(admin):
    person = UserFactory(role=Role.STAFF)
    seen = state(person)
    people.account_set_roles(person=person, by=admin, roles=[Role.COUNCIL], affiliated_with={}, state=seen)

    with pytest.raises(ValidationError) as refused:
        people.account_deactivate(person=person, by=admin, state=seen)

    assert "changed by someone else" in refused.value.messages[0]
    assert User.objects.get(pk=person.pk).is_active


def test_a_leaver_cannot_sign_in_loses_their_tokens_and_comes_back_with_their_password(admin, client):
    person = UserFactory(username="leaver", role=Role.STAFF)
    Token.objects.create(user=person)

    people.account_deactivate(person=person, by=admin, state=state(person))
    assert not client.login(username="leaver", password=TEST_PASSWORD)
    assert not Token.objects.filter(user=person).exists()

    people.account_reactivate(person=person, by=admin, state=state(person))
    assert client.login(username="leaver", password=TEST_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_two_administrators_removing_each_other_at_once_leave_one():
    first, second = UserFactory(role=Role.ADMIN), UserFactory(role=Role.ADMIN)
    states = {first.pk: state(first), second.pk: state(second)}
    start = threading.Barrier(2)
    outcomes = []

    def demote(by, person):
        try:
            start.wait()
            people.account_set_roles(
                person=person, by=by, roles=[Role.STAFF], affiliated_with={}, state=states[person.pk]
            )
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[0] == "You are no longer an administrator."
    assert "done" in outcomes
    assert people.administrators().count() == 1


# --- the audit trail -----------------------------------------------------------------


def test_the_changes_are_in_the_audit_trail_with_who_made_them(admin_client, admin_user_oia):
    person = UserFactory(role=Role.STAFF)

    admin_client.post(reverse("people:detail", args=[person.pk]), {"roles": [Role.COUNCIL], "state": state(person)})
    admin_client.post(reverse("people:deactivate", args=[person.pk]), {"state": state(person)})

    deactivation = audit.history_for(person)[0]
    assert deactivation.username == admin_user_oia.username
    assert [(c.field, c.old, c.new) for c in deactivation.changes] == [("is_active", "yes", "no")]
    role_events = audit.activity(user=admin_user_oia, model=User.groups.through)
    assert sorted(row.pgh_label for row in role_events) == ["delete", "insert"]


# --- pages ---------------------------------------------------------------------------


def test_the_list_shows_roles_clubs_account_and_last_sign_in(admin_client):
    club = ClubFactory(name="Cercle Lyon-Kiel")
    leader = UserFactory(first_name="Klara", last_name="Berg", role=Role.CLUB_LEADER)
    leader.clubs_led.add(club)
    UserFactory(first_name="Otto", last_name="Alt", role=Role.STAFF, is_active=False)
    User.objects.filter(pk=leader.pk).update(last_login=datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC))

    response = admin_client.get(reverse("people:list"))

    content = response.content.decode()
    assert response.status_code == 200
    rows = {row["person"].last_name: row for row in response.context["rows"]}
    assert rows["Berg"]["roles"] == ["Club leader"]
    assert rows["Berg"]["affiliated"] == [club]
    assert "Cercle Lyon-Kiel" in content
    assert "2026-05-04" in content
    assert "deactivated" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?role=club_leader", {"Berg"}),
        ("?role=oia_admin", {"Admin"}),
        ("?active=false", {"Alt"}),
        ("?q=kla+ber", {"Berg"}),
    ],
)
def test_the_list_filters_by_role_active_and_name(client, query, expected):
    sign_in(client, UserFactory(last_name="Admin", role=Role.ADMIN))
    UserFactory(first_name="Klara", last_name="Berg", role=Role.CLUB_LEADER)
    UserFactory(first_name="Otto", last_name="Alt", role=Role.STAFF, is_active=False)

    response = client.get(reverse("people:list") + query)

    assert {row["person"].last_name for row in response.context["rows"]} == expected


def test_a_wrong_filter_answers_400(admin_client):
    assert admin_client.get(reverse("people:list") + "?active=perhaps").status_code == 400


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_costs_the_same_queries_for_few_and_many(admin_client, django_assert_max_num_queries, size):
    for n in range(size):
        leader = UserFactory(role=Role.CLUB_LEADER if n % 2 else Role.STAFF)
        if n % 2:
            leader.clubs_led.add(ClubFactory())

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("people:list"))

    assert len(response.context["rows"]) == size + 1


def test_inviting_on_the_page_leads_to_the_persons_page(admin_client, django_capture_on_commit_callbacks):
    club = ClubFactory()

    with django_capture_on_commit_callbacks() as queued:
        response = admin_client.post(
            reverse("people:invite"),
            {
                "first_name": "Jonas",
                "last_name": "Meier",
                "email": "jonas@example.org",
                "role": Role.CLUB_LEADER,
                "affiliation": club.pk,
            },
        )

    person = User.objects.get(username="jonas@example.org")
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[person.pk])
    assert len(queued) == 1
    assert list(person.clubs_led.all()) == [club]
    page = admin_client.get(response.url)
    assert "invited, no password yet" in page.content.decode()


def test_the_invitation_form_asks_for_a_club_for_a_club_leader(admin_client):
    response = admin_client.post(
        reverse("people:invite"),
        {"first_name": "Jonas", "last_name": "Meier", "email": "jonas@example.org", "role": Role.CLUB_LEADER},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["affiliation"] == ["Choose one for the role Club leader."]
    assert not User.objects.filter(username="jonas@example.org").exists()


def test_roles_are_saved_on_the_persons_page(admin_client):
    person = UserFactory(role=Role.STAFF)

    response = admin_client.post(
        reverse("people:detail", args=[person.pk]), {"roles": [Role.STAFF, Role.COUNCIL], "state": state(person)}
    )

    assert response.status_code == 302
    assert people.roles_held(User.objects.get(pk=person.pk)) == [Role.STAFF, Role.COUNCIL]


def test_a_stale_page_is_refused_with_a_message_and_the_account_as_it_is(admin_client, admin_user_oia):
    person = UserFactory(role=Role.STAFF)
    seen = state(person)
    people.account_set_roles(person=person, by=admin_user_oia, roles=[Role.COUNCIL], affiliated_with={}, state=seen)

    response = admin_client.post(reverse("people:detail", args=[person.pk]), {"roles": [Role.STAFF], "state": seen})

    assert response.status_code == 302
    assert "changed by someone else" in messages_of(response)[0]
    assert people.roles_held(User.objects.get(pk=person.pk)) == [Role.COUNCIL]


def test_an_administrator_is_refused_deactivating_themselves_on_the_page(admin_client, admin_user_oia):
    page = admin_client.get(reverse("people:detail", args=[admin_user_oia.pk]))
    assert reverse("people:deactivate", args=[admin_user_oia.pk]) not in page.content.decode()

    response = admin_client.post(
        reverse("people:deactivate", args=[admin_user_oia.pk]), {"state": state(admin_user_oia)}
    )

    assert messages_of(response) == ["You cannot deactivate your own account."]
    assert User.objects.get(pk=admin_user_oia.pk).is_active


def test_a_leaver_is_deactivated_and_reactivated_on_the_page(admin_client):
    person = UserFactory(role=Role.STAFF)

    asked = admin_client.get(reverse("people:deactivate", args=[person.pk]))
    assert asked.status_code == 200
    assert asked.context["state_form"]["state"].value() == state(person)
    assert User.objects.get(pk=person.pk).is_active  # asking changes nothing
    admin_client.post(reverse("people:deactivate", args=[person.pk]), asked.context["state_form"].initial)
    assert not User.objects.get(pk=person.pk).is_active
    admin_client.post(reverse("people:reactivate", args=[person.pk]), {"state": state(person)})
    assert User.objects.get(pk=person.pk).is_active


# --- who may ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.COUNCIL, Role.CLUB_LEADER])
def test_only_administrators_reach_the_people_pages(client, role):
    client.force_login(UserFactory(role=role))
    person = UserFactory(role=Role.STAFF)

    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:invite")).status_code == 403
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 403
    assert client.post(reverse("people:deactivate", args=[person.pk]), {"state": state(person)}).status_code == 403
    assert User.objects.get(pk=person.pk).is_active


def test_an_administrator_without_the_second_factor_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(role=Role.ADMIN))

    response = client.get(reverse("people:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_enrol"))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("people:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_administrators_find_the_page_in_the_navigation_and_staff_do_not(admin_client):
    staff_client = Client()
    staff_client.force_login(UserFactory(role=Role.STAFF))
    link = f'href="{reverse("people:list")}"'

    assert link in admin_client.get("/").content.decode()
    assert link not in staff_client.get("/").content.decode()


# --- the Django admin --------------------------------------------------------------


def test_an_administrator_reads_the_offices_records_in_the_django_admin_and_changes_none(client):
    admin_client = sign_in(client, UserFactory(role=Role.ADMIN, is_staff=True))
    partnership = PartnershipFactory()
    version = ReportVersionFactory()

    index = admin_client.get(reverse("admin:index"))
    changelist = admin_client.get(reverse("admin:partners_partnership_changelist"))
    record = admin_client.get(reverse("admin:partners_partnership_change", args=[partnership.pk]))
    report = admin_client.get(reverse("admin:reports_reportversion_change", args=[version.pk]))
    change = admin_client.post(reverse("admin:partners_partnership_change", args=[partnership.pk]), {})

    assert index.status_code == 200
    assert reverse("admin:partners_partnership_changelist") in index.content.decode()
    assert changelist.status_code == 200
    assert record.status_code == 200
    assert report.status_code == 200
    assert "pdf" not in report.context["adminform"].form.fields
    assert change.status_code == 403
    assert admin_client.get(reverse("admin:partners_partnership_add")).status_code == 403


def test_office_staff_do_not_read_the_records_in_the_django_admin(client):
    sign_in(client, UserFactory(role=Role.STAFF, is_staff=True), verified=True)

    assert client.get(reverse("admin:partners_partnership_changelist")).status_code == 403
