"""What a club leader reads, field by field: the reviewed allowlist of every
API answer a leader can reach (found by walking the router, so a new endpoint
cannot be forgotten), and the portal pages (found by walking the ``portal``
URL patterns) rendered over a world full of the office's internal markers:
notes, the responsible officer, status-change reasons, staff names, another
club. A new field or page fails here until it is reviewed and listed."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from budget.models import GrantRules
from oia.api.urls import router
from oia.api.urls import urlpatterns as api_urlpatterns
from oia.models import Notification
from oia.roles import Role
from partners.models import ExchangeEvent, StatusChange
from tests.factories import (
    BudgetLineFactory,
    ClubAssociationFactory,
    ClubFactory,
    EventCostFactory,
    EventFactory,
    ExchangeFactory,
    ExchangePhotoFactory,
    GrantApplicationFactory,
    GuestFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Strings only the office may see; none may reach a leader, in any answer or page.
MARKERS = {
    "notes": "ZZNOTESZZ",
    "reason": "ZZREASONZZ",
    "officer": "zzofficerzz",
    "recorder": "zzrecorderzz",
    "reviewer": "zzreviewerzz",
    "decider": "zzdeciderzz",
    "rules": "zzruleszz",
    "other club": "ZZOTHERCLUBZZ",
    "other exchange": "ZZOTHEREXCHANGEZZ",
    "budget line": "ZZLINEZZ",
    "co-leader": "zzcoleaderzz",
    "other association": "ZZOTHERASSOCIATIONZZ",
    "member club's draft": "ZZMEMBERDRAFTZZ",
    "invitation-only event": "ZZPRIVATEEVENTZZ",
    "guest": "ZZGUESTZZ",
    "event cost": "ZZEVENTCOSTZZ",
}


def _staff(marker):
    """A staff member whose username and full name carry ``marker``."""
    return UserFactory(username=marker, first_name=f"{marker}first", last_name=f"{marker}last", role=Role.STAFF)


@pytest.fixture
def world():
    leader = UserFactory(username="klaus", first_name="Klaus", last_name="Leader", role=Role.CLUB_LEADER)
    partnership = PartnershipFactory(notes=MARKERS["notes"], responsible_officer=_staff(MARKERS["officer"]))
    StatusChange.objects.create(
        partnership=partnership,
        status="dormant",
        effective_on=datetime.date(2020, 1, 1),
        reason=MARKERS["reason"],
        recorded_by=_staff(MARKERS["recorder"]),
    )
    club = ClubFactory(name="Choir of Kraków", partnerships=[partnership])
    club.leaders.add(leader)
    exchange = ExchangeFactory(club=club, partnership=partnership, review_status="returned", created_by=leader)
    ExchangeEvent.objects.create(exchange=exchange, action="created", by=leader)
    ExchangeEvent.objects.create(
        exchange=exchange, action="returned", by=_staff(MARKERS["reviewer"]), comment="Add the dates."
    )
    photo = ExchangePhotoFactory(exchange=exchange, caption="On stage")
    application = GrantApplicationFactory(
        club=club,
        partnership=partnership,
        status="approved",
        approved_amount=1000,
        conditions="Send the report by July.",
        budget_line=BudgetLineFactory(name=MARKERS["budget line"]),
        decided_by=_staff(MARKERS["decider"]),
        decided_at=timezone.now(),
        created_by=leader,
    )
    Notification.objects.create(user=leader, text="The office accepted your exchange.", url="/portal/")
    rules = GrantRules.current()
    rules.updated_by = _staff(MARKERS["rules"])
    rules.save()
    # Another club with its own partnership, exchange and application.
    other_partnership = PartnershipFactory(notes=MARKERS["other club"])
    other = ClubFactory(name=MARKERS["other club"], partnerships=[other_partnership])
    other.leaders.add(UserFactory(username="ingrid", role=Role.CLUB_LEADER))
    ExchangeFactory(club=other, partnership=other_partnership, title=MARKERS["other exchange"])
    GrantApplicationFactory(club=other, partnership=other_partnership, destination=MARKERS["other club"])
    # The umbrella association Klaus leads with another leader, and a member club with a sent
    # exchange and a draft; the other club is in another association.
    member = ClubFactory(name="Choir of Lyon", partnerships=[PartnershipFactory()])
    association = ClubAssociationFactory(
        name="Dachverband", clubs=[club, member], leaders=[leader, UserFactory(username=MARKERS["co-leader"])]
    )
    member_exchange = ExchangeFactory(club=member, review_status="submitted", title="Choir festival in Lyon")
    ExchangeFactory(club=member, review_status="draft", title=MARKERS["member club's draft"])
    ClubAssociationFactory(name=MARKERS["other association"], clubs=[other])
    # Leaders read public events as their public page shows them: nothing internal, no private event.
    europe_day = EventFactory(title="Europe Day", is_public=True, internal_notes=MARKERS["notes"])
    GuestFactory(event=europe_day, person=PersonFactory(name=MARKERS["guest"]))
    EventCostFactory(event=europe_day, description=MARKERS["event cost"])
    EventFactory(title=MARKERS["invitation-only event"], is_public=False)
    return {
        "leader": leader,
        "club": club,
        "exchange": exchange,
        "photo": photo,
        "application": application,
        "association": association,
        "member_exchange": member_exchange,
    }


def field_paths(value, prefix=""):
    """Every key in an answer, nested ones as ``parent.child`` (list items share their parent's path)."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(prefix + key)
            found |= field_paths(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for item in value:
            found |= field_paths(item, prefix)
    return found


def _page(*fields):
    return {"count", "count_is_estimate", "next", "previous", "results", *(f"results.{f}" for f in fields)}


CITY = [
    "id",
    "name",
    "local_name",
    "country",
    "region",
    "latitude",
    "longitude",
    "population",
    "geonames_id",
    "alternative_names",
]
PARTNERSHIP = [
    "id",
    "partner_city",
    *(f"partner_city.{f}" for f in CITY),
    "kind",
    "formalised_on",
    "formalised_year_only",
    "ends_on",
    "areas",
    "current_status",
    "current_status.status",
    "current_status.effective_on",
    "next_anniversary",
    "next_anniversary.years",
    "next_anniversary.date",
    "next_anniversary.year_only",
]
CLUB = [
    "id",
    "name",
    "partnerships",
    "founded_on",
    "member_count",
    "contact_email",
    "contact_phone",
    "in_umbrella_alliance",
]
EXCHANGE = [
    "id",
    "club",
    "partnership",
    "kind",
    "direction",
    "starts_on",
    "ends_on",
    "title",
    "description",
    "participants_local",
    "participants_partner",
    "young_participants",
    "partner_organisations",
    "reciprocity",
    "review_status",
    "review_comment",
    "version",
]
GRANT_APPLICATION = [
    "id",
    "club",
    "partnership",
    "starts_on",
    "ends_on",
    "destination",
    "programme_summary",
    "travellers",
    "students",
    "total_costs",
    "own_contribution",
    "requested_amount",
    "partner_contact",
    "status",
    "allowed_amount",
    "approved_amount",
    "conditions",
    "rejection_reason",
    "decided_at",
    "actual_travellers",
    "report",
    "exchange",
    "version",
]
GRANT_RULES = ["id", "base_rate", "student_rate", "max_per_application", "yearly_cap_per_club"]
# An umbrella association its leader leads: its contact and its member clubs' names, not its leaders.
CLUB_ASSOCIATION = [
    "id",
    "name",
    "contact_email",
    "contact_phone",
    "postal_address",
    "clubs",
    "clubs.id",
    "clubs.name",
]

# A public event, as its public page shows it.
PUBLIC_EVENT = ["id", "title", "kind", "starts_at", "ends_at", "place", "summary", "programme"]

# The leader's own notifications (not how they were e-mailed).
NOTIFICATION = ["id", "text", "url", "created_at", "read_at", "read"]

# The reviewed allowlist: every API answer a leader can read, by URL name.
LEADER_FIELDS = {
    "api:partnership-list": _page(*PARTNERSHIP),
    "api:partnership-detail": set(PARTNERSHIP),
    "api:partnership-status-changes": {"status", "effective_on"},
    "api:club-list": _page(*CLUB),
    "api:club-detail": set(CLUB),
    "api:club-association-list": _page(*CLUB_ASSOCIATION),
    "api:club-association-detail": set(CLUB_ASSOCIATION),
    "api:exchange-list": _page(*EXCHANGE),
    "api:exchange-detail": set(EXCHANGE),
    "api:grant-application-list": _page(*GRANT_APPLICATION),
    "api:grant-application-detail": set(GRANT_APPLICATION),
    "api:grant-rules-list": set(GRANT_RULES),
    "api:grant-rules-detail": set(GRANT_RULES),
    "api:event-list": _page(*PUBLIC_EVENT),
    "api:event-detail": set(PUBLIC_EVENT),
    "api:notification-list": _page(*NOTIFICATION),
    "api:notification-detail": set(NOTIFICATION),
    "api:me": {"username", "full_name", "roles"},
}
# Endpoints outside the router that hold no data of the office.
API_WITHOUT_DATA = {"api:token", "api:schema", "api:docs"}


def _leader_readable(api_client):
    """The router's endpoints a leader can list (200), with their detail and
    detail GET actions, as {url name: url}: found by asking, not by listing."""
    found = {}
    for prefix, viewset, basename in router.registry:
        if not hasattr(viewset, "list"):  # nothing to read (removing a participant)
            continue
        # A delegation's own records sit under it: any delegation's number will do for the refusal.
        parents = {"delegation_pk": 1} if "delegation_pk" in prefix else {}
        response = api_client.get(reverse(f"api:{basename}-list", kwargs=parents))
        if response.status_code == 200:
            found[f"api:{basename}-list"] = reverse(f"api:{basename}-list")
            body = response.json()
            rows = body["results"] if isinstance(body, dict) else body
            assert rows, f"Give the leader a row of {prefix} so its detail is checked too."
            pk = rows[0]["id"]
            found[f"api:{basename}-detail"] = reverse(f"api:{basename}-detail", args=[pk])
            for action in viewset.get_extra_actions():
                if action.detail and "get" in action.mapping:
                    name = f"api:{basename}-{action.url_name}"
                    url = reverse(name, args=[pk])
                    if api_client.get(url).status_code != 403:  # not office-only (the audit history is)
                        found[name] = url
        else:
            assert response.status_code == 403, (prefix, response.status_code)
    return found


def test_every_api_answer_a_leader_can_read_holds_exactly_the_reviewed_fields(api_client, world):
    api_client.force_authenticate(world["leader"])
    readable = _leader_readable(api_client)
    readable["api:me"] = reverse("api:me")

    assert readable.keys() == LEADER_FIELDS.keys(), "Review the fields of a new leader endpoint."
    for name, url in readable.items():
        response = api_client.get(url)
        assert response.status_code == 200, name
        assert field_paths(response.json()) == LEADER_FIELDS[name], name
        for label, marker in MARKERS.items():
            assert marker.lower() not in response.content.decode().lower(), (name, label)


def test_every_api_url_outside_the_router_is_reviewed():
    names = {f"api:{p.name}" for p in api_urlpatterns if isinstance(p, URLPattern) and p.name}
    router_names = {f"api:{p.name}" for p in router.urls if p.name}
    assert names - router_names == {"api:me"} | API_WITHOUT_DATA


def test_the_office_still_reads_its_internal_fields(staff_api, world):
    """The allowlist is the leader's: the office keeps notes, officer and reasons."""
    partnership = world["club"].partnerships.get()

    data = staff_api.get(reverse("api:partnership-detail", args=[partnership.pk])).json()
    changes = staff_api.get(reverse("api:partnership-status-changes", args=[partnership.pk])).json()

    assert data["notes"] == MARKERS["notes"]
    assert data["responsible_officer"] == partnership.responsible_officer_id
    assert data["current_status"]["reason"] == MARKERS["reason"]
    assert data["current_status"]["recorded_by"] == MARKERS["recorder"]
    assert changes[0]["reason"] == MARKERS["reason"]


def test_an_action_answers_a_leader_in_the_leaders_shape(api_client, world):
    api_client.force_authenticate(world["leader"])
    exchange = world["exchange"]
    exchange.review_status = "draft"
    exchange.save()

    submitted = api_client.post(reverse("api:exchange-submit", args=[exchange.pk]))

    assert submitted.status_code == 200
    assert field_paths(submitted.json()) == set(EXCHANGE)


# --- the portal ------------------------------------------------------------------

# Every portal page, with the world's object it shows.
PORTAL_PAGES = {
    "portal:home": lambda w: {},
    "portal:club": lambda w: {"club": w["club"].pk},
    "portal:association": lambda w: {"association": w["association"].pk},
    "portal:exchange-create": lambda w: {"club": w["club"].pk},
    "portal:grant-create": lambda w: {"club": w["club"].pk},
    "portal:exchange-detail": lambda w: {"pk": w["exchange"].pk},
    "portal:exchange-edit": lambda w: {"pk": w["exchange"].pk},
    "portal:exchange-submit": lambda w: {"pk": w["exchange"].pk},
    "portal:exchange-delete": lambda w: {"pk": w["exchange"].pk},
    "portal:photo-create": lambda w: {"pk": w["exchange"].pk},
    "portal:photo": lambda w: {"pk": w["photo"].pk},
    "portal:photo-delete": lambda w: {"pk": w["photo"].pk},
    "portal:grant-detail": lambda w: {"pk": w["application"].pk},
    "portal:grant-edit": lambda w: {"pk": w["application"].pk},
    "portal:grant-submit": lambda w: {"pk": w["application"].pk},
    "portal:grant-withdraw": lambda w: {"pk": w["application"].pk},
    "portal:grant-report": lambda w: {"pk": w["application"].pk},
}


def portal_names():
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "portal":
            return {f"portal:{p.name}" for p in pattern.url_patterns if p.name}
    raise AssertionError("No portal namespace.")


def test_every_portal_page_is_checked_for_internal_fields():
    assert portal_names() == PORTAL_PAGES.keys(), "Add the new portal page to PORTAL_PAGES."


@pytest.mark.parametrize("name", sorted(PORTAL_PAGES))
def test_no_portal_page_shows_the_offices_internal_fields(client, world, name):
    client.force_login(world["leader"])

    response = client.get(reverse(name, kwargs=PORTAL_PAGES[name](world)), follow=True)

    assert response.status_code in (200, 405), response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for label, marker in MARKERS.items():
        assert marker.lower().encode() not in body.lower(), label


def test_a_member_clubs_exchange_read_through_the_association_shows_no_internal_fields(client, api_client, world):
    client.force_login(world["leader"])
    api_client.force_authenticate(world["leader"])
    exchange = world["member_exchange"]

    page = client.get(reverse("portal:exchange-detail", args=[exchange.pk]))
    answer = api_client.get(reverse("api:exchange-detail", args=[exchange.pk]))

    assert page.status_code == 200
    assert "Choir festival in Lyon" in page.content.decode()
    assert field_paths(answer.json()) == set(EXCHANGE)
    for body in (page.content, answer.content):
        for label, marker in MARKERS.items():
            assert marker.lower().encode() not in body.lower(), label


def test_the_portal_names_the_clubs_leader_and_calls_the_staff_the_office(client, world):
    client.force_login(world["leader"])

    page = client.get(reverse("portal:exchange-detail", args=[world["exchange"].pk])).content.decode()

    assert "(Klaus Leader)" in page
    assert "(the office): “Add the dates.”" in page


def test_the_offices_review_page_still_names_the_reviewer(staff_client, world):
    page = staff_client.get(reverse("partners:exchange-review", args=[world["exchange"].pk])).content.decode()

    assert f"{MARKERS['reviewer']}first {MARKERS['reviewer']}last" in page


def test_the_schema_served_to_a_leader_documents_what_a_leader_receives(api_client, db):
    """schemathesis reads the schema as the leader and checks every answer against it."""
    leader = UserFactory(username="schema-leader", role=Role.CLUB_LEADER)
    api_client.force_authenticate(leader)

    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    history = schema["paths"]["/api/partnerships/{id}/status-changes/"]["get"]["responses"]["200"]
    item = history["content"]["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert sorted(schema["components"]["schemas"][item]["properties"]) == ["effective_on", "status"]
    email = schema["components"]["schemas"]["LeaderClub"]["properties"]["contact_email"]
    assert {"type": "string", "maxLength": 0} in email["oneOf"]  # a club without an address answers ""


@pytest.mark.parametrize(
    ("path", "office", "leader"),
    [
        ("/api/exchanges/{id}/submit/", "Exchange", "LeaderExchange"),
        ("/api/grant-applications/{id}/submit/", "GrantApplication", "LeaderGrantApplication"),
    ],
)
def test_the_schema_documents_a_submit_answer_in_the_shape_each_role_receives(
    api_client, admin_api, path, office, leader
):
    """Found by make fuzz-ci: a leader's submitted application was checked
    against the office's shape (with the budget line a leader never sees)."""
    api_client.force_authenticate(UserFactory(username="schema-leader", role=Role.CLUB_LEADER))

    def answer(client):
        schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
        return schema["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert answer(api_client) == {"$ref": f"#/components/schemas/{leader}"}
    assert answer(admin_api) == {"$ref": f"#/components/schemas/{office}"}
