"""Trip grants: what the rules allow (75 % students, caps) and the way from
application to payment and report, with the money on the budget line."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget import selectors
from budget.forms import GrantReportForm
from budget.models import BudgetLine, CommitmentStatus, GrantRules, GrantStatus
from budget.services import grants
from oia.roles import Role
from partners.choices import ReviewStatus
from tests.factories import BudgetLineFactory, ClubFactory, GrantApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    rules = GrantRules.current()
    rules.base_rate = Decimal("50.00")
    rules.student_rate = Decimal("80.00")
    rules.max_per_application = Decimal("2500.00")
    rules.yearly_cap_per_club = Decimal("3000.00")
    rules.save()
    return rules


def allowed(rules, travellers, students, already="0"):
    return selectors.grant_allowed_amount(
        rules=rules, travellers=travellers, students=students, already_granted=Decimal(already)
    )


def test_exactly_three_quarters_students_gets_the_student_rate(rules):
    assert allowed(rules, travellers=20, students=15) == Decimal("1600.00")


def test_just_under_three_quarters_students_gets_the_base_rate(rules):
    assert allowed(rules, travellers=20, students=14) == Decimal("1000.00")
    assert allowed(rules, travellers=7, students=5) == Decimal("350.00")  # 71 %


def test_three_quarters_is_not_reached_by_rounding(rules):
    # 74.9 %: 3 × 1000 = 3000 > 4 × 749 = 2996
    assert not selectors.students_rate_applies(travellers=1000, students=749)
    assert selectors.students_rate_applies(travellers=1000, students=750)


def test_the_maximum_per_application_caps_a_large_group(rules):
    assert allowed(rules, travellers=40, students=40) == Decimal("2500.00")


def test_the_yearly_cap_leaves_only_what_the_club_has_not_yet_received(rules):
    assert allowed(rules, travellers=20, students=20, already="2000") == Decimal("1000.00")
    assert allowed(rules, travellers=20, students=20, already="3500") == Decimal("0.00")


def test_the_yearly_cap_counts_only_approved_grants_of_the_same_year(rules):
    club = ClubFactory()
    GrantApplicationFactory(club=club, status="approved", approved_amount=Decimal("1200.00"))
    GrantApplicationFactory(club=club, status="paid", approved_amount=Decimal("800.00"))
    GrantApplicationFactory(club=club, status="rejected", approved_amount=None)
    GrantApplicationFactory(
        club=club,
        status="approved",
        approved_amount=Decimal("900.00"),
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2025, 6, 2),
    )
    GrantApplicationFactory(status="approved", approved_amount=Decimal("999.00"))  # another club
    application = GrantApplicationFactory(club=club, travellers=20, students=20)

    assert selectors.granted_this_year(club=club, year=2026) == Decimal("2000.00")
    assert selectors.allowed_for(application, rules) == Decimal("1000.00")


@pytest.fixture
def grants_line():
    return BudgetLineFactory(name="Club grants", category="grants", planned=10000)


def test_approval_commits_the_amount_on_the_grants_line(rules, staff, grants_line):
    application = GrantApplicationFactory(travellers=20, students=16, requested_amount=Decimal("1500.00"))

    approved = grants.grant_approve(
        application=application, by=staff, approved_amount=Decimal("1400"), budget_line=grants_line
    )

    assert approved.status == GrantStatus.APPROVED
    assert approved.decided_by == staff
    line = BudgetLine.objects.with_amounts().get(pk=grants_line.pk)
    assert line.committed == Decimal("1400.00")
    assert line.available == Decimal("8600.00")
    assert approved.commitments.get().status == CommitmentStatus.OPEN


def test_approval_above_what_the_rules_allow_is_refused_in_words(rules, staff, grants_line):
    application = GrantApplicationFactory(travellers=10, students=0, requested_amount=Decimal("1500.00"))

    with pytest.raises(ValidationError) as refused:
        grants.grant_approve(application=application, by=staff, approved_amount=Decimal("600"), budget_line=grants_line)

    assert "The rules allow at most €500.00 for this application." in refused.value.message_dict["approved_amount"]
    application.refresh_from_db()
    assert application.status == GrantStatus.SUBMITTED
    assert not application.commitments.exists()


def test_approval_on_a_line_that_is_not_for_grants_is_refused(rules, staff):
    application = GrantApplicationFactory()
    gifts = BudgetLineFactory(category="gifts")

    with pytest.raises(ValidationError) as refused:
        grants.grant_approve(application=application, by=staff, approved_amount=Decimal("100"), budget_line=gifts)

    assert "budget_line" in refused.value.message_dict


def test_a_club_leader_cannot_approve_a_grant(rules, grants_line):
    leader = UserFactory(role=Role.CLUB_LEADER)
    application = GrantApplicationFactory()
    application.club.leaders.add(leader)

    with pytest.raises(ValidationError, match="Only the office decides"):
        grants.grant_approve(
            application=application, by=leader, approved_amount=Decimal("100"), budget_line=grants_line
        )


def test_payment_books_the_expense_and_replaces_the_commitment(rules, staff, grants_line):
    application = GrantApplicationFactory()
    grants.grant_approve(application=application, by=staff, approved_amount=Decimal("1000"), budget_line=grants_line)

    treasurer = UserFactory(role=Role.STAFF)  # four eyes: not the approver

    grants.grant_pay(application=application, by=treasurer, date=datetime.date(2026, 5, 20))

    application.refresh_from_db()
    assert application.status == GrantStatus.PAID
    assert application.commitments.get().status == CommitmentStatus.REPLACED
    line = BudgetLine.objects.with_amounts().get(pk=grants_line.pk)
    assert (line.committed, line.spent, line.available) == (Decimal("0.00"), Decimal("1000.00"), Decimal("9000.00"))
    with pytest.raises(ValidationError, match="already been paid|not possible"):
        grants.grant_pay(application=application, by=treasurer)


def test_cancelling_an_approved_grant_releases_the_money(rules, staff, grants_line):
    application = GrantApplicationFactory()
    grants.grant_approve(application=application, by=staff, approved_amount=Decimal("1000"), budget_line=grants_line)

    grants.grant_cancel(application=application, by=staff, reason="The trip was called off.")

    assert application.commitments.get().status == CommitmentStatus.RELEASED
    assert BudgetLine.objects.with_amounts().get(pk=grants_line.pk).available == Decimal("10000.00")


def test_a_cancellation_reason_with_a_control_character_is_refused_and_the_grant_stays_approved(
    rules, staff, grants_line
):
    application = GrantApplicationFactory()
    grants.grant_approve(application=application, by=staff, approved_amount=Decimal("1000"), budget_line=grants_line)

    with pytest.raises(ValidationError, match="invisible control characters"):
        grants.grant_cancel(application=application, by=staff, reason="Called\x0boff")

    application.refresh_from_db()
    assert application.status == GrantStatus.APPROVED
    assert application.commitments.get().status == CommitmentStatus.OPEN


def test_rejection_needs_a_reason(rules, staff):
    application = GrantApplicationFactory()

    with pytest.raises(ValidationError):
        grants.grant_reject(application=application, by=staff, reason="  ")
    rejected = grants.grant_reject(application=application, by=staff, reason="No programme in the partner city.")

    assert rejected.status == GrantStatus.REJECTED


def test_the_report_after_the_trip_becomes_a_submitted_exchange(rules, staff, grants_line):
    leader = UserFactory(role=Role.CLUB_LEADER)
    application = GrantApplicationFactory(students=16)
    application.club.leaders.add(leader)
    grants.grant_approve(application=application, by=staff, approved_amount=Decimal("1000"), budget_line=grants_line)

    reported = grants.grant_report(
        application=application,
        by=leader,
        actual_travellers=18,
        report="Two concerts, one in each town hall.",
        kind="culture",
        direction="outgoing",
        reciprocity=True,
    )

    assert reported.status == GrantStatus.REPORTED
    exchange = reported.exchange
    assert exchange.review_status == ReviewStatus.SUBMITTED
    assert (exchange.participants_local, exchange.young_participants, exchange.reciprocity) == (18, 16, True)
    assert exchange.club == application.club
    assert exchange.partnership == application.partnership


def test_more_students_than_travellers_is_refused_in_words():
    club = ClubFactory()
    application = GrantApplicationFactory.build(club=club, partnership=None, travellers=10, students=12)

    with pytest.raises(ValidationError) as refused:
        application.full_clean(exclude=["partnership", "club"])

    assert "There cannot be more students (12) than travellers (10)." in refused.value.message_dict["students"]


def test_a_stale_edit_of_an_application_is_refused():
    leader = UserFactory(role=Role.CLUB_LEADER)
    application = GrantApplicationFactory(status="draft")
    grants.grant_update(application=application, version=1, by=leader, destination="Kraków and Wieliczka")

    with pytest.raises(ValidationError, match="Someone else changed this application"):
        grants.grant_update(application=application, version=1, by=leader, destination="Kraków")


def test_the_club_hears_of_the_decision(rules, staff, grants_line):
    leader = UserFactory(role=Role.CLUB_LEADER)
    application = GrantApplicationFactory(destination="Lyon")
    application.club.leaders.add(leader)

    grants.grant_approve(application=application, by=staff, approved_amount=Decimal("750"), budget_line=grants_line)

    assert leader.notifications.get().text == "Your grant for Lyon was approved: €750.00."


def test_a_report_of_more_travellers_than_the_database_holds_is_a_form_error():
    form = GrantReportForm(
        {"actual_travellers": str(10**20), "kind": "school", "direction": "outgoing", "report": "We went."}
    )

    assert not form.is_valid()
    assert list(form.errors) == ["actual_travellers"]
