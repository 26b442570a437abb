"""What the Consular Corps holds about a person shows in their data export,
and its personal fields are declared in the record of processing."""

import datetime

import pytest

from oia.personal_data import is_declared
from protocol.rights import consular_posts, national_days_represented
from tests.factories import ConsularPostFactory, NationalDayObservanceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_persons_posts_and_national_days_are_collected():
    person = PersonFactory()
    headed = ConsularPostFactory(name="Headed", head=person, head_title="Consul General")
    ConsularPostFactory(name="Deputised", deputy=person)
    ConsularPostFactory(name="Contact").contacts.add(person)
    ConsularPostFactory(name="Unrelated")
    NationalDayObservanceFactory(
        post=headed, date=datetime.date(2026, 7, 14), kind="represented", represented_by=person
    )

    posts = consular_posts(person)

    assert [(row["name"], row["role"]) for row in posts] == [
        ("Contact", "contact"),
        ("Deputised", "deputy"),
        ("Headed", "head of post"),
    ]
    assert posts[2]["head_title"] == "Consul General"
    assert national_days_represented(person)[0]["post"] == "Headed"


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("protocol.ConsularPost", "head"),
        ("protocol.ConsularPost", "deputy"),
        ("protocol.ConsularPost", "contacts"),
        ("protocol.NationalDayObservance", "represented_by"),
    ],
)
def test_the_personal_fields_are_declared(model, field):
    assert is_declared(model, field)
