"""Reviewing a membership is its own action, in the pages as in the API: the
verdict, the reasoning, the day and the reviewer, every review kept as
history; the membership shows the latest one and its next review date. The
ordinary membership form no longer sets the verdict."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from networks.forms import MembershipForm
from networks.models import Membership, MembershipReview
from networks.services import membership_review, membership_save
from oia.roles import Role
from tests.factories import DepartmentFactory, MembershipFactory, NetworkFactory, UserFactory
from tests.networks.test_views import membership_data, membership_with_split

pytestmark = pytest.mark.django_db

# The reviews list: role check, the membership (with its shares), its reviews.
API_REVIEWS_QUERIES = 4
# Session, user, roles, unread notifications, the membership with its network.
REVIEW_PAGE_QUERIES = 5


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def review(membership, verdict="keep", note="Two project partners found.", next_in=365, **kwargs):
    return membership_review(membership=membership, verdict=verdict, note=note, next_review_on=days(next_in), **kwargs)


# --- the service -------------------------------------------------------------------


def test_every_review_is_kept_and_the_membership_shows_the_latest(staff):
    membership = MembershipFactory()

    review(membership, "reduce", "Overlaps with the Covenant.", 200, reviewed_on=days(-400), by=staff)
    review(membership, "keep", "Two EU project partners.", 365, by=staff)

    reviews = list(MembershipReview.objects.filter(membership=membership))
    assert [(r.verdict, r.reviewed_on) for r in reviews] == [("keep", today()), ("reduce", days(-400))]
    membership.refresh_from_db()
    assert (membership.verdict, membership.verdict_note, membership.review_on) == (
        "keep",
        "Two EU project partners.",
        days(365),
    )
    assert membership.version == 3


def test_an_older_review_recorded_late_joins_the_history_without_changing_the_membership():
    membership = MembershipFactory()
    review(membership, "keep", "Useful.", 300)

    review(membership, "leave", "Back then it was not.", 30, reviewed_on=days(-700))

    membership.refresh_from_db()
    assert (membership.verdict, membership.review_on, membership.version) == ("keep", days(300), 2)
    assert membership.reviews.count() == 2


def test_the_reviewer_and_their_name_are_kept_after_the_account_is_deleted():
    reviewer = UserFactory(first_name="Lea", last_name="Fischer", role=Role.STAFF)
    membership = MembershipFactory()
    review(membership, by=reviewer)

    reviewer.delete()

    kept = MembershipReview.objects.get(membership=membership)
    assert kept.reviewer is None
    assert kept.reviewer_name == "Lea Fischer"


@pytest.mark.parametrize(
    ("reviewed_in", "next_in", "field", "message"),
    [
        (1, 365, "reviewed_on", "A review cannot be dated in the future."),
        (-10, -10, "review_on", "The next review must be after this one."),
        (-10, -20, "review_on", "The next review must be after this one."),
    ],
)
def test_review_dates_must_be_in_order_and_not_in_the_future(reviewed_in, next_in, field, message):
    membership = MembershipFactory()

    with pytest.raises(ValidationError) as excinfo:
        review(membership, next_in=next_in, reviewed_on=days(reviewed_in))

    assert excinfo.value.message_dict[field] == [message]
    assert not MembershipReview.objects.exists()


def test_the_database_refuses_a_next_review_before_the_review():
    membership = MembershipFactory()

    with pytest.raises(Exception, match="membership_review_next_after_review"):
        MembershipReview.objects.create(
            membership=membership, verdict="keep", reasoning="x", reviewed_on=today(), next_review_on=days(-1)
        )


def test_a_new_membership_cannot_bring_its_own_verdict():
    membership = Membership(
        network=NetworkFactory(), since=datetime.date(2000, 1, 1), lead_department=DepartmentFactory(), verdict="keep"
    )

    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=membership, shares=[], version=None)

    assert excinfo.value.message_dict["verdict"] == [
        "A new membership has no review yet: record one on its page once it is saved."
    ]


def test_an_edit_keeps_the_latest_reviews_verdict_and_next_date():
    membership = membership_with_split(None, "0", review_on=days(30))
    review(membership, "reduce", "Overlaps.", 200)
    membership.refresh_from_db()

    membership.verdict, membership.verdict_note, membership.tier = "leave", "Typed over.", "Associate"
    saved = membership_save(membership=membership, shares=[], version=membership.version)
    assert (saved.verdict, saved.verdict_note, saved.tier) == ("reduce", "Overlaps.", "Associate")

    saved.review_on = days(10)
    with pytest.raises(ValidationError) as excinfo:
        membership_save(membership=saved, shares=[], version=saved.version)
    assert excinfo.value.message_dict["review_on"] == [
        "Each review sets the next review date: record a review to change it."
    ]


def test_the_first_review_date_is_set_with_the_membership_until_the_first_review():
    membership = membership_with_split(None, "0", review_on=days(30))

    membership.review_on = days(60)
    saved = membership_save(membership=membership, shares=[], version=membership.version)

    assert saved.review_on == days(60)


def test_the_carry_over_migration_makes_one_review_per_verdict_and_goes_back():
    migration = importlib.import_module("networks.migrations.0002_membership_reviews")
    D = datetime.date
    verdicts = {
        "due later": ("reduce", "Overlaps.", days(3650)),
        "overdue": ("keep", "Fine.", D(2025, 3, 1)),
        "leap day": ("keep", "Fine.", D(2024, 2, 29)),
        "leaving": ("leave", "Nothing.", None),
    }
    memberships = {}
    for name, (verdict, note, review_on) in verdicts.items():
        memberships[name] = MembershipFactory(network__name=name)
        Membership.objects.filter(pk=memberships[name].pk).update(
            verdict=verdict, verdict_note=note, review_on=review_on
        )
    MembershipFactory()  # never reviewed: no review

    migration.carry_over_verdicts(apps, None)

    carried = {r.membership.network.name: r for r in MembershipReview.objects.select_related("membership__network")}
    assert set(carried) == set(verdicts)
    assert all(r.carried_over and r.reviewer is None for r in carried.values())
    assert (carried["due later"].verdict, carried["due later"].reasoning) == ("reduce", "Overlaps.")
    # The day of the review is estimated: a year before the next one, never after today.
    assert {name: (r.reviewed_on, r.next_review_on) for name, r in carried.items()} == {
        "due later": (today(), days(3650)),
        "overdue": (D(2024, 3, 1), D(2025, 3, 1)),
        "leap day": (D(2023, 2, 28), D(2024, 2, 29)),
        "leaving": (today(), None),
    }

    review(memberships["leaving"], "keep", "Changed our mind.", 100)
    migration.drop_carried_over(apps, None)

    assert list(MembershipReview.objects.values_list("reasoning", flat=True)) == ["Changed our mind."]


# --- the pages ---------------------------------------------------------------------


def test_the_membership_form_no_longer_sets_the_verdict():
    membership = MembershipFactory(review_on=days(30))

    assert {"verdict", "verdict_note"}.isdisjoint(MembershipForm().fields)
    assert "review_on" in MembershipForm(instance=membership).fields
    review(membership)
    assert "review_on" not in MembershipForm(instance=Membership.objects.get(pk=membership.pk)).fields


def test_a_verdict_posted_with_the_membership_form_is_ignored(staff_client):
    """Moved from the membership form: the verdict now comes from the review action only."""
    membership = membership_with_split(None, "0")
    review(membership, "keep", "Useful.", 100)
    lead = membership.lead_department

    response = staff_client.post(
        reverse("networks:membership-edit", args=[membership.pk]),
        membership_data(lead, [], yearly_fee="0", version=str(membership.version), verdict="leave"),
    )

    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).verdict == "keep"


def test_the_review_form_proposes_today_and_a_year_later(staff_client, django_assert_max_num_queries):
    membership = MembershipFactory()

    with django_assert_max_num_queries(REVIEW_PAGE_QUERIES):
        response = staff_client.get(reverse("networks:membership-review", args=[membership.pk]))

    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert f'value="{today():%Y-%m-%d}"' in html
    assert f'value="{days(365):%Y-%m-%d}"' in html
    ids = re.findall(r'<(?:input(?![^>]*type="hidden")|select|textarea)[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert ids
    assert set(ids) <= labelled


def test_a_review_is_recorded_from_its_page_and_shown_in_the_history(client):
    reviewer = UserFactory(first_name="Lea", last_name="Fischer", role=Role.STAFF)
    client.force_login(reviewer)
    membership = MembershipFactory()

    response = client.post(
        reverse("networks:membership-review", args=[membership.pk]),
        {
            "verdict": "reduce",
            "verdict_note": "Overlaps with the Covenant of Mayors.",
            "reviewed_on": days(-3).isoformat(),
            "review_on": days(200).isoformat(),
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#membership-{membership.pk}")
    kept = MembershipReview.objects.get(membership=membership)
    assert (kept.verdict, kept.reviewed_on, kept.next_review_on, kept.reviewer) == (
        "reduce",
        days(-3),
        days(200),
        reviewer,
    )
    html = client.get(response["Location"]).content.decode()
    history = html.split(f'id="membership-{membership.pk}-reviews-heading"')[1]
    assert "Overlaps with the Covenant of Mayors." in history
    assert "Lea Fischer" in history
    assert f'<time datetime="{days(-3):%Y-%m-%d}">' in history
    assert reverse("networks:membership-review", args=[membership.pk]) in html


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"reviewed_on": "2999-01-01", "review_on": "3000-01-01"}, "A review cannot be dated in the future."),
        ({"review_on": ""}, "Give the date of the next review."),
        ({"verdict_note": "   "}, "This field is required."),
        ({"verdict": "maybe"}, "Select a valid choice."),
    ],
)
def test_a_refused_review_comes_back_with_the_reason(staff_client, fields, field_error):
    membership = MembershipFactory()
    data = {"verdict": "keep", "verdict_note": "Useful.", "reviewed_on": today().isoformat()}
    data["review_on"] = days(365).isoformat()

    response = staff_client.post(reverse("networks:membership-review", args=[membership.pk]), {**data, **fields})

    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not MembershipReview.objects.exists()


@pytest.mark.parametrize("role", [None, Role.COUNCIL, Role.CLUB_LEADER])
def test_only_the_office_may_review(client, role):
    membership = MembershipFactory()
    if role:
        client.force_login(UserFactory(role=role))

    response = client.post(
        reverse("networks:membership-review", args=[membership.pk]),
        {"verdict": "leave", "verdict_note": "x", "reviewed_on": today().isoformat(), "review_on": ""},
    )

    assert response.status_code == (302 if role is None else 403)
    assert not MembershipReview.objects.exists()


# --- the API -----------------------------------------------------------------------


def test_the_review_action_keeps_its_answer_and_records_the_reviewer(staff_api, staff_user):
    membership = MembershipFactory()

    response = staff_api.post(
        reverse("api:membership-review", args=[membership.pk]),
        {"verdict": "reduce", "note": "Overlaps.", "next_review_on": days(200).isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["verdict"], response.json()["review_on"]) == ("reduce", days(200).isoformat())
    kept = MembershipReview.objects.get(membership=membership)
    assert (kept.reviewer, kept.reviewed_on) == (staff_user, today())


def test_the_review_action_takes_an_earlier_day(staff_api):
    membership = MembershipFactory()

    response = staff_api.post(
        reverse("api:membership-review", args=[membership.pk]),
        {"verdict": "keep", "note": "Fine.", "next_review_on": days(100).isoformat(), "reviewed_on": "2025-01-10"},
        format="json",
    )
    future = staff_api.post(
        reverse("api:membership-review", args=[membership.pk]),
        {"verdict": "keep", "note": "Fine.", "next_review_on": None, "reviewed_on": days(2).isoformat()},
        format="json",
    )

    assert response.status_code == 200
    assert MembershipReview.objects.get().reviewed_on == datetime.date(2025, 1, 10)
    assert future.status_code == 400
    assert set(future.json()) == {"reviewed_on", "review_on"}


def test_the_reviews_are_listed_newest_first(staff_api, staff_user):
    membership = MembershipFactory()
    review(membership, "reduce", "Overlaps.", 30, reviewed_on=days(-400))
    review(membership, "keep", "Partners.", 300, by=staff_user)

    body = staff_api.get(reverse("api:membership-reviews", args=[membership.pk])).json()

    assert [(r["verdict"], r["reviewed_on"], r["reviewer_name"]) for r in body] == [
        ("keep", today().isoformat(), staff_user.get_full_name()),
        ("reduce", days(-400).isoformat(), ""),
    ]
    assert body[0]["reviewer"] == staff_user.pk
    assert body[0]["next_review_on"] == days(300).isoformat()


@pytest.mark.parametrize("count", [1, 30])
def test_the_reviews_list_runs_a_fixed_number_of_queries(staff_api, django_assert_max_num_queries, count):
    membership = MembershipFactory()
    for number in range(count):
        review(membership, note=f"Review {number}", reviewed_on=days(-number))

    with django_assert_max_num_queries(API_REVIEWS_QUERIES):
        response = staff_api.get(reverse("api:membership-reviews", args=[membership.pk]))

    assert len(response.json()) == count


def test_the_verdict_is_read_only_in_the_membership_api(staff_api):
    membership = membership_with_split(None, "0")
    review(membership, "keep", "Useful.", 100)
    version = Membership.objects.get(pk=membership.pk).version

    response = staff_api.patch(
        reverse("api:membership-detail", args=[membership.pk]),
        {"verdict": "leave", "verdict_note": "Typed over.", "tier": "Associate", "version": version},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["verdict"], response.json()["verdict_note"]) == ("keep", "Useful.")
    assert response.json()["tier"] == "Associate"


def test_the_next_review_date_is_refused_in_the_membership_api_after_a_review(staff_api):
    membership = membership_with_split(None, "0")
    review(membership, next_in=100)
    version = Membership.objects.get(pk=membership.pk).version

    response = staff_api.patch(
        reverse("api:membership-detail", args=[membership.pk]),
        {"review_on": days(5).isoformat(), "version": version},
        format="json",
    )

    assert response.status_code == 400
    assert "review_on" in response.json()
    assert Membership.objects.get(pk=membership.pk).review_on == days(100)


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.COUNCIL, 403), (Role.CLUB_LEADER, 403)])
def test_only_the_office_reads_and_records_reviews_through_the_api(api_client, role, status):
    membership = MembershipFactory()
    review(membership)
    if role:
        api_client.force_authenticate(UserFactory(role=role))

    listed = api_client.get(reverse("api:membership-reviews", args=[membership.pk]))
    posted = api_client.post(
        reverse("api:membership-review", args=[membership.pk]),
        {"verdict": "leave", "note": "x", "next_review_on": None},
        format="json",
    )

    assert (listed.status_code, posted.status_code) == (status, status)
    assert MembershipReview.objects.count() == 1
