"""The demo protocol data: a Consular Corps with one post opened and one
closed this year, national days observed, Europe Day on 9 May, the
ambassadors with one delegation organised (already official, so the demo
delegations stay as they were), deterministic and idempotent."""

import datetime

import pytest
from django.utils import timezone

from delegations.models import Delegation, Person
from demo import load_demo
from demo.protocol import load_demo_protocol
from protocol.choices import EventKind, HeadCategory, PostKind
from protocol.models import (
    Ambassador,
    AmbassadorActivity,
    ConsularPost,
    Event,
    EventCost,
    Guest,
    NationalDayObservance,
)

MODELS = (ConsularPost, NationalDayObservance, Event, EventCost, Guest, Ambassador, AmbassadorActivity, Person)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    load_demo()


def test_the_demo_has_a_consular_corps_events_and_ambassadors(demo):
    year = timezone.localdate().year
    posts = ConsularPost.objects.all()

    assert 35 <= posts.count() <= 50
    assert posts.filter(closed_on__year=year).count() == 1
    assert posts.filter(opened_on__year=year).count() == 1
    assert posts.filter(kind=PostKind.EMBASSY_OFFICE).exists()
    assert posts.filter(head_is_acting=True).count() == 1
    honorary = posts.filter(kind__in=[PostKind.HONORARY_CONSULATE, PostKind.HONORARY_CONSULATE_GENERAL])
    assert set(honorary.values_list("head_category", flat=True)) == {HeadCategory.HONORARY}
    assert NationalDayObservance.objects.filter(date__year=year).exists()
    assert NationalDayObservance.objects.filter(kind="attended").exists()
    europe = Event.objects.get(kind=EventKind.EUROPE_DAY)
    assert timezone.localtime(europe.starts_at).date() == datetime.date(year, 5, 9)
    assert europe.is_public
    assert Event.objects.filter(kind=EventKind.THEME_DAY, is_public=True).count() == 1
    assert Event.objects.filter(kind=EventKind.AMBASSADORS_MEETING).count() == 1
    assert Guest.objects.filter(ambassador__isnull=False).exists()
    assert Guest.objects.filter(consular_post__isnull=False).count() > 30
    assert 6 <= Ambassador.objects.count() <= 10
    organised = AmbassadorActivity.objects.get(delegation__isnull=False)
    assert organised.delegation.official_guest
    assert organised.delegation.version == Delegation.objects.get(pk=organised.delegation_id).version


def test_the_rows_keep_every_rule_of_their_models(demo):
    for model in (ConsularPost, NationalDayObservance, Event, EventCost, Guest, Ambassador, AmbassadorActivity):
        for row in model.objects.all():
            row.full_clean()


def test_the_precedence_order_decides_ties_by_the_commission_and_puts_the_acting_head_last(demo):
    order = list(ConsularPost.objects.exclude(head__isnull=True).in_precedence_order())
    countries = [post.country.code for post in order]
    assert countries.index("KR") < countries.index("US")  # same exequatur, Korea's commission came first
    assert order[-1].head_is_acting or order[-1].head_class is None


def test_loading_twice_changes_nothing(demo):
    first = counts()
    assert load_demo_protocol() == 0
    load_demo()
    assert counts() == first
