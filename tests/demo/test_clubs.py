"""The demo's clubs: a year of exchanges (some both ways, one returned) and
grant applications in every state, one with 80 % students; loading twice
changes nothing, whatever the day."""

import datetime

import pytest
from django.utils import timezone

from budget.models import Commitment, Expense, GrantApplication, GrantStatus
from demo import load_demo
from partners.models import ClubAssociation, Exchange, ExchangeEvent
from partners.selectors import exchanges_readable_by

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Exchange, ExchangeEvent, GrantApplication, Commitment, Expense)
    }


@pytest.mark.parametrize(("month", "day"), [(1, 2), (11, 20)])
def test_the_demo_clubs_have_a_year_of_exchanges_and_grants_in_every_state(monkeypatch, month, day):
    today = datetime.date(timezone.localdate().year, month, day)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)

    load_demo()
    first = counts()
    load_demo()

    assert counts() == first
    exchanges = Exchange.objects.all()
    assert exchanges.values("club").distinct().count() == 3
    assert exchanges.filter(direction="both", reciprocity=True).count() >= 2
    returned = exchanges.get(review_status="returned")
    assert returned.review_comment
    assert not exchanges.filter(starts_on__gt=today).exists()
    earlier = exchanges.filter(starts_on__lt=today - datetime.timedelta(days=366))  # the earlier years' (history)
    assert set(earlier.values_list("review_status", flat=True)) <= {"accepted"}
    assert not exchanges.filter(starts_on__lt=today - datetime.timedelta(days=4 * 366)).exists()
    assert set(GrantApplication.objects.values_list("status", flat=True)) >= {
        GrantStatus.DRAFT,
        GrantStatus.SUBMITTED,
        GrantStatus.APPROVED,
        GrantStatus.REJECTED,
        GrantStatus.PAID,
        GrantStatus.REPORTED,
    }
    assert GrantApplication.objects.filter(travellers=20, students=16).exists(), "80 % students"
    reported = GrantApplication.objects.filter(status=GrantStatus.REPORTED).latest("starts_on")  # earlier years' too
    assert reported.exchange.review_status == "submitted"
    approved = GrantApplication.objects.get(status=GrantStatus.APPROVED)
    assert approved.commitments.get().status == "open"
    assert not Expense.objects.filter(date__gt=today).exists()


def test_the_demo_clubs_have_an_umbrella_association_whose_leaders_read_their_sent_exchanges():
    load_demo()

    association = ClubAssociation.objects.get()
    leader = association.leaders.get(username="clubleader")
    readable = exchanges_readable_by(leader, Exchange.objects.all())
    assert association.clubs.count() == 4
    assert readable.exclude(club__leaders=leader).exists(), "another member club's exchange, to read"
    assert not readable.exclude(club__leaders=leader).filter(review_status="draft").exists()
