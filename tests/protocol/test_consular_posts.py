"""The consular posts' pages: the filtered list in a fixed number of queries,
the post's page, the forms and their messages, closing and reopening on
record, the precedence download, and who may open them."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from oia.roles import Role
from protocol import services
from protocol.models import ConsularPost
from tests.factories import ConsularPostFactory, NationalDayObservanceFactory, PersonFactory
from tests.pages import section

pytestmark = pytest.mark.django_db

LIST = reverse("protocol:post-list")
CREATE = reverse("protocol:post-create")


def form_data(**changes):
    data = {
        "country": "JP",
        "kind": "consulate_general",
        "name": "Consulate-General of Japan",
        "head_category": "career",
        "head_class": "1",
        "national_day_month": "2",
        "national_day_day": "23",
        "languages": "Japanese, English",
        "opened_on": "1999-04-01",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_add_a_post_without_a_head(staff_client):
    response = staff_client.post(CREATE, form_data())

    post = ConsularPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("protocol:post-detail", args=[post.pk])
    assert (post.head, post.languages, post.version) == (None, ["Japanese", "English"], 1)


def test_staff_add_a_post_with_head_deputy_and_contacts(staff_client):
    head, deputy, contact = PersonFactory(), PersonFactory(), PersonFactory()

    staff_client.post(
        CREATE,
        form_data(head=str(head.pk), deputy=str(deputy.pk), contacts=[str(contact.pk)], head_title="Consul General"),
    )

    post = ConsularPost.objects.get()
    assert (post.head, post.deputy, list(post.contacts.all())) == (head, deputy, [contact])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"national_day_day": "30", "national_day_month": "2"}, "national_day_day", "This month has no such day."),
        ({"national_day_day": None}, "national_day_day", "Give both the month and the day"),
        ({"national_day_month": "13"}, "national_day_month", "less than or equal to 12"),
        ({"name": ""}, "name", "This field is required."),
        ({"kind": "palace"}, "kind", "Select a valid choice."),
        ({"head": "99999999"}, "head", "Select a valid choice."),
        ({"languages": ",".join(["x"] * 21)}, "languages", "Give at most 20 languages."),
        (
            {"provisional_admission_on": "2021-01-01", "exequatur_on": "2020-01-01"},
            "provisional_admission_on",
            "A provisional admission comes before the exequatur.",
        ),
        ({"exequatur_on": "20-20-20"}, "exequatur_on", "Enter a valid date."),
        ({"name": "Bad\x00name"}, "name", ""),
    ],
)
def test_the_form_says_what_is_wrong(staff_client, changes, field, message):
    response = staff_client.post(CREATE, form_data(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not ConsularPost.objects.exists()


def test_the_deputy_cannot_be_the_head(staff_client):
    person = PersonFactory()

    response = staff_client.post(CREATE, form_data(head=str(person.pk), deputy=str(person.pk)))

    assert "The deputy cannot be the head of post." in response.context["form"].errors["deputy"]


def test_an_edit_on_an_old_version_is_refused(staff_client):
    post = ConsularPostFactory()
    url = reverse("protocol:post-edit", args=[post.pk])
    staff_client.post(url, form_data(name="First edit", version=str(post.version)))

    response = staff_client.post(url, form_data(name="Second edit", version=str(post.version)))

    assert "Someone else changed this consular post" in response.content.decode()
    post.refresh_from_db()
    assert (post.name, post.version) == ("First edit", 2)


def test_an_edit_may_leave_the_head_empty(staff_client):
    post = ConsularPostFactory()

    staff_client.post(reverse("protocol:post-edit", args=[post.pk]), form_data(version=str(post.version)))

    post.refresh_from_db()
    assert post.head is None


def test_a_post_closes_on_record_and_reopens(staff_client):
    post = ConsularPostFactory(opened_on=datetime.date(2000, 1, 1))
    close = reverse("protocol:post-close", args=[post.pk])

    staff_client.post(close, {"closed_on": "2026-03-31", "reason": "Merged into Berlin", "version": post.version})
    post.refresh_from_db()
    assert post.closed_on == datetime.date(2026, 3, 31)
    assert "Closed on 31 March 2026: Merged into Berlin" in post.notes

    staff_client.post(
        reverse("protocol:post-reopen", args=[post.pk]), {"reason": "Typed on the wrong post", "version": post.version}
    )
    post.refresh_from_db()
    assert post.closed_on is None
    assert "Reopened (the closing on 31 March 2026 was undone): Typed on the wrong post" in post.notes


def test_closing_is_refused_when_closed_already_or_before_the_opening():
    post = ConsularPostFactory(opened_on=datetime.date(2000, 1, 1))

    with pytest.raises(ValidationError, match="cannot close before it opened"):
        services.post_close(post=post, closed_on=datetime.date(1999, 1, 1), reason="x", version=post.version)
    post = services.post_close(post=post, closed_on=datetime.date(2020, 1, 1), reason="x", version=post.version)
    with pytest.raises(ValidationError, match="closed already"):
        services.post_close(post=post, closed_on=datetime.date(2021, 1, 1), reason="x", version=post.version)


def test_reopening_an_open_post_and_a_stale_closing_are_refused():
    post = ConsularPostFactory()

    with pytest.raises(ValidationError, match="there is no closing to undo"):
        services.post_reopen(post=post, reason="x", version=post.version)
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.post_close(post=post, closed_on=datetime.date(2026, 1, 1), reason="x", version=post.version + 1)


def test_the_close_form_shows_the_refusal(staff_client):
    post = ConsularPostFactory(opened_on=datetime.date(2000, 1, 1))

    response = staff_client.post(
        reverse("protocol:post-close", args=[post.pk]),
        {"closed_on": "1990-01-01", "reason": "x", "version": post.version},
    )

    assert response.status_code == 200
    assert "A post cannot close before it opened (on 1 January 2000)." in response.content.decode()


def test_the_post_page_shows_everything_and_the_rank(staff_client):
    head = PersonFactory(name="Marie Curie")
    post = ConsularPostFactory(name="Consulate-General of France", head=head, deputy=PersonFactory(name="Paul Deputy"))
    post.contacts.add(PersonFactory(name="Claire Contact"))
    ConsularPostFactory(exequatur_on=datetime.date(2010, 1, 1))
    NationalDayObservanceFactory(post=post, date=datetime.date(2020, 7, 14), kind="attended")

    page = staff_client.get(reverse("protocol:post-detail", args=[post.pk])).content.decode()

    for text in ("Marie Curie", "Paul Deputy", "Claire Contact", "reception attended", "2020-07-14", "2 of 2"):
        assert text in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "IE"}, ["Ireland"]),
        ({"kind": "honorary_consulate"}, ["Ireland"]),
        ({"head_class": "2"}, ["Ireland"]),
        ({"head_category": "honorary"}, ["Ireland"]),
        ({"status": "closed"}, ["Gone"]),
        ({"status": "open"}, ["France", "Ireland"]),
        ({"q": "dublin"}, ["Ireland"]),
        ({"q": "Smith"}, ["France"]),
    ],
)
def test_the_list_filters(staff_client, query, expected):
    ConsularPostFactory(name="France", head=PersonFactory(name="Anna Smith"))
    ConsularPostFactory(
        name="Ireland",
        country="IE",
        kind="honorary_consulate",
        head_class=2,
        head_category="honorary",
        address="Dublin Road 1",
    )
    ConsularPostFactory(name="Gone", closed_on=datetime.date(2020, 1, 1))

    response = staff_client.get(LIST, query)

    assert sorted(post.name for post in response.context["object_list"]) == expected


@pytest.mark.parametrize("query", [{"head_class": "9"}, {"status": "maybe"}, {"country": "XX"}, {"q": "x" * 101}])
def test_a_wrong_filter_answers_400(staff_client, query):
    assert staff_client.get(LIST, query).status_code == 400


@pytest.mark.parametrize("count", [2, 25])
def test_the_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        ConsularPostFactory(deputy=PersonFactory())
    # Session, user, roles, the count and the page of posts with head and deputy (measured: 6).
    with django_assert_max_num_queries(6):
        response = staff_client.get(LIST)
    assert response.status_code == 200


def test_the_precedence_downloads_as_csv_with_formulas_defused(staff_client):
    ConsularPostFactory(name="=HYPERLINK(1)", head=PersonFactory(name="Ann Head"), head_title="Consul General")

    response = staff_client.get(reverse("protocol:precedence-export", args=["csv"]), {"date": "2026-06-01"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"] == 'attachment; filename="precedence-2026-06-01.csv"'
    assert rows[0][:3] == ["Rank", "Head of post", "Head's title"]
    assert rows[1][:3] == ["1", "Ann Head", "Consul General"]
    assert rows[1][7] == "'=HYPERLINK(1)"


def test_the_precedence_downloads_as_xlsx(staff_client):
    ConsularPostFactory(name="Consulate")

    response = staff_client.get(reverse("protocol:precedence-export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "1"
    assert sheet["H2"].value == "Consulate"


@pytest.mark.parametrize(("fmt", "query", "status"), [("pdf", {}, 404), ("csv", {"date": "x"}, 400)])
def test_a_wrong_download_is_refused(staff_client, fmt, query, status):
    assert staff_client.get(reverse("protocol:precedence-export", args=[fmt]), query).status_code == status


def protocol_urls():
    post = ConsularPostFactory()
    return [
        ("get", LIST),
        ("get", CREATE),
        ("get", reverse("protocol:post-detail", args=[post.pk])),
        ("get", reverse("protocol:post-edit", args=[post.pk])),
        ("post", reverse("protocol:post-close", args=[post.pk])),
        ("post", reverse("protocol:post-reopen", args=[post.pk])),
        ("get", reverse("protocol:precedence")),
        ("get", reverse("protocol:precedence-export", args=["csv"])),
        ("get", reverse("protocol:national-day-list")),
        ("post", reverse("protocol:national-day-record")),
    ]


@pytest.mark.parametrize("role", [Role.COUNCIL, Role.CLUB_LEADER])
def test_council_members_and_club_leaders_are_refused(client, user_for_role, role):
    client.force_login(user_for_role(role))
    for method, url in protocol_urls():
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for method, url in protocol_urls():
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url


def test_the_navigation_leads_staff_to_the_consular_corps(staff_client, client, council_user):
    assert f'href="{LIST}"' in staff_client.get(reverse("dashboard")).content.decode()
    client.force_login(council_user)
    assert f'href="{LIST}"' not in client.get(reverse("dashboard")).content.decode()


# --- the object page (summary, actions, section nav) --------------------------


def test_an_open_post_s_page_offers_the_closing_which_asks_first(staff_client):
    post = ConsularPostFactory(name="Consulate-General of France")

    html = staff_client.get(reverse("protocol:post-detail", args=[post.pk])).content.decode()

    header = html[html.index('<div class="object-header">') : html.index('<div class="object-page">')]
    assert '<span class="status status-open">Open</span>' in header
    assert "Kind of post" in section(html, "summary")
    actions = section(html, "actions")
    assert f'href="{reverse("protocol:post-edit", args=[post.pk])}"' in actions
    assert f'action="{reverse("protocol:post-close", args=[post.pk])}"' in actions
    assert 'data-confirm="Record the closing of “Consulate-General of France”?' in actions
    assert reverse("protocol:post-reopen", args=[post.pk]) not in actions
    for anchor in ["head", "national-day"]:
        assert f'<a href="#{anchor}">' in html


def test_a_closed_post_s_page_offers_only_undoing_the_closing(staff_client):
    post = ConsularPostFactory(opened_on=datetime.date(2000, 1, 1))
    post = services.post_close(post=post, closed_on=datetime.date(2020, 1, 1), reason="Merged", version=post.version)

    html = staff_client.get(reverse("protocol:post-detail", args=[post.pk])).content.decode()

    assert '<span class="status status-closed">Closed</span>' in html
    actions = section(html, "actions")
    assert reverse("protocol:post-close", args=[post.pk]) not in actions
    assert reverse("protocol:post-reopen", args=[post.pk]) in actions
