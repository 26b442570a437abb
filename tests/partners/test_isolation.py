"""Object-level isolation of club leaders, from the outside: every URL of the
portal and every club-related API endpoint, asked by the leader of another
club, answers 404 (or 403 for what leaders may never do), and the owning
leader gets through, so the refusal is about ownership and nothing else.

The leaders of an umbrella association read what its member clubs sent to
the office, and nothing of another association's clubs; they change none of
it. A club's own leader sees nothing of the association's other clubs."""

import pytest
from django.urls import reverse

from budget.models import GrantApplication
from oia.models import Notification
from oia.roles import Role
from partners.models import Club, Exchange
from partners.selectors import visible_to
from tests.factories import (
    ClubAssociationFactory,
    ClubFactory,
    ExchangeFactory,
    ExchangePhotoFactory,
    GrantApplicationFactory,
    UserFactory,
)
from tests.oia.test_permission_matrix import url_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two clubs, each with its leader, an exchange (draft), a photo and a draft application."""
    ours, theirs = ClubFactory(name="Club Kraków"), ClubFactory(name="Club Toronto")
    klaus, ingrid = (
        UserFactory(username="klaus", role=Role.CLUB_LEADER),
        UserFactory(username="ingrid", role=Role.CLUB_LEADER),
    )
    ours.leaders.add(klaus)
    theirs.leaders.add(ingrid)
    exchange = ExchangeFactory(club=theirs, review_status="draft")
    return {
        "ours": ours,
        "theirs": theirs,
        "klaus": klaus,
        "ingrid": ingrid,
        "exchange": exchange,
        "photo": ExchangePhotoFactory(exchange=exchange),
        "application": GrantApplicationFactory(club=theirs, status="draft"),
        # Ingrid's club is in an umbrella association she leads too.
        "association": ClubAssociationFactory(clubs=[theirs], leaders=[ingrid]),
        "notification": Notification.objects.create(user=ingrid, text="The office returned your exchange."),
    }


# name: (kwargs from the world, method)
PORTAL_URLS = {
    "portal:club": (lambda w: {"club": w["theirs"].pk}, "get"),
    "portal:association": (lambda w: {"association": w["association"].pk}, "get"),
    "portal:exchange-create": (lambda w: {"club": w["theirs"].pk}, "get"),
    "portal:grant-create": (lambda w: {"club": w["theirs"].pk}, "get"),
    "portal:exchange-detail": (lambda w: {"pk": w["exchange"].pk}, "get"),
    "portal:exchange-edit": (lambda w: {"pk": w["exchange"].pk}, "get"),
    "portal:exchange-submit": (lambda w: {"pk": w["exchange"].pk}, "post"),
    "portal:photo-create": (lambda w: {"pk": w["exchange"].pk}, "get"),
    "portal:photo": (lambda w: {"pk": w["photo"].pk}, "get"),
    "portal:grant-detail": (lambda w: {"pk": w["application"].pk}, "get"),
    "portal:grant-edit": (lambda w: {"pk": w["application"].pk}, "get"),
    "portal:grant-submit": (lambda w: {"pk": w["application"].pk}, "post"),
    "portal:grant-withdraw": (lambda w: {"pk": w["application"].pk}, "post"),
    "portal:exchange-delete": (lambda w: {"pk": w["exchange"].pk}, "get"),
    "portal:photo-delete": (lambda w: {"pk": w["photo"].pk}, "get"),
    "portal:grant-report": (lambda w: {"pk": w["application"].pk}, "get"),
}
# The portal's only URL without an object: the leader's own club page.
PORTAL_WITHOUT_OBJECT = {"portal:home"}

API_DETAIL = {
    "api:exchange-detail": (lambda w: {"pk": w["exchange"].pk}, "get", None),
    "api:exchange-submit": (lambda w: {"pk": w["exchange"].pk}, "post", None),
    "api:grant-application-detail": (lambda w: {"pk": w["application"].pk}, "get", None),
    "api:grant-application-submit": (lambda w: {"pk": w["application"].pk}, "post", None),
    # A leader's notifications are their own (every role's are: tests/oia/test_api_notifications.py).
    "api:notification-detail": (lambda w: {"pk": w["notification"].pk}, "get", None),
    "api:notification-read": (lambda w: {"pk": w["notification"].pk}, "post", None),
}
# What a leader may never do, even for their own club: 403 before the object is looked at.
API_OFFICE_ACTIONS = {
    "api:exchange-review": (lambda w: {"pk": w["exchange"].pk}, {"decision": "accepted"}),
    "api:grant-application-approve": (lambda w: {"pk": w["application"].pk}, {"approved_amount": "1"}),
    "api:grant-application-reject": (lambda w: {"pk": w["application"].pk}, {"reason": "No."}),
    "api:grant-application-pay": (lambda w: {"pk": w["application"].pk}, {}),
}
# What a leader may never read, even of their own club: the audit history (office staff only).
API_OFFICE_READS = {
    "api:exchange-history": lambda w: {"pk": w["exchange"].pk},
    "api:grant-application-history": lambda w: {"pk": w["application"].pk},
}


def test_every_portal_url_is_checked_here():
    portal = {name for name in url_names() if name.startswith("portal:")}
    assert portal == PORTAL_URLS.keys() | PORTAL_WITHOUT_OBJECT


def test_every_club_related_api_endpoint_is_checked_here():
    prefixes = ("api:exchange-", "api:grant-application-", "api:notification-")
    api = {name for name in url_names() if name.startswith(prefixes)}
    lists = {"api:exchange-list", "api:grant-application-list", "api:notification-list", "api:notification-read-all"}
    assert api == API_DETAIL.keys() | API_OFFICE_ACTIONS.keys() | API_OFFICE_READS.keys() | lists


def _ask(client, name, kwargs, method, data=None):
    url = reverse(name, kwargs=kwargs)
    return client.post(url, data or {}) if method == "post" else client.get(url)


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_another_clubs_leader_gets_404_from_every_portal_url(client, world, name):
    kwargs, method = PORTAL_URLS[name]
    client.force_login(world["klaus"])

    assert _ask(client, name, kwargs(world), method).status_code == 404


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_the_clubs_own_leader_gets_through_every_portal_url(client, world, name):
    kwargs, method = PORTAL_URLS[name]
    client.force_login(world["ingrid"])

    assert _ask(client, name, kwargs(world), method).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(API_DETAIL))
def test_another_clubs_leader_gets_404_from_every_api_object(api_client, world, name):
    kwargs, method, data = API_DETAIL[name]
    api_client.force_authenticate(world["klaus"])

    assert _ask(api_client, name, kwargs(world), method, data).status_code == 404


@pytest.mark.parametrize("name", sorted(API_DETAIL))
def test_the_clubs_own_leader_gets_the_api_object(api_client, world, name):
    kwargs, method, data = API_DETAIL[name]
    api_client.force_authenticate(world["ingrid"])

    assert _ask(api_client, name, kwargs(world), method, data).status_code == 200


@pytest.mark.parametrize("name", sorted(API_OFFICE_READS))
@pytest.mark.parametrize("leader", ["klaus", "ingrid"])
def test_no_leader_may_read_the_audit_history(api_client, world, name, leader):
    api_client.force_authenticate(world[leader])

    assert api_client.get(reverse(name, kwargs=API_OFFICE_READS[name](world))).status_code == 403


@pytest.mark.parametrize("name", sorted(API_OFFICE_ACTIONS))
@pytest.mark.parametrize("leader", ["klaus", "ingrid"])
def test_no_leader_may_review_decide_or_pay(api_client, world, name, leader):
    kwargs, data = API_OFFICE_ACTIONS[name]
    api_client.force_authenticate(world[leader])

    response = api_client.post(reverse(name, kwargs=kwargs(world)), data, format="json")

    assert response.status_code == 403
    assert Exchange.objects.get(pk=world["exchange"].pk).review_status == "draft"
    assert GrantApplication.objects.get(pk=world["application"].pk).status == "draft"


def test_api_lists_hold_only_the_leaders_own_clubs_objects(api_client, world):
    ExchangeFactory(club=world["ours"])
    GrantApplicationFactory(club=world["ours"])
    api_client.force_authenticate(world["klaus"])

    exchanges = api_client.get("/api/exchanges/").json()["results"]
    applications = api_client.get("/api/grant-applications/").json()["results"]

    assert {row["club"] for row in exchanges} == {world["ours"].pk}
    assert {row["club"] for row in applications} == {world["ours"].pk}


def test_a_leaders_notification_list_and_read_all_touch_only_their_own(api_client, world):
    ours = Notification.objects.create(user=world["klaus"], text="Your grant was approved.")
    api_client.force_authenticate(world["klaus"])

    listed = api_client.get("/api/notifications/").json()["results"]
    marked = api_client.post("/api/notifications/read-all/").json()

    assert [row["id"] for row in listed] == [ours.pk]
    assert marked == {"marked": 1}
    assert Notification.objects.get(pk=world["notification"].pk).read_at is None


def test_only_the_clubs_own_leader_deletes_its_draft_through_the_api(api_client, world, staff_user):
    url = f"/api/exchanges/{world['exchange'].pk}/"

    api_client.force_authenticate(world["klaus"])
    another_leader = api_client.delete(url).status_code
    api_client.force_authenticate(staff_user)
    office = api_client.delete(url).status_code
    api_client.force_authenticate(world["ingrid"])
    own_leader = api_client.delete(url).status_code

    assert (another_leader, office, own_leader) == (404, 403, 204)
    assert not Exchange.objects.filter(pk=world["exchange"].pk).exists()


def test_a_submitted_exchange_is_not_deleted_through_the_api(api_client, world):
    submitted = ExchangeFactory(club=world["theirs"], review_status="submitted")
    api_client.force_authenticate(world["ingrid"])

    response = api_client.delete(f"/api/exchanges/{submitted.pk}/")

    assert response.status_code == 400
    assert "Only a draft can be deleted" in str(response.json())
    assert Exchange.objects.filter(pk=submitted.pk).exists()


def test_a_leader_cannot_create_an_exchange_for_another_club(api_client, world):
    api_client.force_authenticate(world["klaus"])
    payload = {
        "club": world["theirs"].pk,
        "partnership": world["exchange"].partnership_id,
        "kind": "sports",
        "direction": "incoming",
        "starts_on": "2026-05-01",
        "ends_on": "2026-05-02",
        "title": "Football",
        "participants_local": 10,
    }

    response = api_client.post("/api/exchanges/", payload, format="json")

    assert response.status_code == 400
    assert "club" in response.json()
    assert not Exchange.objects.filter(title="Football").exists()


def test_a_leader_cannot_set_the_review_state_by_writing_it(api_client, world):
    api_client.force_authenticate(world["ingrid"])
    exchange = world["exchange"]

    response = api_client.patch(
        f"/api/exchanges/{exchange.pk}/", {"review_status": "accepted", "version": exchange.version}, format="json"
    )

    assert response.status_code == 200
    assert Exchange.objects.get(pk=exchange.pk).review_status == "draft"


def test_the_club_page_lists_only_the_leaders_club(client, world):
    ExchangeFactory(club=world["ours"], title="Our choir trip")
    client.force_login(world["klaus"])

    page = client.get(reverse("portal:home")).content.decode()

    assert "Our choir trip" in page
    assert world["exchange"].title not in page
    assert "Club Toronto" not in page


def test_a_leader_of_two_clubs_switches_between_them(client, world):
    world["theirs"].leaders.add(world["klaus"])
    client.force_login(world["klaus"])

    first = client.get(reverse("portal:home"))
    second = client.get(reverse("portal:club", kwargs={"club": world["theirs"].pk}))

    assert first.context["club"] == world["ours"]
    assert second.context["club"] == world["theirs"]
    assert world["exchange"].title in second.content.decode()
    assert reverse("portal:club", kwargs={"club": world["theirs"].pk}) in first.content.decode()


def test_the_scoping_helper_lets_office_see_all_leaders_theirs_and_others_nothing(world):
    everything = Exchange.objects.all()
    staff = UserFactory(role=Role.STAFF)
    council = UserFactory(role=Role.COUNCIL)
    ExchangeFactory(club=world["ours"])

    assert visible_to(staff, everything).count() == 2
    assert list(visible_to(world["ingrid"], everything)) == [world["exchange"]]
    assert not visible_to(council, everything).exists()
    assert list(visible_to(world["klaus"], Club.objects.all(), club_lookup="")) == [world["ours"]]


def test_after_login_a_leader_lands_on_the_club_page(client, world):
    response = client.post(reverse("login"), {"username": "klaus", "password": "correct-horse-battery"}, follow=True)

    assert response.context["club"] == world["ours"]
    assert "Log an exchange" in response.content.decode()
    assert "Apply for a grant" in response.content.decode()


# --- umbrella associations --------------------------------------------------------


@pytest.fixture
def umbrellas(world):
    """Two umbrella associations. Frankfurt's has Klaus's club (Kraków) and Luc's
    club (Lyon) as members and Ulrike, who leads no club, as its leader; Lyon's
    club has sent one exchange to the office (with a photo) and has a draft.
    Toronto's association (Ingrid's club) has Bernd as its leader and a sent exchange."""
    lyon = ClubFactory(name="Club Lyon")
    luc, ulrike, bernd = (UserFactory(username=name, role=Role.CLUB_LEADER) for name in ("luc", "ulrike", "bernd"))
    lyon.leaders.add(luc)
    frankfurt = ClubAssociationFactory(name="Dachverband Frankfurt", clubs=[world["ours"], lyon], leaders=[ulrike])
    world["association"].leaders.add(bernd)
    sent = ExchangeFactory(club=lyon, title="Choir in Lyon", review_status="submitted")
    toronto_sent = ExchangeFactory(club=world["theirs"], title="Hockey in Toronto", review_status="accepted")
    return {
        **world,
        "lyon": lyon,
        "luc": luc,
        "ulrike": ulrike,
        "bernd": bernd,
        "frankfurt": frankfurt,
        "sent": sent,
        "sent_photo": ExchangePhotoFactory(exchange=sent),
        "draft": ExchangeFactory(club=lyon, title="Unfinished draft", review_status="draft"),
        "toronto_sent": toronto_sent,
        # The other association's objects, in the shape PORTAL_URLS asks for.
        "other": {
            "theirs": world["theirs"],
            "exchange": toronto_sent,
            "photo": ExchangePhotoFactory(exchange=toronto_sent),
            "application": world["application"],
            "association": world["association"],
        },
    }


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_an_associations_leader_gets_404_from_every_portal_url_of_another_associations_club(client, umbrellas, name):
    kwargs, method = PORTAL_URLS[name]
    client.force_login(umbrellas["ulrike"])

    assert _ask(client, name, kwargs(umbrellas["other"]), method).status_code == 404


def test_an_associations_leader_reads_a_member_clubs_sent_exchange_and_its_photos(client, umbrellas):
    client.force_login(umbrellas["ulrike"])

    page = client.get(reverse("portal:association", kwargs={"association": umbrellas["frankfurt"].pk}))
    detail = client.get(reverse("portal:exchange-detail", kwargs={"pk": umbrellas["sent"].pk}))
    photo = client.get(reverse("portal:photo", kwargs={"pk": umbrellas["sent_photo"].pk}))

    assert page.status_code == 200
    assert [e.title for e in page.context["exchanges"]] == ["Choir in Lyon"]
    assert {c.name for c in page.context["association"].clubs.all()} == {"Club Kraków", "Club Lyon"}
    assert "Hockey in Toronto" not in page.content.decode()
    assert detail.status_code == 200
    assert detail.context["can_change"] is False
    html = detail.content.decode()
    for action in ("portal:exchange-edit", "portal:exchange-submit", "portal:photo-create", "portal:exchange-delete"):
        assert reverse(action, kwargs={"pk": umbrellas["sent"].pk}) not in html
    assert reverse("portal:photo-delete", kwargs={"pk": umbrellas["sent_photo"].pk}) not in html
    assert reverse("portal:association", kwargs={"association": umbrellas["frankfurt"].pk}) in html
    assert photo.status_code == 200


# What an association's leader may not do to a member club's exchange: each answers 404, as for anyone
# who does not lead the club.
MEMBER_CLUB_WRITES = {
    "portal:club": (lambda u: {"club": u["lyon"].pk}, "get"),
    "portal:exchange-create": (lambda u: {"club": u["lyon"].pk}, "get"),
    "portal:grant-create": (lambda u: {"club": u["lyon"].pk}, "get"),
    "portal:exchange-edit": (lambda u: {"pk": u["sent"].pk}, "get"),
    "portal:exchange-submit": (lambda u: {"pk": u["sent"].pk}, "post"),
    "portal:exchange-delete": (lambda u: {"pk": u["sent"].pk}, "post"),
    "portal:photo-create": (lambda u: {"pk": u["sent"].pk}, "get"),
    "portal:photo-delete": (lambda u: {"pk": u["sent_photo"].pk}, "post"),
}


@pytest.mark.parametrize("name", sorted(MEMBER_CLUB_WRITES))
def test_an_associations_leader_changes_nothing_of_a_member_club_in_the_portal(client, umbrellas, name):
    kwargs, method = MEMBER_CLUB_WRITES[name]
    client.force_login(umbrellas["ulrike"])

    assert _ask(client, name, kwargs(umbrellas), method).status_code == 404
    sent = Exchange.objects.get(pk=umbrellas["sent"].pk)
    assert (sent.review_status, sent.version, sent.photos.count()) == ("submitted", 1, 1)


def test_a_member_clubs_draft_stays_the_clubs_own(client, api_client, umbrellas):
    client.force_login(umbrellas["ulrike"])
    api_client.force_authenticate(umbrellas["ulrike"])

    assert client.get(reverse("portal:exchange-detail", kwargs={"pk": umbrellas["draft"].pk})).status_code == 404
    assert api_client.get(f"/api/exchanges/{umbrellas['draft'].pk}/").status_code == 404


def test_an_associations_leader_reads_member_clubs_exchanges_in_the_api_and_is_refused_writes(api_client, umbrellas):
    api_client.force_authenticate(umbrellas["ulrike"])
    sent = umbrellas["sent"]

    listed = api_client.get("/api/exchanges/").json()["results"]
    detail = api_client.get(f"/api/exchanges/{sent.pk}/")
    patched = api_client.patch(f"/api/exchanges/{sent.pk}/", {"title": "Renamed", "version": 1}, format="json")
    submitted = api_client.post(f"/api/exchanges/{sent.pk}/submit/")
    other = api_client.get(f"/api/exchanges/{umbrellas['toronto_sent'].pk}/")
    created = api_client.post(
        "/api/exchanges/",
        {
            "club": umbrellas["lyon"].pk,
            "partnership": sent.partnership_id,
            "kind": "sports",
            "direction": "incoming",
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-02",
            "title": "Football",
            "participants_local": 10,
        },
        format="json",
    )

    assert [row["title"] for row in listed] == ["Choir in Lyon"]
    assert detail.status_code == 200
    assert patched.status_code == 403
    assert submitted.status_code == 403
    assert other.status_code == 404
    assert created.status_code == 400
    assert "club" in created.json()
    assert Exchange.objects.get(pk=sent.pk).title == "Choir in Lyon"
    assert not Exchange.objects.filter(title="Football").exists()


def test_a_plain_club_leader_sees_nothing_of_the_associations_other_clubs(client, api_client, umbrellas):
    client.force_login(umbrellas["klaus"])
    api_client.force_authenticate(umbrellas["klaus"])
    ExchangeFactory(club=umbrellas["ours"], title="Our choir trip", review_status="submitted")

    listed = api_client.get("/api/exchanges/").json()["results"]

    assert [row["title"] for row in listed] == ["Our choir trip"]
    assert api_client.get(f"/api/exchanges/{umbrellas['sent'].pk}/").status_code == 404
    assert api_client.get("/api/club-associations/").json()["results"] == []
    assert api_client.get(f"/api/club-associations/{umbrellas['frankfurt'].pk}/").status_code == 404
    assert client.get(reverse("portal:exchange-detail", kwargs={"pk": umbrellas["sent"].pk})).status_code == 404
    assert client.get(reverse("portal:photo", kwargs={"pk": umbrellas["sent_photo"].pk})).status_code == 404
    page = client.get(reverse("portal:association", kwargs={"association": umbrellas["frankfurt"].pk}), follow=False)
    assert page.status_code == 404
    assert "Club Lyon" not in client.get(reverse("portal:home")).content.decode()


def test_a_club_leader_who_also_leads_the_association_keeps_full_rights_on_the_own_club(client, api_client, umbrellas):
    klaus = umbrellas["klaus"]
    umbrellas["frankfurt"].leaders.add(klaus)
    own = ExchangeFactory(club=umbrellas["ours"], title="Our choir trip", review_status="returned")
    client.force_login(klaus)
    api_client.force_authenticate(klaus)

    home = client.get(reverse("portal:home")).content.decode()
    own_page = client.get(reverse("portal:exchange-detail", kwargs={"pk": own.pk}))
    member_page = client.get(reverse("portal:exchange-detail", kwargs={"pk": umbrellas["sent"].pk}))
    own_patch = api_client.patch(f"/api/exchanges/{own.pk}/", {"title": "Our choir", "version": 1}, format="json")
    member_patch = api_client.patch(
        f"/api/exchanges/{umbrellas['sent'].pk}/", {"title": "Renamed", "version": 1}, format="json"
    )

    assert reverse("portal:association", kwargs={"association": umbrellas["frankfurt"].pk}) in home
    assert own_page.context["can_change"] is True
    assert reverse("portal:exchange-edit", kwargs={"pk": own.pk}) in own_page.content.decode()
    assert member_page.context["can_change"] is False
    assert reverse("portal:exchange-edit", kwargs={"pk": umbrellas["sent"].pk}) not in member_page.content.decode()
    assert own_patch.status_code == 200
    assert member_patch.status_code == 403
    assert client.get(reverse("portal:exchange-edit", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("portal:exchange-edit", kwargs={"pk": umbrellas["sent"].pk})).status_code == 404


def test_an_association_leader_without_a_club_lands_on_the_link_to_the_association(client, umbrellas):
    client.force_login(umbrellas["ulrike"])

    page = client.get(reverse("portal:home")).content.decode()

    assert reverse("portal:association", kwargs={"association": umbrellas["frankfurt"].pk}) in page
    assert "Dachverband Frankfurt" in page
    assert "not yet registered as the leader of a club" not in page
    assert reverse("portal:association", kwargs={"association": umbrellas["association"].pk}) not in page


def test_every_club_association_api_endpoint_is_checked_here():
    api = {name for name in url_names() if name.startswith("api:club-association-")}
    assert api == {"api:club-association-list", "api:club-association-detail", "api:club-association-history"}


def test_the_association_api_answers_a_leader_only_their_own_and_refuses_writes(api_client, umbrellas):
    api_client.force_authenticate(umbrellas["ulrike"])
    frankfurt, toronto = umbrellas["frankfurt"], umbrellas["association"]

    listed = api_client.get("/api/club-associations/").json()["results"]
    own = api_client.get(f"/api/club-associations/{frankfurt.pk}/")
    other = api_client.get(f"/api/club-associations/{toronto.pk}/")
    history = api_client.get(f"/api/club-associations/{frankfurt.pk}/history/")
    patched = api_client.patch(f"/api/club-associations/{frankfurt.pk}/", {"name": "Mine", "version": 1}, format="json")
    deleted = api_client.delete(f"/api/club-associations/{frankfurt.pk}/")
    created = api_client.post("/api/club-associations/", {"name": "Another"}, format="json")

    assert [row["name"] for row in listed] == ["Dachverband Frankfurt"]
    assert own.status_code == 200
    assert {club["name"] for club in own.json()["clubs"]} == {"Club Kraków", "Club Lyon"}
    assert other.status_code == 404
    assert (history.status_code, patched.status_code, deleted.status_code, created.status_code) == (403, 403, 403, 403)
    frankfurt.refresh_from_db()
    assert (frankfurt.name, frankfurt.version) == ("Dachverband Frankfurt", 1)
