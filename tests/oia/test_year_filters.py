"""Every list, page and API, accepts ``?year=`` so an office can look back; a
year out of range is a 400 with the reason, never a 500. So does the office
dashboard's figures."""

import datetime

import pytest
from django.urls import reverse

from budget.models import BudgetChange
from oia.api.urls import router
from partners.models import StatusChange
from tests.factories import (
    AmbassadorActivityFactory,
    AmbassadorFactory,
    BudgetFactory,
    BudgetLineFactory,
    CommitmentFactory,
    ConsularPostFactory,
    CoordinationCaseFactory,
    DelegationFactory,
    EventFactory,
    ExchangeFactory,
    ExpenseFactory,
    GiftFactory,
    GrantApplicationFactory,
    JubileePlanFactory,
    MembershipFactory,
    NationalDayObservanceFactory,
    NetworkActivityFactory,
    NetworkRoleFactory,
    ParticipantFactory,
    PartnershipFactory,
    ReportRequestFactory,
    SupplementaryRequestFactory,
)

D = datetime.date
YEAR = 2025


def line(year):
    return BudgetLineFactory(budget=BudgetFactory(year=year))


def in_force_only(year):
    """A project partnership formalised and ended within ``year``."""
    return PartnershipFactory(kind="project", formalised_on=D(year, 1, 10), ends_on=D(year, 11, 30))


# How to make a record that a list shows for ``year`` (and for no other year), by list.
MAKE = {
    "delegation": lambda y: DelegationFactory(start_on=D(y, 5, 1)),
    "person": lambda y: ParticipantFactory(delegation=DelegationFactory(start_on=D(y, 5, 1))).person,
    "coordination-case": lambda y: CoordinationCaseFactory(trip=DelegationFactory(start_on=D(y, 5, 1))),
    "gift": lambda y: GiftFactory(delegation=DelegationFactory(start_on=D(y, 5, 1))),
    "partnership": in_force_only,
    "city": lambda y: in_force_only(y).partner_city,
    "exchange": lambda y: ExchangeFactory(starts_on=D(y, 5, 1), ends_on=D(y, 5, 3)),
    "network": lambda y: MembershipFactory(since=D(y, 1, 1), until=D(y, 12, 31)).network,
    "membership": lambda y: MembershipFactory(since=D(y, 2, 1), until=D(y, 11, 30)),
    "network-role": lambda y: NetworkRoleFactory(starts_on=D(y, 2, 1), ends_on=D(y, 10, 1)),
    "grant-application": lambda y: GrantApplicationFactory(starts_on=D(y, 5, 1), ends_on=D(y, 5, 3)),
    "budget": lambda y: BudgetFactory(year=y),
    "budget-line": line,
    "expense": lambda y: ExpenseFactory(line=line(y), date=D(y, 3, 1)),
    "commitment": lambda y: CommitmentFactory(line=line(y)),
    "budget-change": lambda y: BudgetChange.objects.create(
        line=line(y), kind="amendment", amount=1, decided_on=D(y, 2, 1), reason="Year filter"
    ),
    "supplementary-request": lambda y: SupplementaryRequestFactory(line=line(y)),
    "report": lambda y: ReportRequestFactory(year=y),
    "network-activity": lambda y: NetworkActivityFactory(date=D(y, 6, 3)),
    "jubilee-plan": lambda y: JubileePlanFactory(
        year=y,
        starts_on=D(y, 6, 1),
        partnership=PartnershipFactory(formalised_on=D(y - 25, 6, 1)),
        line=line(y),
    ),
    "event": lambda y: EventFactory(starts_at=datetime.datetime(y, 5, 9, 11, tzinfo=datetime.UTC)),
    "consular-post": lambda y: ConsularPostFactory(opened_on=D(y, 3, 1), closed_on=D(y, 9, 30)),
    "national-day-observance": lambda y: NationalDayObservanceFactory(date=D(y, 7, 14)),
    "ambassador": lambda y: AmbassadorFactory(appointed_on=D(y, 2, 1), until=D(y, 11, 30)),
    "ambassador-activity": lambda y: AmbassadorActivityFactory(date=D(y, 3, 1)),
}

