"""The order of precedence of the heads of consular posts (Vienna Convention
on Consular Relations, Art. 16) and which posts are open on a day."""

import datetime

import pytest
from django.urls import reverse

from protocol.models import ConsularPost
from tests.factories import ConsularPostFactory, PersonFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def order(day=DAY):
    return [post.name for post in ConsularPost.objects.open_on(day).in_precedence_order()]


def post(name, **fields):
    return ConsularPostFactory(name=name, **fields)


def test_class_comes_first():
    post("Consul", head_class=2, exequatur_on=datetime.date(2001, 1, 1))
    post("Consul General", head_class=1, exequatur_on=datetime.date(2020, 1, 1))

    assert order() == ["Consul General", "Consul"]


def test_within_a_class_career_heads_come_before_honorary_ones():
    post("Honorary", head_class=1, head_category="honorary", exequatur_on=datetime.date(2001, 1, 1))
    post("Career", head_class=1, head_category="career", exequatur_on=datetime.date(2020, 1, 1))
    post("Career consul", head_class=2, head_category="career", exequatur_on=datetime.date(2000, 1, 1))

    assert order() == ["Career", "Honorary", "Career consul"]


def test_within_class_and_category_the_earlier_exequatur_ranks_first():
    post("Later", exequatur_on=datetime.date(2021, 5, 1))
    post("Earlier", exequatur_on=datetime.date(2019, 5, 1))

    assert order() == ["Earlier", "Later"]


def test_a_provisional_admission_before_the_exequatur_counts():
    post("Exequatur 2019", exequatur_on=datetime.date(2019, 5, 1))
    post("Admitted 2018", provisional_admission_on=datetime.date(2018, 1, 1), exequatur_on=datetime.date(2020, 1, 1))
    post("Admitted only", provisional_admission_on=datetime.date(2019, 1, 1), exequatur_on=None)

    assert order() == ["Admitted 2018", "Admitted only", "Exequatur 2019"]


def test_a_provisional_admission_recorded_after_the_exequatur_does_not_push_the_head_down():
    post("Exequatur 2018", provisional_admission_on=datetime.date(2022, 1, 1), exequatur_on=datetime.date(2018, 1, 1))
    post("Exequatur 2020", exequatur_on=datetime.date(2020, 1, 1))

    assert order() == ["Exequatur 2018", "Exequatur 2020"]


def test_on_the_same_date_the_commission_presented_first_ranks_first():
    same = datetime.date(2020, 1, 1)
    post("Commission later", exequatur_on=same, commission_presented_on=datetime.date(2019, 12, 1))
    post("Commission earlier", exequatur_on=same, commission_presented_on=datetime.date(2019, 10, 1))

    assert order() == ["Commission earlier", "Commission later"]


def test_acting_heads_rank_after_every_head_of_post():
    post("Acting consul general", head_class=1, head_is_acting=True, exequatur_on=datetime.date(1990, 1, 1))
    post("Honorary consular agent", head_class=4, head_category="honorary", exequatur_on=datetime.date(2025, 1, 1))

    assert order() == ["Honorary consular agent", "Acting consul general"]


def test_posts_without_a_head_come_last():
    post("No head", head=None, head_class=None, exequatur_on=None)
    post("Acting", head_is_acting=True)
    post("Head")

    assert order() == ["Head", "Acting", "No head"]


def test_closed_posts_and_posts_not_yet_open_are_left_out_on_the_day():
    post("Open")
    post("Closed before", closed_on=datetime.date(2026, 5, 31))
    post("Closes that day", closed_on=DAY)
    post("Closes later", closed_on=datetime.date(2026, 6, 2))
    post("Opens later", opened_on=datetime.date(2026, 6, 2))
    post("Opens that day", opened_on=DAY)
    post("Opening unknown", opened_on=None)

    assert set(order()) == {"Open", "Closes later", "Opens that day", "Opening unknown"}


def test_the_page_numbers_the_heads_and_leaves_a_post_without_head_unranked(staff_client):
    post("Second", exequatur_on=datetime.date(2021, 1, 1), head=PersonFactory(name="Bea Second", department=None))
    post("First", exequatur_on=datetime.date(2020, 1, 1), head=PersonFactory(name="Ann First", department=None))
    post("Vacant", head=None)

    response = staff_client.get(reverse("protocol:precedence"), {"date": "2026-06-01"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Ann First") < page.index("Bea Second") < page.index("Vacant")
    assert 'id="rank-1"' in page
    assert 'id="rank-2"' in page
    assert 'id="rank-3"' not in page


def test_the_page_shows_the_posts_open_on_the_chosen_day(staff_client):
    post("Closed in 2025", closed_on=datetime.date(2025, 1, 1))

    assert "Closed in 2025" in staff_client.get(reverse("protocol:precedence"), {"date": "2024-06-01"}).content.decode()
    assert "Closed in 2025" not in staff_client.get(reverse("protocol:precedence")).content.decode()


@pytest.mark.parametrize("value", ["not-a-day", "0001-01-01", "9999-12-31", "2026-02-30"])
def test_a_wrong_day_answers_400_with_a_message(staff_client, value):
    response = staff_client.get(reverse("protocol:precedence"), {"date": value})

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode() or "Enter a" in response.content.decode()


def test_the_precedence_page_runs_one_query_for_the_order(staff_client, django_assert_max_num_queries):
    for number in range(3):
        post(f"Post {number}")
    with django_assert_max_num_queries(6) as few:
        staff_client.get(reverse("protocol:precedence"))
    for number in range(30):
        post(f"More {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(reverse("protocol:precedence")).status_code == 200
