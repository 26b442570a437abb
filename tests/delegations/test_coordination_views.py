"""Pages for office staff: coordination cases, people, the briefing sheet,
and the delegations on a partnership's page."""

import datetime

import pytest
from django.urls import reverse

from delegations.models import CoordinationCase, Person
from partners.anniversaries import next_anniversary
from partners.models import AreaOfCooperation
from tests.factories import (
    CityFactory,
    ClubFactory,
    CoordinationCaseFactory,
    DelegationFactory,
    DepartmentFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    ProgrammeItemFactory,
)

CASES_URL = reverse("delegations:coordination-list")
PEOPLE_URL = reverse("delegations:person-list")
PERSON_CREATE_URL = reverse("delegations:person-create")
# Session, user, roles, the page count, the rows (with both delegations), the unread notifications.
CASE_LIST_QUERIES = 6
# As above, plus the departments of the filter form.
PERSON_LIST_QUERIES = 7
# Session, user, roles, the delegation, its partnership, areas, clubs, programme,
# participants, the unread notifications.
BRIEFING_QUERIES = 10


def resolve_url(case):
    return reverse("delegations:coordination-resolve", args=[case.pk])


def detail_url(delegation):
    return reverse("delegations:delegation-detail", args=[delegation.pk])


# --- coordination cases ----------------------------------------------------


def test_list_shows_open_cases_first_with_both_delegations(staff_client):
    krakow = CityFactory(name="Kraków", country="PL")
    open_case = CoordinationCaseFactory(
        trip=DelegationFactory(
            title="Culture trip",
            city=krakow,
            department=DepartmentFactory(name="Culture Office"),
            status="submitted",
        ),
        other=DelegationFactory(
            title="Economy trip", city=krakow, department=DepartmentFactory(name="Economic Development")
        ),
    )
    # Found later, so newer: the list must still put it after the open case.
    done = CoordinationCaseFactory(state="coordinated", comment="Joint programme agreed.")

    html = staff_client.get(CASES_URL).content.decode()

    assert html.index("Culture trip") < html.index(done.trip.title)
    for text in ["Culture Office", "Economic Development", "Kraków, Poland", "2026-04-20", "2026-04-22"]:
        assert text in html
    assert f'href="{detail_url(open_case.trip)}">Culture trip</a>' in html
    assert f'href="{detail_url(open_case.other)}">Economy trip</a>' in html
    assert "Same city" in html
    assert "Submitted" in html
    assert "Joint programme agreed." in html


def test_only_open_cases_offer_to_be_marked_as_coordinated(staff_client):
    open_case = CoordinationCaseFactory()
    done = CoordinationCaseFactory(state="coordinated", comment="Shared contacts.")

    html = staff_client.get(CASES_URL).content.decode()

    assert f'href="{resolve_url(open_case)}"' in html
    assert f'href="{resolve_url(done)}"' not in html


def test_list_filters_by_state(staff_client):
    open_case = CoordinationCaseFactory()
    done = CoordinationCaseFactory(state="coordinated", comment="Shared contacts.")

    response = staff_client.get(CASES_URL, {"state": "coordinated"})

    assert [case.pk for case in response.context["object_list"]] == [done.pk]
    assert open_case.trip.title not in response.content.decode()


@pytest.mark.parametrize("count", [1, 100])
def test_case_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        CoordinationCaseFactory()

    with django_assert_max_num_queries(CASE_LIST_QUERIES):
        response = staff_client.get(CASES_URL)

    assert response.context["page_obj"].paginator.count == count


def test_resolve_page_shows_both_delegations(staff_client):
    case = CoordinationCaseFactory(match="same_country")

    html = staff_client.get(resolve_url(case)).content.decode()

    assert f'href="{detail_url(case.trip)}">{case.trip.title}</a>' in html
    assert f'href="{detail_url(case.other)}">{case.other.title}</a>' in html
    assert "Same country" in html
    assert '<label for="id_comment">' in html


@pytest.mark.parametrize("comment", ["", "   "])
def test_resolving_needs_a_comment(staff_client, comment):
    case = CoordinationCaseFactory()

    response = staff_client.post(resolve_url(case), {"comment": comment})

    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    case.refresh_from_db()
    assert case.state == "open"
    assert case.resolved_at is None


def test_resolving_records_who_how_and_when(staff_client, staff_user):
    case = CoordinationCaseFactory()

    response = staff_client.post(resolve_url(case), {"comment": "One programme for both departments."}, follow=True)

    assert response.redirect_chain == [(CASES_URL, 302)]
    case.refresh_from_db()
    assert case.state == "coordinated"
    assert case.comment == "One programme for both departments."
    assert case.resolved_by == staff_user
    assert case.resolved_at is not None
    html = response.content.decode()
    assert "are marked as coordinated" in html
    assert f'href="{resolve_url(case)}"' not in html


def test_resolving_a_coordinated_case_again_changes_nothing(staff_client):
    case = CoordinationCaseFactory(state="coordinated", comment="First answer.")

    response = staff_client.post(resolve_url(case), {"comment": "Second answer."})

    assert response.status_code == 302
    assert CoordinationCase.objects.get(pk=case.pk).comment == "First answer."