PAGES = {
    "delegations:delegation-list": "delegation",
    "delegations:person-list": "person",
    "delegations:coordination-list": "coordination-case",
    "delegations:gift-list": "gift",
    "partners:partnership-list": "partnership",
    "partners:exchange-list": "exchange",
    "networks:network-list": "network",
    "budget:grant-list": "grant-application",
    "protocol:event-list": "event",
    "protocol:post-list": "consular-post",
    "protocol:ambassador-list": "ambassador",
}

# API lists where a year means nothing, and why.
API_WITHOUT_YEAR = {
    "sub-partnership": "institutions under a partnership's umbrella have no dates",
    "contact": "people to write to, not events",
    "club": "clubs have no dates; their exchanges do",
    "club-leader": "accounts, not events",
    "account": "accounts and their roles, not events",
    "department": "the city's departments",
    "grant-rules": "the one current set of rules",
    "club-association": "umbrella associations have no dates; their clubs' exchanges do",
    "trilateral-link": "links between partnerships have no dates",
    "document": "a partnership's files, found by partnership and kind",
    "anniversary": "jubilees are asked for by a range of years (?from=&to=), or the next ones",
    "notification": "a user's own inbox, read or unread",
    "event-cost": "an event's own records: the event has the year",
    "guest": "an event's own records: the event has the year",
    **{
        f"delegation-{record}": "a delegation's own records: the delegation has the year"
        for record in ("programme", "cost", "gift", "outcome", "participant")
    },
}
API_LISTS = sorted(
    basename for _, _, basename in router.registry if basename not in API_WITHOUT_YEAR and basename in MAKE
)


def test_every_api_list_is_covered_or_exempt():
    assert {basename for _, _, basename in router.registry} == set(API_LISTS) | set(API_WITHOUT_YEAR)


@pytest.mark.parametrize(("name", "kind"), sorted(PAGES.items()))
def test_each_page_lists_the_records_of_the_year(staff_client, name, kind):
    shown, other = MAKE[kind](YEAR), MAKE[kind](YEAR - 2)

    response = staff_client.get(reverse(name), {"year": YEAR})

    assert response.status_code == 200
    pks = {row.pk for row in response.context["object_list"]}
    assert shown.pk in pks
    assert other.pk not in pks


@pytest.mark.parametrize("basename", API_LISTS)
def test_each_api_list_lists_the_records_of_the_year(admin_api, basename):
    shown, other = MAKE[basename](YEAR), MAKE[basename](YEAR - 2)

    response = admin_api.get(reverse(f"api:{basename}-list"), {"year": YEAR})

    assert response.status_code == 200, response.content
    body = response.json()
    pks = {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}
    assert shown.pk in pks
    assert other.pk not in pks


