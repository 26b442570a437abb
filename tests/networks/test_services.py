"""Memberships are saved with their fee split in one go: the shares must add
up exactly to the yearly fee, and an edit made on an old version is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from networks.models import FeeShare, Membership
from networks.services import membership_review, membership_save
from tests.factories import DepartmentFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    return [DepartmentFactory(name=name) for name in ("OIA test", "Economy test", "Culture test", "Mobility test")]


def new_membership(fee="16000", **fields):
    return Membership(
        network=fields.pop("network", None) or NetworkFactory(),
        since=datetime.date(1993, 1, 1),
        lead_department=fields.pop("lead_department", None) or DepartmentFactory(),
        yearly_fee=Decimal(fee),
        **fields,
    )


def split_messages(excinfo):
    return excinfo.value.message_dict["fee_shares"]


def test_an_exact_split_is_saved(departments):
    oia, econ, culture, mobility = departments
    shares = [(oia, Decimal("7000")), (econ, Decimal("4000")), (culture, Decimal("3000")), (mobility, Decimal("2000"))]

    membership = membership_save(membership=new_membership(), shares=shares, version=None)

    assert membership.version == 1
    saved = {share.department: share.amount for share in membership.fee_shares.all()}
    assert saved == {oia: Decimal("7000.00"), econ: Decimal("4000.00"), culture: Decimal("3000.00"), mobility: 2000}


def test_a_split_that_does_not_add_up_is_refused_naming_both_sums(departments):
    oia, econ, culture, _mobility = departments
    shares = [(oia, Decimal("8000")), (econ, Decimal("4000")), (culture, Decimal("3000"))]

    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=new_membership(), shares=shares, version=None)

    assert split_messages(excinfo) == ["The shares add up to €15,000.00 but the fee is €16,000.00."]
    assert not Membership.objects.exists()


def test_the_split_messages_name_the_office_currency(departments, settings):
    settings.OIA_CURRENCY = "GBP"
    oia, econ, *_ = departments

    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=new_membership("100.00"), shares=[(oia, Decimal("90.00"))], version=None)

    assert split_messages(excinfo) == ["The shares add up to £90.00 but the fee is £100.00."]


def test_one_cent_off_is_refused(departments):
    oia, econ, *_ = departments

    with pytest.raises(ValidationError) as excinfo:
        membership_save(
            membership=new_membership("100.00"),
            shares=[(oia, Decimal("50.00")), (econ, Decimal("50.01"))],
            version=None,
        )

    assert split_messages(excinfo) == ["The shares add up to €100.01 but the fee is €100.00."]


def test_a_department_cannot_appear_twice(departments):
    oia, *_ = departments

    with pytest.raises(ValidationError) as excinfo:
        membership_save(
            membership=new_membership("1000"), shares=[(oia, Decimal("500")), (oia, Decimal("500"))], version=None
        )

    assert split_messages(excinfo) == ["OIA test appears more than once in the split."]
    assert not FeeShare.objects.exists()


def test_a_negative_share_is_refused(departments):
    oia, econ, *_ = departments

    with pytest.raises(ValidationError) as excinfo:
        membership_save(
            membership=new_membership("1000"), shares=[(oia, Decimal("1500")), (econ, Decimal("-500"))], version=None
        )

    assert split_messages(excinfo) == ["The share of Economy test cannot be negative (€-500.00)."]


def test_an_empty_split_is_allowed_only_without_a_fee(departments):
    free = membership_save(membership=new_membership("0"), shares=[], version=None)
    assert free.pk
    assert not free.fee_shares.exists()

    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=new_membership("300"), shares=[], version=None)
    assert split_messages(excinfo) == ["Split the fee of €300.00 among the departments that pay it."]


def test_model_errors_and_split_errors_come_together(departments):
    oia, *_ = departments
    membership = new_membership("100", until=datetime.date(1990, 1, 1))

    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=membership, shares=[(oia, Decimal("90"))], version=None)

    errors = excinfo.value.message_dict
    assert errors["__all__"] == ["The end of the membership cannot be before its start."]
    assert errors["fee_shares"] == ["The shares add up to €90.00 but the fee is €100.00."]


def test_an_edit_replaces_the_whole_split(departments):
    oia, econ, culture, _mobility = departments
    membership = membership_save(
        membership=new_membership("1000"), shares=[(oia, Decimal("600")), (econ, Decimal("400"))], version=None
    )
    old_ids = set(membership.fee_shares.values_list("pk", flat=True))

    membership.yearly_fee = Decimal("1200")
    membership = membership_save(
        membership=membership, shares=[(culture, Decimal("700")), (oia, Decimal("500"))], version=1
    )

    assert membership.version == 2
    assert {(share.department, share.amount) for share in membership.fee_shares.all()} == {
        (culture, Decimal("700.00")),
        (oia, Decimal("500.00")),
    }
    assert not FeeShare.objects.filter(pk__in=old_ids).exists()


def test_a_refused_edit_changes_nothing(departments):
    oia, econ, *_ = departments
    membership = membership_save(
        membership=new_membership("1000"), shares=[(oia, Decimal("600")), (econ, Decimal("400"))], version=None
    )

    membership.yearly_fee = Decimal("2000")
    with pytest.raises(ValidationError):
        membership_save(membership=membership, shares=[(oia, Decimal("1000"))], version=1)

    fresh = Membership.objects.get(pk=membership.pk)
    assert fresh.yearly_fee == Decimal("1000.00")
    assert fresh.version == 1
    assert {(share.department, share.amount) for share in fresh.fee_shares.all()} == {
        (oia, Decimal("600.00")),
        (econ, Decimal("400.00")),
    }


def test_the_split_is_replaced_atomically_when_writing_fails(departments, monkeypatch):
    """If writing the new shares fails half-way, the old split and the old fee stay."""
    oia, econ, *_ = departments
    membership = membership_save(
        membership=new_membership("1000"), shares=[(oia, Decimal("600")), (econ, Decimal("400"))], version=None
    )

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(FeeShare.objects, "bulk_create", broken_bulk_create)
    membership.yearly_fee = Decimal("500")
    with pytest.raises(RuntimeError):
        membership_save(membership=membership, shares=[(oia, Decimal("500"))], version=1)

    fresh = Membership.objects.get(pk=membership.pk)
    assert fresh.yearly_fee == Decimal("1000.00")
    assert fresh.version == 1
    assert fresh.fee_shares.count() == 2


def test_a_stale_version_is_refused(departments):
    oia, *_ = departments
    membership = membership_save(membership=new_membership("100"), shares=[(oia, Decimal("100"))], version=None)
    colleague = Membership.objects.get(pk=membership.pk)
    membership_save(membership=colleague, shares=[(oia, Decimal("100"))], version=1)  # now version 2

    membership.tier = "Associate"
    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=membership, shares=[(oia, Decimal("100"))], version=1)

    assert excinfo.value.messages[0].startswith("Someone else changed this membership")
    assert Membership.objects.get(pk=membership.pk).tier == ""


def test_an_edit_without_a_version_is_refused(departments):
    oia, *_ = departments
    membership = membership_save(membership=new_membership("100"), shares=[(oia, Decimal("100"))], version=None)

    with pytest.raises(ValidationError, match="Someone else changed this membership"):
        membership_save(membership=membership, shares=[(oia, Decimal("100"))], version=None)


def test_a_review_records_the_verdict_and_the_next_date():
    membership = MembershipFactory()
    next_year = timezone.localdate() + datetime.timedelta(days=365)

    reviewed = membership_review(
        membership=membership, verdict="keep", note="Two project partners found.", next_review_on=next_year
    )

    assert (reviewed.verdict, reviewed.verdict_note, reviewed.review_on) == (
        "keep",
        "Two project partners found.",
        next_year,
    )
    assert reviewed.version == 2


@pytest.mark.parametrize(
    ("verdict", "note", "days", "field"),
    [
        ("keep", "  ", 100, "verdict_note"),
        ("maybe", "Useful.", 100, "verdict"),
        ("keep", "Useful.", 0, "review_on"),
        ("reduce", "Useful.", None, "review_on"),
    ],
)
def test_a_review_needs_a_verdict_a_note_and_a_future_date(verdict, note, days, field):
    membership = MembershipFactory()
    next_review_on = None if days is None else timezone.localdate() + datetime.timedelta(days=days)

    with pytest.raises(ValidationError) as excinfo:
        membership_review(membership=membership, verdict=verdict, note=note, next_review_on=next_review_on)

    assert field in excinfo.value.message_dict
    assert Membership.objects.get(pk=membership.pk).verdict == ""


def test_leaving_needs_no_next_review():
    membership = MembershipFactory()

    reviewed = membership_review(
        membership=membership, verdict="leave", note="Nothing in three years.", next_review_on=None
    )

    assert reviewed.verdict == "leave"
    assert reviewed.review_on is None
