"""The demo networks: loaded through the service (so the splits add up),
linked to the demo trips to network meetings, and idempotent."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from delegations.models import Delegation, Person
from demo import load_demo
from demo.networks import load_demo_networks
from networks.models import FeeShare, Membership, Network, NetworkActivity, NetworkRole
from networks.selectors import memberships_due

MODELS = (Network, Membership, FeeShare, NetworkRole, NetworkActivity, Person)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    load_demo()


def test_loading_twice_changes_nothing(demo):
    first = counts()

    assert load_demo_networks() == 0
    load_demo()

    assert counts() == first


def test_the_networks_load_on_their_own_too(db):
    """Without the delegations demo: the officials are created, no meeting is linked."""
    assert load_demo_networks() == 6
    first = counts()

    load_demo_networks()

    assert counts() == first
    assert not NetworkActivity.objects.filter(delegation__isnull=False).exists()


def test_eurocities_fee_is_pooled_by_four_departments(demo):
    membership = Membership.objects.get(network__name="Eurocities")

    shares = {share.department.short_name: share.amount for share in membership.fee_shares.select_related("department")}

    assert membership.yearly_fee == Decimal("16000.00")
    assert shares == {"OIA": 7000, "ECON": 4000, "CUL": 3000, "MOB": 2000}


def test_every_split_adds_up_to_its_fee(demo):
    for membership in Membership.objects.annotate(total=Sum("fee_shares__amount")):
        assert (membership.total or 0) == membership.yearly_fee, membership


def test_urban_security_is_led_by_the_police(demo):
    assert Membership.objects.get(network__acronym="Efus").lead_department.short_name == "POL"


def test_officials_hold_roles(demo):
    held = set(NetworkRole.objects.values_list("title", "body", "person__name"))

    assert ("Treasurer", "Executive Committee", "Dr. Markus Winter") in held
    assert ("Vice Chair", "Mobility Forum", "Peter Lang") in held
    assert NetworkRole.objects.filter(ends_on__lt=timezone.localdate()).exists()


def test_meetings_are_linked_to_the_trips_to_network_meetings(demo):
    trips = Delegation.objects.filter(direction="outbound", purpose="network_meeting", title__contains="Eurocities")
    assert trips.exists()

    linked = NetworkActivity.objects.filter(network__name="Eurocities", kind="meeting")

    assert set(linked.values_list("delegation", flat=True)) == set(trips.values_list("pk", flat=True))


def test_a_review_and_a_fee_are_due_soon(demo):
    due = memberships_due(timezone.localdate())

    assert "Eurocities" in [membership.network.name for membership in due["review"]]
    assert "Eurocities" in [membership.network.name for membership in due["fees"]]