# --- people ------------------------------------------------------------------


def test_people_list_filters_by_name_and_department(staff_client):
    culture = DepartmentFactory(name="Culture Office")
    PersonFactory(name="Anna Becker", department=culture)
    PersonFactory(name="Anna Schulz")
    PersonFactory(name="Jan Kowalski", department=None, organisation="Kraków City Hall")

    by_name = staff_client.get(PEOPLE_URL, {"q": "anna"}).content.decode()
    by_department = staff_client.get(PEOPLE_URL, {"department": culture.pk}).content.decode()

    assert "Anna Becker" in by_name
    assert "Anna Schulz" in by_name
    assert "Jan Kowalski" not in by_name
    assert "Anna Becker" in by_department
    assert "Anna Schulz" not in by_department


def test_people_list_shows_department_or_organisation_but_no_needs(staff_client):
    PersonFactory(name="Jan Kowalski", department=None, organisation="Kraków City Hall", dietary_needs="Vegan")

    html = staff_client.get(PEOPLE_URL).content.decode()

    assert "Kraków City Hall" in html
    assert "Vegan" not in html


def test_people_list_is_paginated(staff_client):
    for number in range(51):
        PersonFactory(name=f"Person {number:02d}")

    first = staff_client.get(PEOPLE_URL)
    second = staff_client.get(PEOPLE_URL, {"page": 2})

    assert len(first.context["object_list"]) == 50
    assert [person.name for person in second.context["object_list"]] == ["Person 50"]
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("count", [1, 60])
def test_people_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        PersonFactory(city=CityFactory())

    with django_assert_max_num_queries(PERSON_LIST_QUERIES):
        response = staff_client.get(PEOPLE_URL)

    assert response.context["page_obj"].paginator.count == count


def test_an_official_is_created_with_a_department(staff_client):
    culture = DepartmentFactory(name="Culture Office")

    response = staff_client.post(
        PERSON_CREATE_URL,
        {"name": "Eva Lang", "title": "Head of Culture", "department": culture.pk, "dietary_needs": "Vegetarian"},
    )

    assert response.status_code == 302
    assert response["Location"] == PEOPLE_URL
    person = Person.objects.get(name="Eva Lang")
    assert person.is_official
    assert person.dietary_needs == "Vegetarian"


def test_a_visitor_is_created_with_an_organisation_and_the_country_of_the_city(staff_client):
    krakow = CityFactory(name="Kraków", country="PL")

    response = staff_client.post(
        PERSON_CREATE_URL, {"name": "Jan Kowalski", "organisation": "Kraków City Hall", "city": krakow.pk}
    )

    assert response.status_code == 302
    person = Person.objects.get(name="Jan Kowalski")
    assert not person.is_official
    assert person.country.code == "PL"


def test_a_person_needs_a_department_or_an_organisation(staff_client):
    response = staff_client.post(PERSON_CREATE_URL, {"name": "Nobody Known"})

    assert response.status_code == 200
    assert "Give the department (for an official of our city) or the organisation" in response.content.decode()
    assert not Person.objects.exists()


def test_a_person_cannot_have_both_a_department_and_an_organisation(staff_client):
    response = staff_client.post(
        PERSON_CREATE_URL,
        {"name": "Eva Lang", "department": DepartmentFactory().pk, "organisation": "Kraków City Hall"},
    )

    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not Person.objects.exists()


