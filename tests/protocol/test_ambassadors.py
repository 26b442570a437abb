"""City ambassadors: the rules of the services (term order, one ambassadorship
per person, a delegation organised named and made official, versions), the
serving filter, the pages in a fixed number of queries, the panel on the
delegation page, and the personal data export."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delegations.models import Delegation
from oia.rights import collectors
from protocol import services
from protocol.filters import AmbassadorFilter
from protocol.models import Ambassador, AmbassadorActivity
from tests.factories import (
    AmbassadorActivityFactory,
    AmbassadorFactory,
    CityFactory,
    DelegationFactory,
    EventFactory,
    PersonFactory,
    ProgrammeItemFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("protocol:ambassador-list")
# Session, user, roles, unread notifications, the count and the rows of the page.
LIST_QUERIES = 6
# The same four, the ambassador, the activities, the invitations, the History section.
DETAIL_QUERIES = 8


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def inbound(**fields):
    return DelegationFactory(direction="inbound", **fields)


# --- appointments -------------------------------------------------------------


def test_an_appointment_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as error:
        services.ambassador_create(
            person=PersonFactory(department=None),
            city=CityFactory(),
            tie="Studied here",
            appointed_on=datetime.date(2025, 1, 1),
            until=datetime.date(2024, 12, 31),
        )
    assert "until" in error.value.message_dict


def test_a_person_is_ambassador_once():
    ambassador = AmbassadorFactory()
    with pytest.raises(ValidationError) as error:
        services.ambassador_create(
            person=ambassador.person, city=CityFactory(), tie="Born here", appointed_on=datetime.date(2025, 1, 1)
        )
    assert error.value.message_dict["person"] == ["This person is already a city ambassador."]


def test_ending_an_appointment_is_refused_before_the_appointment_and_on_a_stale_version():
    ambassador = AmbassadorFactory(appointed_on=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.ambassador_end(ambassador=ambassador, version=ambassador.version, until=datetime.date(2024, 4, 30))
    assert "1 May 2024" in error.value.message_dict["until"][0]

    ended = services.ambassador_end(ambassador=ambassador, version=1, until=datetime.date(2025, 4, 30))
    assert ended.until == datetime.date(2025, 4, 30)
    assert ended.version == 2
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.ambassador_end(ambassador=ambassador, version=1, until=datetime.date(2025, 5, 30))


def test_an_edit_on_a_stale_version_is_refused():
    ambassador = AmbassadorFactory()
    services.ambassador_update(ambassador=ambassador, version=1, tie="Grew up here")
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.ambassador_update(ambassador=ambassador, version=1, tie="Studied here")
    assert Ambassador.objects.get().tie == "Grew up here"


def test_serving_on_a_date_now_and_former():
    early = AmbassadorFactory(appointed_on=datetime.date(2015, 1, 1), until=datetime.date(2019, 12, 31))
    current = AmbassadorFactory(appointed_on=datetime.date(2018, 1, 1), until=None)
    future = AmbassadorFactory(appointed_on=days(30))

    def names(data):
        return set(AmbassadorFilter(data, queryset=Ambassador.objects.all()).qs)

    assert names({"serving_on": "2019-12-31"}) == {early, current}
    assert names({"serving_on": "2020-01-01"}) == {current}
    assert names({"serving": "now"}) == {current}
    assert names({"serving": "former"}) == {early}
    assert future not in names({"serving": "now"})


# --- activities and the official delegation -----------------------------------


def test_a_delegation_organised_needs_its_delegation():
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            ambassador=AmbassadorFactory(), date=today(), kind="delegation", description="Brought the mayor"
        )
    assert error.value.message_dict["delegation"] == ["Choose the delegation the ambassador organised."]


def test_only_a_delegation_organised_names_a_delegation():
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            ambassador=AmbassadorFactory(),
            date=today(),
            kind="introduction",
            description="Introduced a chamber",
            delegation=inbound(),
        )
    assert "delegation" in error.value.message_dict


def test_an_inbound_delegation_organised_by_an_ambassador_becomes_the_citys_official_guest():
    delegation = inbound()
    assert not delegation.official_guest

    activity = services.activity_create(
        ambassador=AmbassadorFactory(),
        date=today(),
        kind="delegation",
        description="Brought a trade mission",
        delegation=delegation,
    )

    delegation.refresh_from_db()
    assert activity.delegation == delegation
    assert delegation.official_guest
    assert delegation.version == 2  # a new version: an open edit form of the delegation is refused


def test_an_outbound_trip_stays_as_it_is_it_is_official_already():
    trip = DelegationFactory(direction="outbound")
    services.activity_create(
        ambassador=AmbassadorFactory(),
        date=today(),
        kind="delegation",
        description="Arranged the visit",
        delegation=trip,
    )
    trip.refresh_from_db()
    assert not trip.official_guest
    assert trip.version == 1
    trip.full_clean()  # still within the delegation's own rules


def test_a_visit_confirmed_without_programme_is_not_made_official_behind_the_workflow():
    visit = inbound(status="confirmed")
    with pytest.raises(ValidationError, match="working programme"):
        services.activity_create(
            ambassador=AmbassadorFactory(), date=today(), kind="delegation", description="Visit", delegation=visit
        )
    assert not AmbassadorActivity.objects.exists()

    ProgrammeItemFactory(delegation=visit)
    services.activity_create(
        ambassador=AmbassadorFactory(), date=today(), kind="delegation", description="Visit", delegation=visit
    )
    assert Delegation.objects.get(pk=visit.pk).official_guest


def test_a_delegation_is_organised_by_one_ambassador_and_must_take_place():
    delegation = inbound()
    AmbassadorActivityFactory(kind="delegation", delegation=delegation)
    with pytest.raises(ValidationError, match="already recorded"):
        services.activity_create(
            ambassador=AmbassadorFactory(), date=today(), kind="delegation", description="Me too", delegation=delegation
        )
    with pytest.raises(ValidationError, match="cancelled or rejected"):
        services.activity_create(
            ambassador=AmbassadorFactory(),
            date=today(),
            kind="delegation",
            description="Called off",
            delegation=inbound(status="cancelled"),
        )


def test_an_activity_edit_names_its_version_and_a_new_delegation_becomes_official():
    activity = AmbassadorActivityFactory()
    delegation = inbound()
    services.activity_update(activity=activity, version=1, kind="delegation", delegation=delegation)
    assert Delegation.objects.get(pk=delegation.pk).official_guest
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.activity_update(activity=activity, version=1, description="Old form")
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.activity_delete(activity=activity, version=1)
    services.activity_delete(activity=activity, version=2)
    assert not AmbassadorActivity.objects.exists()


# --- the delegation page's panel -----------------------------------------------


def test_the_delegation_page_names_the_ambassador_without_a_query_more(staff_client):
    plain = inbound()
    url = reverse("delegations:delegation-detail", args=[plain.pk])
    response = staff_client.get(url)
    assert "Organised by city ambassador" not in response.content.decode()

    organised = inbound()
    ambassador = AmbassadorFactory(person=PersonFactory(name="Akiko Tanabe", department=None))
    AmbassadorActivityFactory(ambassador=ambassador, kind="delegation", delegation=organised)

    with CaptureQueriesContext(connection) as plain_queries:
        staff_client.get(url)
    with CaptureQueriesContext(connection) as organised_queries:
        response = staff_client.get(reverse("delegations:delegation-detail", args=[organised.pk]))
    assert "Organised by city ambassador Akiko Tanabe" in response.content.decode()
    assert len(organised_queries) == len(plain_queries)


# --- pages ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        AmbassadorActivityFactory(ambassador=AmbassadorFactory(areas=["trade", "culture"]))
    with django_assert_max_num_queries(LIST_QUERIES):
        response = staff_client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == count


def test_the_list_filters_by_area_country_and_text(staff_client):
    AmbassadorFactory(
        person=PersonFactory(name="Keiko Sato", department=None),
        city=CityFactory(name="Osaka", country="JP"),
        areas=["culture"],
    )
    AmbassadorFactory(
        person=PersonFactory(name="John Miller", department=None),
        city=CityFactory(name="Chicago", country="US"),
        areas=["trade"],
    )

    def names(**query):
        response = staff_client.get(LIST_URL, query)
        assert response.status_code == 200
        return [a.person.name for a in response.context["object_list"]]

    assert names(area="culture") == ["Keiko Sato"]
    assert names(country="US") == ["John Miller"]
    assert names(q="osak") == ["Keiko Sato"]
    assert names(q="miller") == ["John Miller"]


@pytest.mark.parametrize(
    "query",
    [{"serving_on": "2026-13-45"}, {"area": "cooking"}, {"serving": "maybe"}, {"q": "x" * 500}, {"country": "XX"}],
)
def test_a_wrong_filter_answers_400_not_500(staff_client, query):
    assert staff_client.get(LIST_URL, query).status_code == 400


@pytest.mark.parametrize("activities", [1, 20])
def test_the_detail_page_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, activities):
    ambassador = AmbassadorFactory()
    for _ in range(activities):
        AmbassadorActivityFactory(ambassador=ambassador)
    event = EventFactory(kind="ambassadors_meeting", title="Ambassadors' meeting 2026")
    event.guests.create(person=ambassador.person, ambassador=ambassador, answer="accepted")
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(reverse("protocol:ambassador-detail", args=[ambassador.pk]))
    content = response.content.decode()
    assert "Ambassadors&#x27; meeting 2026" in content
    assert "accepted" in content


def test_the_activity_log_is_newest_first(staff_client):
    ambassador = AmbassadorFactory()
    AmbassadorActivityFactory(ambassador=ambassador, date=datetime.date(2025, 1, 1), description="Older one")
    AmbassadorActivityFactory(ambassador=ambassador, date=datetime.date(2026, 1, 1), description="Newer one")
    content = staff_client.get(reverse("protocol:ambassador-detail", args=[ambassador.pk])).content.decode()
    assert content.index("Newer one") < content.index("Older one")


def test_staff_appoint_an_ambassador_with_the_pickers(staff_client):
    person = PersonFactory(department=None)
    city = CityFactory()
    response = staff_client.post(
        reverse("protocol:ambassador-create"),
        {
            "person": person.pk,
            "city": city.pk,
            "tie": "Born here",
            "appointed_on": "2025-02-01",
            "areas": ["trade", "science"],
        },
    )
    ambassador = Ambassador.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("protocol:ambassador-detail", args=[ambassador.pk])
    assert ambassador.areas == ["trade", "science"]

    again = staff_client.post(
        reverse("protocol:ambassador-create"),
        {"person": person.pk, "city": city.pk, "tie": "Twice", "appointed_on": "2025-02-01"},
    )
    assert again.status_code == 200
    assert "This person is already a city ambassador." in again.content.decode()


def test_a_stale_edit_comes_back_with_the_reason(staff_client):
    ambassador = AmbassadorFactory()
    services.ambassador_update(ambassador=ambassador, version=1, tie="Changed meanwhile")
    response = staff_client.post(
        reverse("protocol:ambassador-edit", args=[ambassador.pk]),
        {
            "person": ambassador.person.pk,
            "city": ambassador.city.pk,
            "tie": "Mine",
            "appointed_on": "2024-01-01",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed" in response.content.decode()
    assert Ambassador.objects.get().tie == "Changed meanwhile"


def test_the_end_form_refuses_a_day_before_the_appointment(staff_client):
    ambassador = AmbassadorFactory(appointed_on=datetime.date(2024, 1, 1))
    url = reverse("protocol:ambassador-end", args=[ambassador.pk])
    refused = staff_client.post(url, {"until": "2023-12-31", "version": 1})
    assert refused.status_code == 200
    assert "cannot end before it started" in refused.content.decode()
    assert staff_client.post(url, {"until": "2026-06-30", "version": 1}).status_code == 302
    assert Ambassador.objects.get().until == datetime.date(2026, 6, 30)


def test_staff_log_edit_and_delete_an_activity_naming_a_delegation(staff_client):
    ambassador = AmbassadorFactory()
    delegation = inbound(title="Trade mission from Osaka")
    response = staff_client.post(
        reverse("protocol:activity-create", args=[ambassador.pk]),
        {
            "date": "2026-03-01",
            "kind": "delegation",
            "description": "Organised the mission",
            "delegation": f"#{delegation.pk}",
        },
    )
    assert response.status_code == 302
    activity = AmbassadorActivity.objects.get()
    assert activity.delegation == delegation
    assert Delegation.objects.get(pk=delegation.pk).official_guest

    missing = staff_client.post(
        reverse("protocol:activity-edit", args=[activity.pk]),
        {"date": "2026-03-01", "kind": "delegation", "description": "No delegation", "delegation": "", "version": 1},
    )
    assert missing.status_code == 200
    assert "Choose the delegation" in missing.content.decode()

    stale = staff_client.post(reverse("protocol:activity-delete", args=[activity.pk]), {"version": 0})
    assert stale.status_code == 200
    assert AmbassadorActivity.objects.exists()
    assert staff_client.post(reverse("protocol:activity-delete", args=[activity.pk]), {"version": 1}).status_code == 302
    assert not AmbassadorActivity.objects.exists()


@pytest.mark.parametrize("user_fixture", ["council_user", "club_leader_user"])
def test_council_members_and_club_leaders_cannot_write(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    activity = AmbassadorActivityFactory()
    ambassador = activity.ambassador
    for name, pk in [
        ("protocol:ambassador-create", None),
        ("protocol:ambassador-edit", ambassador.pk),
        ("protocol:ambassador-end", ambassador.pk),
        ("protocol:activity-create", ambassador.pk),
        ("protocol:activity-edit", activity.pk),
        ("protocol:activity-delete", activity.pk),
    ]:
        url = reverse(name, args=[pk] if pk else [])
        assert client.post(url, {"until": "2030-01-01", "version": 1}).status_code == 403
    assert AmbassadorActivity.objects.count() == 1
    assert Ambassador.objects.get().until is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    ambassador = AmbassadorFactory()
    response = client.post(reverse("protocol:ambassador-end", args=[ambassador.pk]), {"until": "2030-01-01"})
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- personal data -------------------------------------------------------------


def test_the_data_export_of_a_person_holds_their_ambassadorship_and_activities():
    activity = AmbassadorActivityFactory(description="Introduced a museum")
    person = activity.ambassador.person
    exported = {collector.key: collector.collect(person) for collector in collectors("person")}
    assert exported["ambassadorship"][0]["tie"] == activity.ambassador.tie
    assert exported["ambassador_activities"][0]["description"] == "Introduced a museum"
