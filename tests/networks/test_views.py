"""The network pages for office staff: the list and the detail page in a
fixed number of queries, current and past roles apart, and the forms (the
membership form with its fee split as a formset)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import FeeShare, Membership, Network, NetworkActivity, NetworkRole
from networks.services import membership_review, membership_save
from tests.factories import (
    DelegationFactory,
    DepartmentFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
)
from tests.pages import section

LIST_URL = reverse("networks:network-list")
# Session, user, roles, unread notifications, the count and the rows of the page.
LIST_QUERIES = 6
# Session, user, roles, unread notifications, the network, its memberships, their shares,
# their reviews, its roles, its activities, the outcomes of the linked trips.
DETAIL_QUERIES = 12  # +1: the History section (oia.audit.history_for); +1: the memberships' reviews


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def membership_with_split(network=None, fee="16000", shares=None, **fields):
    if shares is None:
        shares = [(DepartmentFactory(), Decimal(fee))] if Decimal(fee) else []
    membership = Membership(
        network=network or NetworkFactory(),
        since=fields.pop("since", datetime.date(1993, 1, 1)),
        lead_department=fields.pop("lead_department", None) or DepartmentFactory(),
        yearly_fee=Decimal(fee),
        **fields,
    )
    return membership_save(membership=membership, shares=shares, version=None)


def full_network(**fields):
    """A network with what its pages show: a membership with a split and a review, roles, a meeting with a trip."""
    network = NetworkFactory(**fields)
    membership = membership_with_split(
        network, "1000", [(DepartmentFactory(), Decimal("600")), (DepartmentFactory(), 400)]
    )
    membership_review(membership=membership, verdict="keep", note="Project partners.", next_review_on=days(300))
    NetworkRole.objects.create(
        network=network, person=PersonFactory(), body="Executive Committee", title="Treasurer", starts_on=days(-400)
    )
    NetworkRole.objects.create(
        network=network,
        person=PersonFactory(),
        body="Culture Forum",
        title="Vice Chair",
        starts_on=days(-900),
        ends_on=days(-30),
    )
    trip = DelegationFactory(purpose="network_meeting")
    trip.outcomes.create(kind="contact", description="Joined the housing working group")
    NetworkActivity.objects.create(network=network, kind="meeting", date=trip.start_on, title="AGM", delegation=trip)
    NetworkActivity.objects.create(network=network, kind="funding_lead", date=days(-10), title="Horizon call")
    return network


def rows(html):
    return re.findall(r"<tr>(.*?)</tr>", html, re.S)


# --- list ------------------------------------------------------------------


def test_the_list_shows_the_current_membership_and_roles_held(staff_client):
    econ = DepartmentFactory(name="Economic Development (test)")
    network = NetworkFactory(name="Eurocities", acronym="EC", scope="european")
    membership_with_split(network, "15000", since=datetime.date(1980, 1, 1), status="left")
    membership_with_split(network, "16000", since=datetime.date(1993, 1, 1), lead_department=econ)
    person = PersonFactory()
    NetworkRole.objects.create(network=network, person=person, body="EC", title="Treasurer", starts_on=days(-10))
    NetworkRole.objects.create(
        network=network, person=person, body="EC", title="Chair", starts_on=days(-10), ends_on=today()
    )
    NetworkRole.objects.create(
        network=network, person=person, body="EC", title="Past", starts_on=days(-100), ends_on=days(-1)
    )
    NetworkFactory(name="Mayors for Peace")

    response = staff_client.get(LIST_URL)

    html = response.content.decode()
    eurocities = next(row for row in rows(html) if "Eurocities" in row)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", eurocities, re.S)
    assert [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells] == [
        "Eurocities",
        "EC",
        "European",
        "Active",
        "€16,000.00",
        "Economic Development (test)",
        "2",
    ]
    mayors = next(row for row in rows(html) if "Mayors for Peace" in row)
    assert "Not a member" in mayors
    assert html.count("<h1>") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "euro"}, {"Eurocities"}),
        ({"q": "ICLEI"}, {"Local Governments for Sustainability"}),
        ({"scope": "global"}, {"Local Governments for Sustainability", "Mayors for Peace"}),
        ({"status": "active"}, {"Eurocities"}),
        ({"status": ["paused", "none"]}, {"Local Governments for Sustainability", "Mayors for Peace"}),
        ({"status": "left"}, set()),
    ],
)
def test_the_list_filters(staff_client, query, expected):
    membership_with_split(NetworkFactory(name="Eurocities", acronym="", scope="european"), "0")
    iclei = NetworkFactory(name="Local Governments for Sustainability", acronym="ICLEI", scope="global")
    membership_with_split(iclei, "0", since=datetime.date(1990, 1, 1), status="left")
    membership_with_split(iclei, "0", since=datetime.date(2010, 1, 1), status="paused")
    NetworkFactory(name="Mayors for Peace", acronym="", scope="global")

    response = staff_client.get(LIST_URL, query)

    assert {network.name for network in response.context["object_list"]} == expected


@pytest.mark.parametrize("count", [1, 100])
def test_the_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        full_network()

    with django_assert_max_num_queries(LIST_QUERIES):
        response = staff_client.get(LIST_URL)

    assert response.status_code == 200
    assert response.context["paginator"].count == count


# --- detail ------------------------------------------------------------------


def test_the_detail_shows_memberships_with_their_split_and_review(staff_client):
    network = NetworkFactory(name="Eurocities")
    oia, econ = DepartmentFactory(name="OIA (test)"), DepartmentFactory(name="Economy (test)")
    membership = membership_with_split(network, "16000", [(oia, Decimal("12000")), (econ, Decimal("4000"))])
    # The verdict is no longer set with the membership: it comes from a review.
    membership_review(membership=membership, verdict="keep", note="Two EU project partners.", next_review_on=days(365))

    html = staff_client.get(reverse("networks:network-detail", args=[network.pk])).content.decode()

    assert f'id="membership-{membership.pk}"' in html
    assert '<th scope="row">OIA (test)</th><td class="numeric">€12,000.00</td>' in html
    assert '<th scope="row">Economy (test)</th><td class="numeric">€4,000.00</td>' in html
    assert '<th scope="row">Total</th><td class="numeric">€16,000.00</td>' in html
    assert "<dd>Keep</dd>" in html
    assert "Two EU project partners." in html
    assert html.count("<h1>") == 1


def test_current_and_past_roles_are_shown_apart(staff_client):
    network = NetworkFactory()
    person = PersonFactory(name="Peter Lang")
    for title, ends_on in [("Open-ended", None), ("Ends today", today()), ("Ended yesterday", days(-1))]:
        NetworkRole.objects.create(
            network=network, person=person, body="Forum", title=title, starts_on=days(-400), ends_on=ends_on
        )

    response = staff_client.get(reverse("networks:network-detail", args=[network.pk]))

    assert [role.title for role in response.context["current_roles"]] == ["Ends today", "Open-ended"]
    assert [role.title for role in response.context["past_roles"]] == ["Ended yesterday"]
    html = response.content.decode()
    current, past = html.split('id="past-roles-heading"')
    assert "Open-ended" in current
    assert "Ends today" in current
    assert "Ended yesterday" not in current
    assert "Ended yesterday" in past


def test_meetings_link_to_the_trip_and_its_outcomes(staff_client):
    network = full_network()

    response = staff_client.get(reverse("networks:network-detail", args=[network.pk]))

    html = response.content.decode()
    meeting = response.context["meetings"][0]
    assert reverse("delegations:delegation-detail", args=[meeting.delegation.pk]) in html
    assert "Joined the housing working group" in html
    assert [outcome.title for outcome in response.context["outcomes"]] == ["Horizon call"]


@pytest.mark.parametrize("count", [1, 20])
def test_the_detail_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    network = full_network()
    for _ in range(count - 1):
        extra = full_network()
        Membership.objects.filter(network=extra).update(network=network)
        NetworkRole.objects.filter(network=extra).update(network=network)
        NetworkActivity.objects.filter(network=extra).update(network=network)

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(reverse("networks:network-detail", args=[network.pk]))

    assert response.status_code == 200
    assert len(response.context["memberships"]) == count
    assert len(response.context["meetings"]) == count


# --- the object page (summary, actions, section nav) --------------------------


def test_the_page_shows_the_current_membership_in_its_header_summary_and_actions(staff_client):
    network = full_network(name="Eurocities")
    membership_with_split(network, "2000", since=datetime.date(2020, 1, 1), status="paused")
    latest = Membership.objects.get(network=network, since=datetime.date(2020, 1, 1))

    html = staff_client.get(reverse("networks:network-detail", args=[network.pk])).content.decode()

    header = html[html.index('<div class="object-header">') : html.index('<div class="object-page">')]
    assert '<span class="status status-paused">Paused</span>' in header
    summary = section(html, "summary")
    assert f'href="#membership-{latest.pk}"' in summary
    assert "€2,000.00" in summary
    actions = section(html, "actions")
    for url in [
        reverse("networks:network-edit", args=[network.pk]),
        reverse("networks:membership-review", args=[latest.pk]),
        reverse("networks:membership-edit", args=[latest.pk]),
        reverse("networks:membership-create", args=[network.pk]),
        reverse("networks:role-create", args=[network.pk]),
        reverse("networks:activity-create", args=[network.pk]),
    ]:
        assert f'href="{url}"' in actions
    for anchor in ["memberships", "roles", "activities"]:
        assert f'<a href="#{anchor}">' in html


def test_a_network_without_membership_offers_no_review_or_membership_edit(staff_client):
    network = NetworkFactory()

    html = staff_client.get(reverse("networks:network-detail", args=[network.pk])).content.decode()

    assert "Not a member" in html
    actions = section(html, "actions")
    assert "/review/" not in actions
    assert "/memberships/" not in actions.replace(reverse("networks:membership-create", args=[network.pk]), "")


def test_deleting_an_activity_asks_first_and_falls_back_to_its_confirmation_page(staff_client):
    network = full_network()
    activity = NetworkActivity.objects.get(network=network, title="Horizon call")

    html = staff_client.get(reverse("networks:network-detail", args=[network.pk])).content.decode()

    url = reverse("networks:activity-delete", args=[activity.pk])
    assert f'<a href="{url}" data-confirm="Do you really want to delete' in html
    assert f'<form id="networks-activity-delete-{activity.pk}" method="post" action="{url}" hidden>' in html


# --- forms ---------------------------------------------------------------------


def test_a_network_is_created(staff_client):
    response = staff_client.post(
        reverse("networks:network-create"), {"name": "Euregio", "acronym": "", "scope": "regional"}
    )

    network = Network.objects.get(name="Euregio")
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:network-detail", args=[network.pk])


def membership_data(lead, shares, **fields):
    data = {
        "since": "1993-01-01",
        "status": "active",
        "lead_department": lead.pk,
        "yearly_fee": "16000",
        "shares-TOTAL_FORMS": str(max(len(shares), 1)),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for number, (department, amount) in enumerate(shares):
        data[f"shares-{number}-department"] = department.pk if department else ""
        data[f"shares-{number}-amount"] = amount
    return data


def test_a_membership_is_recorded_with_its_split(staff_client):
    network = NetworkFactory()
    oia, econ = DepartmentFactory(), DepartmentFactory()
    data = membership_data(oia, [(oia, "12000"), (econ, "4000"), (None, "")])
    data["shares-TOTAL_FORMS"] = "3"

    response = staff_client.post(reverse("networks:membership-create", args=[network.pk]), data)

    membership = Membership.objects.get(network=network)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#membership-{membership.pk}")
    assert {(share.department, share.amount) for share in membership.fee_shares.all()} == {
        (oia, Decimal("12000.00")),
        (econ, Decimal("4000.00")),
    }


def test_a_split_that_does_not_add_up_is_shown_above_the_formset(staff_client):
    network = NetworkFactory()
    oia, econ = DepartmentFactory(), DepartmentFactory()

    response = staff_client.post(
        reverse("networks:membership-create", args=[network.pk]),
        membership_data(oia, [(oia, "11000"), (econ, "4000")]),
    )

    assert response.status_code == 200
    html = response.content.decode()
    message = "The shares add up to €15,000.00 but the fee is €16,000.00."
    assert message in html
    assert html.index(message) < html.index('name="shares-0-department"')
    assert 'value="11000"' in html  # what was typed comes back
    assert not Membership.objects.exists()


def test_a_half_filled_row_is_refused(staff_client):
    network = NetworkFactory()
    oia = DepartmentFactory()

    response = staff_client.post(
        reverse("networks:membership-create", args=[network.pk]), membership_data(oia, [(None, "16000")])
    )

    assert response.status_code == 200
    assert "Choose the department that pays this share." in response.content.decode()
    assert not Membership.objects.exists()


def test_editing_shows_the_split_and_replaces_it(staff_client):
    oia, econ = DepartmentFactory(), DepartmentFactory()
    membership = membership_with_split(None, "1000", [(oia, Decimal("600")), (econ, Decimal("400"))])
    url = reverse("networks:membership-edit", args=[membership.pk])

    form_page = staff_client.get(url)
    formset = form_page.context["formset"]
    assert [form.initial for form in formset.initial_forms] == [
        {"department": oia.pk, "amount": Decimal("600.00")},
        {"department": econ.pk, "amount": Decimal("400.00")},
    ]

    response = staff_client.post(url, membership_data(oia, [(oia, "1200")], yearly_fee="1200", version="1"))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.version == 2
    assert list(FeeShare.objects.filter(membership=membership).values_list("department", "amount")) == [
        (oia.pk, Decimal("1200.00"))
    ]


def test_a_stale_edit_comes_back_with_the_reason(staff_client):
    oia = DepartmentFactory()
    membership = membership_with_split(None, "1000", [(oia, Decimal("1000"))])
    Membership.objects.filter(pk=membership.pk).update(version=2)

    response = staff_client.post(
        reverse("networks:membership-edit", args=[membership.pk]),
        membership_data(oia, [(oia, "1000")], yearly_fee="1000", version="1", tier="Associate"),
    )

    assert response.status_code == 200
    assert "Someone else changed this membership" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).tier == ""


def test_a_role_is_added(staff_client):
    network = NetworkFactory()
    official = PersonFactory()

    response = staff_client.post(
        reverse("networks:role-create", args=[network.pk]),
        {"person": official.pk, "body": "Mobility Forum", "title": "Vice Chair", "starts_on": "2024-04-01"},
    )

    assert response.status_code == 302
    assert network.roles.get().title == "Vice Chair"


def test_a_role_cannot_end_before_it_starts(staff_client):
    network = NetworkFactory()

    response = staff_client.post(
        reverse("networks:role-create", args=[network.pk]),
        {
            "person": PersonFactory().pk,
            "body": "Forum",
            "title": "Chair",
            "starts_on": "2024-04-01",
            "ends_on": "2024-03-01",
        },
    )

    assert response.status_code == 200
    assert "The role cannot end before it starts." in response.content.decode()
    assert not network.roles.exists()


def test_only_outbound_delegations_can_be_linked_to_an_activity(staff_client):
    network = NetworkFactory()
    trip = DelegationFactory(title="Eurocities AGM")
    visit = DelegationFactory(title="Visitors from Lyon", direction="inbound")
    url = reverse("networks:activity-create", args=[network.pk])

    choices = list(staff_client.get(url).context["form"].fields["delegation"].queryset)
    assert trip in choices
    assert visit not in choices

    refused = staff_client.post(url, {"kind": "meeting", "date": "2026-04-20", "title": "AGM", "delegation": visit.pk})
    assert refused.status_code == 200
    assert not network.activities.exists()

    accepted = staff_client.post(url, {"kind": "meeting", "date": "2026-04-20", "title": "AGM", "delegation": trip.pk})
    assert accepted.status_code == 302
    assert network.activities.get().delegation == trip


def test_the_forms_have_one_heading_and_labelled_fields(staff_client):
    network = NetworkFactory()
    membership = MembershipFactory(network=network)
    for url in [
        reverse("networks:network-create"),
        reverse("networks:network-edit", args=[network.pk]),
        reverse("networks:membership-create", args=[network.pk]),
        reverse("networks:membership-edit", args=[membership.pk]),
        reverse("networks:role-create", args=[network.pk]),
        reverse("networks:activity-create", args=[network.pk]),
    ]:
        html = staff_client.get(url).content.decode()
        assert html.count("<h1>") == 1, url
        ids = re.findall(r'<(?:input(?![^>]*type="hidden")|select|textarea)[^>]*\bid="([^"]+)"', html)
        labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
        assert ids
        assert set(ids) <= labelled, (url, set(ids) - labelled)
