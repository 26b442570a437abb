"""The office dashboard: upcoming trips and visits, trips waiting for approval,
open coordination cases and this year's figures, from known data."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CityFactory,
    CoordinationCaseFactory,
    DelegationFactory,
    ParticipantFactory,
    PartnershipFactory,
)

URL = reverse("dashboard")
# Session, user, roles, the audit trail's last changes, partnerships for the jubilees, upcoming
# delegations, the rows waiting for approval with their count, the count and the rows of open
# cases, three for the year's figures, the unread notifications, the possibly dormant
# partnerships, the clubs' exchanges to review and grant applications to decide, and the
# consular posts' national days coming up.
DASHBOARD_QUERIES = 18
# Shown again with nothing changed: the jubilees and the year's figures come from the cache.
DASHBOARD_QUERIES_UNCHANGED = DASHBOARD_QUERIES - 4


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def section(html, heading_id):
    """The HTML of the dashboard section headed by ``heading_id``."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, heading_id
    return match.group(1)


def test_upcoming_lists_trips_and_visits_starting_in_the_next_30_days(staff_client):
    trip = DelegationFactory(title="Trip to Lyon", city=CityFactory(name="Lyon"), start_on=days_from_today(5))
    visit = DelegationFactory(
        title="Visitors from Kraków",
        direction="inbound",
        city=CityFactory(name="Kraków", country="PL"),
        start_on=days_from_today(30),
    )
    DelegationFactory(title="Cancelled trip", start_on=days_from_today(3), status="cancelled")
    DelegationFactory(title="Rejected trip", start_on=days_from_today(4), status="rejected")
    DelegationFactory(title="Trip too far ahead", start_on=days_from_today(31))
    DelegationFactory(title="Trip under way", start_on=days_from_today(-1))

    upcoming = section(staff_client.get(URL).content.decode(), "upcoming-heading")

    assert upcoming.index("Trip to Lyon") < upcoming.index("Visitors from Kraków")
    assert f'href="{reverse("delegations:delegation-detail", args=[trip.pk])}"' in upcoming
    assert f'href="{reverse("delegations:delegation-detail", args=[visit.pk])}"' in upcoming
    assert "(trip to Lyon; Draft)" in upcoming
    assert "(visitors from Kraków; Requested)" in upcoming
    for absent in ["Cancelled trip", "Rejected trip", "Trip too far ahead", "Trip under way"]:
        assert absent not in upcoming


def test_upcoming_shows_at_most_ten(staff_client):
    for number in range(12):
        DelegationFactory(title=f"Trip {number:02d}", start_on=days_from_today(1 + number))

    response = staff_client.get(URL)

    assert [d.title for d in response.context["upcoming_delegations"]] == [f"Trip {n:02d}" for n in range(10)]
    assert "Trip 10" not in section(response.content.decode(), "upcoming-heading")


def test_nothing_upcoming_says_so(staff_client):
    upcoming = section(staff_client.get(URL).content.decode(), "upcoming-heading")

    assert "No trip or visit starts in the next 30 days." in upcoming


def test_waiting_for_approval_lists_submitted_trips_only(staff_client):
    DelegationFactory(title="Submitted trip", status="submitted", start_on=days_from_today(90))
    DelegationFactory(title="Another submitted trip", status="submitted", start_on=days_from_today(60))
    DelegationFactory(title="Draft trip", status="draft")
    DelegationFactory(title="Approved trip", status="approved")
    DelegationFactory(title="Requested visit", direction="inbound", status="requested")

    waiting = section(staff_client.get(URL).content.decode(), "approval-heading")

    assert "2 trips submitted for approval." in waiting
    assert waiting.index("Another submitted trip") < waiting.index("Submitted trip")
    for absent in ["Draft trip", "Approved trip", "Requested visit"]:
        assert absent not in waiting
    assert f'href="{reverse("delegations:delegation-list")}?direction=outbound&amp;status=submitted"' in waiting


def test_open_coordination_cases_are_counted_and_the_newest_five_linked(staff_client):
    cases = [CoordinationCaseFactory() for _ in range(6)]
    done = CoordinationCaseFactory(state="coordinated", comment="Done.")

    response = staff_client.get(URL)

    coordination = section(response.content.decode(), "coordination-heading")
    assert "6 open cases." in coordination
    assert [case.pk for case in response.context["open_cases"]] == [case.pk for case in reversed(cases[1:])]
    assert f'href="{reverse("delegations:coordination-resolve", args=[cases[-1].pk])}"' in coordination
    assert f'href="{reverse("delegations:coordination-resolve", args=[cases[0].pk])}"' not in coordination
    assert done.trip.title not in coordination
    assert f'href="{reverse("delegations:coordination-list")}"' in coordination


