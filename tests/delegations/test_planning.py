"""Planning a delegation on its own page: the workflow a role may take, adding
participants (someone recorded or a new person), programme items, costs, gifts
and outcomes in place (htmx) or by a plain form, and the partnership taken
from the city."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from delegations import services
from delegations.models import Cost, Gift, Outcome, Participant, Person, ProgrammeItem
from oia.roles import Role
from tests.factories import (
    CityFactory,
    CostFactory,
    DelegationFactory,
    DepartmentFactory,
    PartnershipFactory,
    PersonFactory,
    ProgrammeItemFactory,
    UserFactory,
)

HTMX = {"HX-Request": "true"}


def detail_url(delegation):
    return reverse("delegations:delegation-detail", args=[delegation.pk])


def add_url(name, delegation):
    return reverse(f"delegations:{name}", args=[delegation.pk])


# --- the workflow block --------------------------------------------------


def test_staff_do_not_see_the_approval_they_may_not_give(staff_client):
    delegation = DelegationFactory(status="submitted")

    html = staff_client.get(detail_url(delegation)).content.decode()

    assert 'value="approved"' not in html
    assert 'value="draft"' in html
    assert 'value="rejected"' in html


def test_an_administrator_sees_the_approval(admin_client):
    delegation = DelegationFactory(status="submitted")

    html = admin_client.get(detail_url(delegation)).content.decode()

    assert 'value="approved"' in html


def test_cancelling_and_rejecting_ask_first_and_take_a_reason(admin_client):
    delegation = DelegationFactory(status="submitted", title="Anniversary in Lyon")

    html = admin_client.get(detail_url(delegation)).content.decode()

    assert 'data-confirm="Cancel “Anniversary in Lyon”?' in html
    assert 'data-confirm="Reject “Anniversary in Lyon”?' in html
    assert 'id="comment-cancelled"' in html
    assert 'id="comment-submitted"' not in html  # a forward step is one button


# --- the partnership from the city ---------------------------------------


def test_a_city_with_one_active_partnership_gives_it_to_a_new_delegation(staff_user):
    lyon = CityFactory(name="Lyon")
    partnership = PartnershipFactory(partner_city=lyon)
    PartnershipFactory(partner_city=lyon, status="ended")

    delegation = services.delegation_create(created_by=staff_user, **trip_fields(city=lyon))

    assert delegation.partnership == partnership


def test_a_city_with_two_active_partnerships_leaves_the_choice_to_the_user(staff_user):
    lyon = CityFactory(name="Lyon")
    PartnershipFactory(partner_city=lyon)
    PartnershipFactory(partner_city=lyon, kind="project")

    delegation = services.delegation_create(created_by=staff_user, **trip_fields(city=lyon))

    assert delegation.partnership is None


def test_the_form_asks_for_the_citys_active_partnerships(staff_client):
    lyon = CityFactory(name="Lyon")
    active = PartnershipFactory(partner_city=lyon)
    PartnershipFactory(partner_city=lyon, status="ended")
    PartnershipFactory()

    answer = staff_client.get(reverse("delegations:city-partnerships"), {"city": lyon.pk}).json()
    nothing = staff_client.get(reverse("delegations:city-partnerships"), {"city": "x"}).json()

    assert [match["id"] for match in answer["results"]] == [str(active.pk)]
    assert nothing["results"] == []
    html = staff_client.get(reverse("delegations:delegation-create")).content.decode()
    assert f'data-city-partnerships="{reverse("delegations:city-partnerships")}"' in html


def trip_fields(**overrides):
    return {
        "direction": "outbound",
        "title": "Anniversary",
        "purpose": "anniversary",
        "start_on": datetime.date(2026, 5, 4),
        "end_on": datetime.date(2026, 5, 7),
        "department": DepartmentFactory(),
        **overrides,
    }


# --- adding in place -------------------------------------------------------


def test_a_participant_added_in_place_comes_back_in_the_section_with_the_message(staff_client):
    delegation = DelegationFactory()
    anna = PersonFactory(name="Anna Berg")

    response = staff_client.post(
        add_url("participant-create", delegation),
        {"person": anna.pk, "role": "member", "sector": "government"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section aria-labelledby="participants-heading" id="participants"')
    assert "Anna Berg was added." in html
    assert "<html" not in html
    assert Participant.objects.filter(delegation=delegation, person=anna).exists()


def test_without_javascript_an_add_leads_back_to_the_section(staff_client):
    delegation = DelegationFactory()
    anna = PersonFactory(name="Anna Berg")

    response = staff_client.post(
        add_url("participant-create", delegation), {"person": anna.pk, "role": "member", "sector": "government"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(delegation) + "#participants"


def test_a_new_person_is_recorded_and_added_with_the_trips_department_preset(staff_client):
    mayors_office = DepartmentFactory(name="Mayor's Office")
    delegation = DelegationFactory(department=mayors_office)

    page = staff_client.get(detail_url(delegation)).content.decode()
    response = staff_client.post(
        add_url("participant-create", delegation),
        {
            "person": "",
            "role": "member",
            "sector": "government",
            "new_person-name": "Maria Neumann",
            "new_person-department": mayors_office.pk,
        },
        headers=HTMX,
    )

    assert f'<option value="{mayors_office.pk}" selected>' in page
    assert "Maria Neumann was added." in response.content.decode()
    maria = Person.objects.get(name="Maria Neumann")
    assert maria.department == mayors_office
    assert Participant.objects.filter(delegation=delegation, person=maria).exists()


def test_a_new_person_is_checked_as_the_person_form_checks_and_nothing_is_recorded(staff_client):
    delegation = DelegationFactory()

    response = staff_client.post(
        add_url("participant-create", delegation),
        {"person": "", "role": "member", "sector": "government", "new_person-name": "Maria Neumann"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the department (for an official of our city) or the organisation (for a visitor)." in html
    assert 'value="Maria Neumann"' in html  # what was typed is kept
    assert not Person.objects.filter(name="Maria Neumann").exists()
    assert not delegation.participants.exists()


def test_neither_a_person_nor_a_name_is_refused_in_words(staff_client):
    delegation = DelegationFactory()

    response = staff_client.post(
        add_url("participant-create", delegation), {"person": "", "role": "member", "sector": "government"}
    )

    assert response.status_code == 200
    assert "Choose a person, or give the name of a new person." in response.content.decode()


def test_a_traveller_on_another_trip_is_refused_in_the_section(staff_client):
    anna = PersonFactory(name="Anna Berg")
    other = DelegationFactory(title="Festival of Lights")
    services.participant_add(delegation=other, person=anna)
    delegation = DelegationFactory()

    response = staff_client.post(
        add_url("participant-create", delegation),
        {"person": anna.pk, "role": "member", "sector": "government"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert "The participant was not added:" in html
    assert "is already travelling with “Festival of Lights”" in html
    assert not delegation.participants.exists()


def test_programme_items_are_added_in_place_and_their_dates_still_checked(staff_client):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))
    url = add_url("programme-item-create", delegation)

    added = staff_client.post(url, {"date": "2026-04-21", "kind": "meeting", "title": "Town hall"}, headers=HTMX)
    refused = staff_client.post(url, {"date": "2027-01-01", "kind": "meeting", "title": "Too late"}, headers=HTMX)

    assert "The programme item was added." in added.content.decode()
    assert "Town hall" in added.content.decode()
    assert 'id="programme-title"' in added.content.decode()
    assert "The programme item was not added:" in refused.content.decode()
    assert list(ProgrammeItem.objects.filter(delegation=delegation).values_list("title", flat=True)) == ["Town hall"]


def test_costs_are_added_in_place_shown_with_their_currency_and_the_next_category_offered(staff_client):
    delegation = DelegationFactory()

    response = staff_client.post(
        add_url("cost-create", delegation), {"category": "travel", "estimated": "7200", "payer": "city"}, headers=HTMX
    )

    html = response.content.decode()
    assert "The cost was added." in html
    assert "€7,200.00" in html
    assert "7200.00" not in html
    assert '<option value="accommodation" selected>' in html
    assert Cost.objects.get(delegation=delegation).estimated == Decimal("7200")


# Gifts and outcomes: url name, section id, a valid form, an invalid one and the error it shows.
RECORDED_IN_PLACE = {
    "gift": (
        "gifts",
        {"direction": "received", "description": "Porcelain vase", "counterpart": "Mayor of Lyon", "value": "120"},
        {"direction": "received", "description": "Porcelain vase", "counterpart": "Mayor of Lyon", "value": "-5"},
        "Ensure this value is greater than or equal to 0.",
    ),
    "outcome": (
        "outcomes",
        {"kind": "agreement", "description": "Letter of intent", "due_on": "2026-06-01"},
        {"kind": "agreement", "description": "Letter of intent", "due_on": "first of June"},
        "Enter a valid date.",
    ),
}
RECORD_MODELS = {"gift": Gift, "outcome": Outcome}


@pytest.mark.parametrize("name", sorted(RECORDED_IN_PLACE))
def test_gifts_and_outcomes_are_recorded_in_place_with_the_message_in_the_section(staff_client, name):
    delegation = DelegationFactory()
    section, form, _invalid, _error = RECORDED_IN_PLACE[name]

    response = staff_client.post(add_url(f"{name}-create", delegation), form, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section aria-labelledby="{section}-heading" id="{section}"')
    assert f"The {name} was recorded." in html
    assert f"<td>{form['description']}</td>" in html
    assert f'id="{name}-description"' in html
    assert f'value="{form["description"]}"' not in html  # the add form is empty for the next one
    assert "<html" not in html
    assert RECORD_MODELS[name].objects.get().delegation == delegation


@pytest.mark.parametrize("name", sorted(RECORDED_IN_PLACE))
def test_a_refused_gift_or_outcome_shows_the_error_in_the_section_and_keeps_what_was_typed(staff_client, name):
    delegation = DelegationFactory()
    section, _form, invalid, error = RECORDED_IN_PLACE[name]

    response = staff_client.post(add_url(f"{name}-create", delegation), invalid, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section aria-labelledby="{section}-heading" id="{section}"')
    assert f"The {name} was not recorded:" in html
    assert error in html
    assert 'aria-invalid="true"' in html
    assert invalid["description"] in html
    assert not RECORD_MODELS[name].objects.exists()


@pytest.mark.parametrize("name", sorted(RECORDED_IN_PLACE))
def test_without_javascript_a_gift_or_outcome_leads_back_to_its_section(staff_client, name):
    delegation = DelegationFactory()
    section, form, invalid, error = RECORDED_IN_PLACE[name]
    url = add_url(f"{name}-create", delegation)

    saved = staff_client.post(url, form)
    refused = staff_client.post(url, invalid)

    assert saved.status_code == 302
    assert saved["Location"] == f"{detail_url(delegation)}#{section}"
    assert refused.status_code == 200
    assert error in refused.content.decode()
    assert RECORD_MODELS[name].objects.count() == 1


def test_an_outcomes_owner_is_someone_in_the_office(staff_client, staff_user):
    delegation = DelegationFactory()
    leader = UserFactory(role=Role.CLUB_LEADER)
    url = add_url("outcome-create", delegation)
    form = {"kind": "follow_up", "description": "Send the tram study"}

    refused = staff_client.post(url, {**form, "owner": leader.pk}, headers=HTMX)
    nonsense = staff_client.post(url, {**form, "owner": "x' OR 1=1"}, headers=HTMX)
    added = staff_client.post(url, {**form, "owner": staff_user.pk}, headers=HTMX)

    assert "Select a valid choice." in refused.content.decode()
    assert nonsense.status_code == 200
    assert "The outcome was recorded." in added.content.decode()
    assert Outcome.objects.get().owner == staff_user


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
@pytest.mark.parametrize("name", sorted(RECORDED_IN_PLACE))
def test_roles_outside_the_office_cannot_record_gifts_or_outcomes(db, client, role, headers, name):
    delegation = DelegationFactory()
    client.force_login(UserFactory(role=role))

    response = client.post(add_url(f"{name}-create", delegation), RECORDED_IN_PLACE[name][1], headers=headers)

    assert response.status_code == 403
    assert not RECORD_MODELS[name].objects.exists()


def test_the_page_records_gifts_and_outcomes_in_place_and_lists_no_users(staff_client):
    delegation = DelegationFactory()

    html = staff_client.get(detail_url(delegation)).content.decode()

    for name, section in (("gift", "gifts"), ("outcome", "outcomes")):
        url = add_url(f"{name}-create", delegation)
        assert f'hx-post="{url}" hx-target="#{section}" hx-swap="outerHTML"' in html
        assert f'<form method="post" action="{url}"' in html  # the same form without JavaScript
        assert f'<section aria-labelledby="{section}-heading" id="{section}" class="object-section">' in html
    assert f'data-search="{reverse("search:results", args=["officers"])}"' in html


def test_the_page_shows_dates_in_words_not_iso(staff_client):
    delegation = DelegationFactory(start_on=datetime.date(2026, 4, 20))
    ProgrammeItemFactory(delegation=delegation, date=datetime.date(2026, 4, 21))
    CostFactory(delegation=delegation, estimated=Decimal("7200"))

    html = staff_client.get(detail_url(delegation)).content.decode()

    assert "20 April 2026" in html
    assert "21 April 2026" in html
    assert ">2026-04-21<" not in html
    assert "€7,200.00" in html


@pytest.mark.parametrize("count", [1, 30])
def test_a_section_answers_in_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    delegation = DelegationFactory()
    for index in range(count):
        ProgrammeItemFactory(delegation=delegation, title=f"Item {index}")
        CostFactory(delegation=delegation)

    with django_assert_max_num_queries(SECTION_QUERIES):
        response = staff_client.post(
            add_url("cost-create", delegation), {"category": "other", "estimated": "10", "payer": "city"}, headers=HTMX
        )

    assert "The cost was added." in response.content.decode()


SECTION_QUERIES = 22