def test_a_city_in_another_country_is_refused(staff_client):
    response = staff_client.post(
        PERSON_CREATE_URL,
        {"name": "Jan Kowalski", "organisation": "City Hall", "city": CityFactory(country="PL").pk, "country": "FR"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["country"]
    assert not Person.objects.exists()


def test_person_form_labels_its_fields(staff_client):
    html = staff_client.get(PERSON_CREATE_URL).content.decode()

    for name in ["name", "title", "department", "organisation", "city", "country", "email", "dietary_needs"]:
        assert f'<label for="id_{name}">' in html
    assert html.count("<h1>") == 1


# --- briefing ----------------------------------------------------------------


@pytest.fixture
def briefed_trip(db):
    """A trip to Kraków within the partnership, with a programme recorded out of order."""
    krakow = CityFactory(name="Kraków", country="PL")
    partnership = PartnershipFactory(partner_city=krakow, formalised_on=datetime.date(1991, 6, 1))
    partnership.areas.set([AreaOfCooperation.objects.get_or_create(name="Youth exchange")[0]])
    ClubFactory(name="Freundeskreis Kraków e.V.", partnerships=[partnership])
    trip = DelegationFactory(
        title="35 years of partnership with Kraków",
        city=krakow,
        partnership=partnership,
        purpose="anniversary",
        public_summary="The mayor opens the jubilee exhibition.",
        head_count=2,
        head_count_note="press photographers",
    )
    day_one, day_two = trip.start_on, trip.start_on + datetime.timedelta(days=1)
    ProgrammeItemFactory(delegation=trip, date=day_two, starts_at=datetime.time(10), title="Visit of the youth centre")
    ProgrammeItemFactory(
        delegation=trip,
        date=day_one,
        starts_at=datetime.time(14),
        ends_at=datetime.time(15, 30),
        title="Signing ceremony",
        place="Wawel Castle",
        hosts="Mayor of Kraków",
        counterparts="Deputy Mayor for Culture",
    )
    ProgrammeItemFactory(delegation=trip, date=day_one, starts_at=datetime.time(9), title="Reception at City Hall")
    mayor = PersonFactory(name="Maria Mayor", title="Lord Mayor", dietary_needs="No pork", accessibility_needs="Ramp")
    ParticipantFactory(delegation=trip, person=PersonFactory(name="Aaron Aide", title="Adviser"), role="member")
    ParticipantFactory(delegation=trip, person=mayor, role="lead")
    return trip


def test_briefing_shows_the_trip_and_its_partnership(staff_client, briefed_trip):
    html = staff_client.get(reverse("delegations:briefing", args=[briefed_trip.pk])).content.decode()

    assert "<h1>35 years of partnership with Kraków</h1>" in html
    for text in [
        'datetime="2026-04-20"',
        'datetime="2026-04-22"',
        "Destination",
        "Kraków, Poland",
        "Anniversary",
        "1 June 1991",
        "Active",
        "Youth exchange",
        "Freundeskreis Kraków e.V.",
        "The mayor opens the jubilee exhibition.",
        "Plus 2 further members: press photographers",
    ]:
        assert text in html, text


def test_briefing_shows_the_next_anniversary(staff_client, briefed_trip):
    expected = next_anniversary(briefed_trip.partnership)

    html = staff_client.get(reverse("delegations:briefing", args=[briefed_trip.pk])).content.decode()

    assert expected is not None
    assert f"{expected.years} years on {expected.display_date}" in html


def test_briefing_shows_the_programme_by_day_in_order(staff_client, briefed_trip):
    html = staff_client.get(reverse("delegations:briefing", args=[briefed_trip.pk])).content.decode()

    order = [
        html.index("Reception at City Hall"),
        html.index("Signing ceremony"),
        html.index("Visit of the youth centre"),
    ]
    assert order == sorted(order)
    assert html.count('<table class="programme-day">') == 2
    for text in ["09:00", "14:00–15:30", "Wawel Castle", "Mayor of Kraków", "Deputy Mayor for Culture"]:
        assert text in html


def test_briefing_lists_participants_lead_first_without_personal_needs(staff_client, briefed_trip):
    html = staff_client.get(reverse("delegations:briefing", args=[briefed_trip.pk])).content.decode()

    assert html.index("Maria Mayor") < html.index("Aaron Aide")
    assert "Head of delegation" in html
    assert "Lord Mayor" in html
    assert "No pork" not in html
    assert "Ramp" not in html
    assert "dietary" not in html.lower()


def test_briefing_links_the_print_stylesheet(staff_client, briefed_trip):
    html = staff_client.get(reverse("delegations:briefing", args=[briefed_trip.pk])).content.decode()

    assert 'href="/static/css/print.css" media="print"' in html


def test_briefing_of_a_visit_without_partnership_says_where_the_visitors_come_from(staff_client):
    visit = DelegationFactory(direction="inbound", city=CityFactory(name="Lyon"), partnership=None)

    html = staff_client.get(reverse("delegations:briefing", args=[visit.pk])).content.decode()

    assert "Coming from" in html
    assert "Lyon, France" in html
    assert "Background: the partnership" not in html
    assert "No working programme recorded yet." in html


@pytest.mark.parametrize("count", [1, 20])
def test_briefing_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    partnership = PartnershipFactory()
    ClubFactory(partnerships=[partnership])
    trip = DelegationFactory(city=partnership.partner_city, partnership=partnership)
    for number in range(count):
        ProgrammeItemFactory(delegation=trip, date=trip.start_on + datetime.timedelta(days=number % 3))
        ParticipantFactory(delegation=trip)

    with django_assert_max_num_queries(BRIEFING_QUERIES):
        response = staff_client.get(reverse("delegations:briefing", args=[trip.pk]))

    assert len(response.context["delegation"].programme.all()) == count


# --- the partnership's page --------------------------------------------------


def test_partnership_detail_lists_its_delegations_newest_first(staff_client):
    partnership = PartnershipFactory()
    older = DelegationFactory(
        title="Visit of the partner's youth orchestra",
        direction="inbound",
        city=partnership.partner_city,
        partnership=partnership,
        start_on=datetime.date(2024, 6, 1),
    )
    newer = DelegationFactory(
        title="Mayor's trip", city=partnership.partner_city, partnership=partnership, status="submitted"
    )
    elsewhere = DelegationFactory(title="Trip elsewhere")

    html = staff_client.get(reverse("partners:partnership-detail", args=[partnership.pk])).content.decode()

    assert html.index(f'href="{detail_url(newer)}">') < html.index(f'href="{detail_url(older)}">')
    assert "2024-06-01" in html
    assert "Inbound (visitors to our city)" in html
    assert "Submitted" in html
    assert elsewhere.title not in html
    assert f'href="{reverse("delegations:delegation-list")}?partnership={partnership.pk}"' in html