def test_this_years_figures_follow_the_counting_rules(staff_client):
    this_year = timezone.localdate().year
    trip = DelegationFactory(status="completed", start_on=datetime.date(this_year, 1, 10), head_count=3)
    ParticipantFactory.create_batch(2, delegation=trip)
    visit = DelegationFactory(
        direction="inbound", status="completed", start_on=datetime.date(this_year, 2, 1), head_count=4
    )
    ParticipantFactory(delegation=visit)
    DelegationFactory(status="approved", start_on=datetime.date(this_year, 3, 1))
    DelegationFactory(status="completed", start_on=datetime.date(this_year - 1, 3, 1))

    figures = section(staff_client.get(URL).content.decode(), "figures-heading")

    assert "<dt>Visits abroad</dt><dd>1</dd>" in figures
    assert "<dt>People involved</dt><dd>5</dd>" in figures
    assert "<dt>Delegations received</dt><dd>1</dd>" in figures
    assert "<dt>Visitors received</dt><dd>5</dd>" in figures


def test_the_anniversaries_section_is_still_there(staff_client):
    html = staff_client.get(URL).content.decode()

    assert 'aria-labelledby="anniversaries-heading"' in html
    assert html.count("<h1>") == 1


def test_other_roles_do_not_get_the_office_sections(client, council_user):
    client.force_login(council_user)

    response = client.get(URL)

    assert "upcoming_delegations" not in response.context
    assert "Waiting for approval" not in response.content.decode()


@pytest.mark.parametrize("count", [0, 1, 15])
def test_the_dashboard_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    this_year = timezone.localdate().year
    for number in range(count):
        DelegationFactory(start_on=days_from_today(1 + number % 20))
        DelegationFactory(status="submitted", start_on=days_from_today(40 + number))
        DelegationFactory(status="completed", start_on=datetime.date(this_year, 1, 1))
        CoordinationCaseFactory()

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = staff_client.get(URL)

    assert response.status_code == 200
    assert response.context["open_case_count"] == count


@pytest.mark.parametrize("count", [1, 40])
def test_many_partnerships_cost_the_dashboard_no_more_queries(staff_client, django_assert_max_num_queries, count):
    today = timezone.localdate()
    for number in range(count):
        # Dormant (no exchange, no delegation), each with a jubilee next year, named so they sort by number.
        PartnershipFactory(
            partner_city=CityFactory(name=f"Partner {number:02d}"),
            formalised_on=datetime.date(today.year - 4, 1 + number % 12, 1),
        )

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = staff_client.get(URL)

    html = response.content.decode()
    dormant = re.search(
        r'<section aria-labelledby="dormant-heading" id="possibly-dormant">(.*?)</section>', html, re.S
    )[1]
    assert re.findall(r">(Partner \d\d)</a>", dormant) == [f"Partner {n:02d}" for n in range(min(count, 10))]
    assert ("More active partnerships" in dormant) == (count > 10)
    jubilees = section(html, "anniversaries-heading")
    assert len(re.findall(r"5 years of partnership with Partner \d\d", jubilees)) == min(count, 5)


def test_the_figures_follow_a_change_at_once_though_they_are_cached(staff_client):
    this_year = timezone.localdate().year
    DelegationFactory(status="completed", start_on=datetime.date(this_year, 1, 10))
    first = section(staff_client.get(URL).content.decode(), "figures-heading")
    trip = DelegationFactory(status="approved", start_on=datetime.date(this_year, 2, 10))
    unchanged_figures = section(staff_client.get(URL).content.decode(), "figures-heading")

    trip.status = "completed"
    trip.save()
    second = section(staff_client.get(URL).content.decode(), "figures-heading")

    assert "<dt>Visits abroad</dt><dd>1</dd>" in first
    assert "<dt>Visits abroad</dt><dd>1</dd>" in unchanged_figures
    assert "<dt>Visits abroad</dt><dd>2</dd>" in second


def test_the_jubilees_follow_a_new_partnership_at_once(staff_client):
    today = timezone.localdate()
    staff_client.get(URL)

    PartnershipFactory(
        partner_city=CityFactory(name="Jubilee City"), formalised_on=datetime.date(today.year - 24, 12, 31)
    )
    html = staff_client.get(URL).content.decode()

    assert "Jubilee City" in section(html, "anniversaries-heading")


def test_shown_again_unchanged_the_dashboard_reads_the_figures_from_the_cache(
    staff_client, django_assert_max_num_queries
):
    this_year = timezone.localdate().year
    DelegationFactory(status="completed", start_on=datetime.date(this_year, 1, 10))
    first = staff_client.get(URL)

    with django_assert_max_num_queries(DASHBOARD_QUERIES_UNCHANGED):
        again = staff_client.get(URL)

    assert again.context["figures"] == first.context["figures"]
    assert again.context["figures"].visits_abroad == 1
