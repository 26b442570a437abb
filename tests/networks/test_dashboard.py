"""The "Memberships" section of the office dashboard: reviews due within 60
days (or overdue) and fees falling due within 60 days."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, NetworkFactory

URL = reverse("dashboard")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def memberships_section(html):
    match = re.search(r'<section aria-labelledby="memberships-heading">(.*?)</section>', html, re.S)
    assert match
    return match.group(1)


def test_reviews_due_within_60_days_or_overdue_are_listed(staff_client):
    MembershipFactory(network=NetworkFactory(name="Eurocities"), review_on=days(21))
    MembershipFactory(network=NetworkFactory(name="ICLEI"), review_on=days(-10))
    MembershipFactory(network=NetworkFactory(name="Day sixty"), review_on=days(60))
    MembershipFactory(network=NetworkFactory(name="Later"), review_on=days(61))
    MembershipFactory(network=NetworkFactory(name="Left long ago"), review_on=days(-5), status="left")
    MembershipFactory(network=NetworkFactory(name="Never reviewed"))

    response = staff_client.get(URL)

    assert [m.network.name for m in response.context["memberships_due_review"]] == ["ICLEI", "Eurocities", "Day sixty"]
    section = memberships_section(response.content.decode())
    assert f"review overdue since {days(-10):%Y-%m-%d}" in section
    assert f"review on {days(21):%Y-%m-%d}" in section
    assert "Later" not in section
    assert "Left long ago" not in section


def test_fees_due_in_the_next_60_days_are_listed(staff_client):
    due = MembershipFactory(network=NetworkFactory(name="Eurocities"), fee_due_on=days(30), yearly_fee=16000)
    MembershipFactory(network=NetworkFactory(name="Paid last month"), fee_due_on=days(-30))
    MembershipFactory(network=NetworkFactory(name="Next year"), fee_due_on=days(200))

    response = staff_client.get(URL)

    assert response.context["membership_fees_due"] == [due]
    section = memberships_section(response.content.decode())
    assert f"€16,000.00 due on {days(30):%Y-%m-%d}" in section
    assert f'href="{reverse("networks:network-detail", args=[due.network.pk])}#membership-{due.pk}"' in section
    assert "Paid last month" not in section
    assert "Next year" not in section


def test_nothing_due_says_so(staff_client):
    section = memberships_section(staff_client.get(URL).content.decode())

    assert "No membership is due for review in the next 60 days." in section
    assert "No membership fee falls due in the next 60 days." in section


def test_other_roles_do_not_get_the_section(client, council_user):
    MembershipFactory(review_on=days(5))
    client.force_login(council_user)

    response = client.get(URL)

    assert "memberships_due_review" not in response.context
    assert 'id="memberships-heading"' not in response.content.decode()


def test_the_section_costs_one_query_however_many_are_due(staff_client, django_assert_num_queries):
    """Counted against the page without memberships: the section's one query runs either way.
    Both counts with the dashboard's cached figures in place (the first visit computes them)."""
    staff_client.get(URL)
    with CaptureQueriesContext(connection) as empty:
        staff_client.get(URL)
    for number in range(15):
        MembershipFactory(review_on=days(number), fee_due_on=days(number + 1), network__name=f"Net {number}")

    with django_assert_num_queries(len(empty.captured_queries)):
        response = staff_client.get(URL)

    assert len(response.context["memberships_due_review"]) == 15
    assert len(response.context["membership_fees_due"]) == 15