@pytest.mark.parametrize("year", ["1899", "2201", "99999999999999999999", "last", "2025.5"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_bad_year_on_a_page_is_a_400_with_the_reason(staff_client, name, year):
    response = staff_client.get(reverse(name), {"year": year})

    assert response.status_code == 400
    assert "Enter a year from 1900 to 2200." in response.content.decode()


@pytest.mark.parametrize("basename", API_LISTS)
def test_a_bad_year_on_an_api_list_is_a_400_with_the_reason(admin_api, basename):
    response = admin_api.get(reverse(f"api:{basename}-list"), {"year": "2201"})

    assert response.status_code == 400
    assert "year" in response.json()


def test_partnerships_in_force_follow_their_dates_and_status_history(staff_api):
    since_1990 = PartnershipFactory(formalised_on=D(1990, 5, 12))
    from_june = PartnershipFactory(formalised_on=D(YEAR, 6, 1))
    next_year = PartnershipFactory(formalised_on=D(YEAR + 1, 1, 1))
    ended_before = PartnershipFactory(formalised_on=D(2000, 1, 1))
    StatusChange.objects.create(partnership=ended_before, status="ended", effective_on=D(YEAR - 1, 12, 31), reason="x")
    ended_during = PartnershipFactory(formalised_on=D(2000, 1, 1))
    StatusChange.objects.create(partnership=ended_during, status="ended", effective_on=D(YEAR, 1, 1), reason="x")
    frozen = PartnershipFactory(formalised_on=D(2000, 1, 1))
    StatusChange.objects.create(partnership=frozen, status="frozen", effective_on=D(2010, 1, 1), reason="x")
    project_over = PartnershipFactory(kind="project", formalised_on=D(2020, 1, 1), ends_on=D(YEAR - 1, 12, 31))
    project_ends = PartnershipFactory(kind="project", formalised_on=D(2020, 1, 1), ends_on=D(YEAR, 1, 1))

    response = staff_api.get(reverse("api:partnership-list"), {"year": YEAR})

    pks = {row["id"] for row in response.json()["results"]}
    assert pks == {since_1990.pk, from_june.pk, ended_during.pk, frozen.pk, project_ends.pk}
    assert pks.isdisjoint({next_year.pk, ended_before.pk, project_over.pk})


def test_people_who_travelled_count_by_the_start_of_a_trip_that_took_place(staff_client):
    across_new_year = ParticipantFactory(delegation=DelegationFactory(start_on=D(YEAR - 1, 12, 30))).person
    cancelled = ParticipantFactory(delegation=DelegationFactory(start_on=D(YEAR, 3, 1), status="cancelled")).person
    visitor = ParticipantFactory(
        delegation=DelegationFactory(direction="inbound", start_on=D(YEAR, 3, 1), status="completed")
    ).person

    response = staff_client.get(reverse("delegations:person-list"), {"year": YEAR})

    pks = {person.pk for person in response.context["object_list"]}
    assert pks == {visitor.pk}
    assert across_new_year.pk not in pks
    assert cancelled.pk not in pks


def test_the_page_explains_what_the_year_means(staff_client, db):
    html = staff_client.get(reverse("partners:partnership-list")).content.decode()

    assert 'aria-describedby="id_year_helptext"' in html
    assert '<small id="id_year_helptext">Partnerships in force for at least one day of the year' in html


# --- the office dashboard ---------------------------------------------------------


def figures_section(response):
    html = response.content.decode()
    start = html.index('<section aria-labelledby="figures-heading">')
    return html[start : html.index("</section>", start)]


def test_the_dashboard_figures_look_back_at_another_year(staff_client):
    trip = DelegationFactory(status="completed", start_on=D(2019, 3, 1), head_count=2)
    ParticipantFactory(delegation=trip)
    DelegationFactory(direction="inbound", status="completed", start_on=D(2019, 4, 1), head_count=7)
    DelegationFactory(status="completed", start_on=D(2020, 4, 1))

    response = staff_client.get(reverse("dashboard"), {"year": 2019})

    assert response.status_code == 200
    figures = figures_section(response)
    assert '<h2 id="figures-heading">The year 2019</h2>' in figures
    assert "<dt>Visits abroad</dt><dd>1</dd>" in figures
    assert "<dt>People involved</dt><dd>3</dd>" in figures
    assert "<dt>Delegations received</dt><dd>1</dd>" in figures
    assert "<dt>Visitors received</dt><dd>7</dd>" in figures
    assert 'value="2019"' in figures
    assert f'href="{reverse("delegations:delegation-list")}?year=2019"' in figures
    assert f'href="{reverse("delegations:gift-list")}?year=2019"' in figures


@pytest.mark.parametrize("query", [{}, {"year": ""}])
def test_the_dashboard_shows_this_year_by_default_with_a_labelled_selector(staff_client, query):
    response = staff_client.get(reverse("dashboard"), query)

    assert response.status_code == 200

    figures = figures_section(response)
    assert '<h2 id="figures-heading">This year so far</h2>' in figures
    assert '<label for="id_year">Year</label>' in figures
    assert f'value="{datetime.date.today().year}"' in figures


@pytest.mark.parametrize("year", ["1899", "2201", "99999999999999999999", "soon"])
def test_a_bad_year_on_the_dashboard_is_a_400_with_the_reason(staff_client, year):
    response = staff_client.get(reverse("dashboard"), {"year": year})

    assert response.status_code == 400
    figures = figures_section(response)
    assert "Enter a year from 1900 to 2200." in figures
    assert '<h2 id="figures-heading">This year so far</h2>' in figures
