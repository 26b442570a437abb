"""The audit trail's pages: the History section of every record page (office
staff only) and the administrators' Activity page with its CSV export."""

import csv
import datetime
import io
import re

import pghistory
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delegations.models import Delegation, Person
from networks.models import Network
from oia import activity_views, audit, pagination
from partners.models import City, Partnership
from reports.choices import VersionStatus
from tests.factories import (
    BudgetLineFactory,
    CityFactory,
    DelegationFactory,
    GrantApplicationFactory,
    NetworkFactory,
    PartnershipFactory,
    PersonFactory,
    ReportVersionFactory,
)
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db


def edit_form(partnership, **changes):
    return {
        "partner_city": partnership.partner_city.pk,
        "kind": partnership.kind,
        "formalised": partnership.formalised_on.isoformat(),
        "notes": partnership.notes,
        "version": partnership.version,
        **changes,
    }


def label(model, name):
    return str(model._meta.get_field(name).verbose_name).capitalize()


def history_section(html: str) -> str:
    start = html.index('id="record-history"')
    return html[start : html.index("</section>", start)]


# --- History on the record pages ---------------------------------------------------------


def test_an_edit_through_a_page_shows_on_the_record_page_with_who_and_old_to_new(staff_client, staff_user):
    partnership = PartnershipFactory(notes="before")
    url = reverse("partners:partnership-edit", args=[partnership.pk])
    assert staff_client.post(url, edit_form(partnership, notes="after")).status_code == 302

    page = staff_client.get(reverse("partners:partnership-detail", args=[partnership.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert '<a href="#record-history">History</a>' in html
    section = history_section(html)
    assert '<h2 id="record-history-heading">History</h2>' in section
    assert staff_user.username in section
    assert f"POST {url}" in section
    assert f"{label(Partnership, 'notes')}</span>: <del>before</del> → <ins>after</ins>" in section
    # Newest first: the edit comes before the creation.
    assert section.index("Changed") < section.index("Created")


def test_the_history_shows_when_and_changed_dates_in_words_the_api_keeps_iso(staff_client):
    """The page reads "4 May 2026"; the value itself stays ISO for the API and the exports."""
    delegation = DelegationFactory(start_on=datetime.date(2026, 5, 4), end_on=datetime.date(2026, 5, 6))
    with pghistory.context(username="erika"):
        Delegation.objects.filter(pk=delegation.pk).update(start_on=datetime.date(2026, 5, 5))

    html = staff_client.get(reverse("delegations:delegation-detail", args=[delegation.pk])).content.decode()

    section = history_section(html)
    assert f"{label(Delegation, 'start_on')}</span>: <del>4 May 2026</del> → <ins>5 May 2026</ins>" in section
    when = audit.history_for(delegation)[0].when
    shown = timezone.localtime(when).strftime("%-d %b %Y, %H:%M")
    assert f'<time datetime="{timezone.localtime(when).isoformat()}">{shown}</time>' in section
    assert not re.search(r">\d{4}-\d{2}-\d{2}", section)
    change = next(c for c in audit.history_for(delegation)[0].changes if c.field == "start_on")
    assert (change.old, change.new) == ("2026-05-04", "2026-05-05")


RECORD_PAGES = [
    ("delegations:person-detail", PersonFactory, Person, "name", "Erika Musterfrau"),
    ("delegations:delegation-detail", DelegationFactory, Delegation, "title", "Choir trip to Kraków"),
    ("networks:network-detail", NetworkFactory, Network, "name", "Eurocities renamed"),
    ("budget:line-detail", BudgetLineFactory, None, "name", "Travel renamed"),
    ("budget:grant-detail", GrantApplicationFactory, None, "destination", "Wrocław"),
]


@pytest.mark.parametrize(("url_name", "factory", "model", "field", "new"), RECORD_PAGES)
def test_record_pages_show_their_history(staff_client, url_name, factory, model, field, new):
    record = factory()
    old = getattr(record, field)
    with pghistory.context(username="erika", path="/somewhere/", method="POST", address="192.0.2.7"):
        type(record).objects.filter(pk=record.pk).update(**{field: new})

    page = staff_client.get(reverse(url_name, args=[record.pk]))

    assert page.status_code == 200
    section = history_section(page.content.decode())
    assert "erika" in section
    assert "POST /somewhere/ (192.0.2.7)" in section
    text = f"{label(type(record), field)}</span>: <del>{old}</del> → <ins>{new}</ins>"
    assert text in section


def test_a_record_page_runs_one_query_for_its_history_however_long(staff_client, django_assert_num_queries):
    partnership = PartnershipFactory()
    url = reverse("partners:partnership-detail", args=[partnership.pk])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as short:
        staff_client.get(url)
    for n in range(20):
        Partnership.objects.filter(pk=partnership.pk).update(notes=f"note {n}")
    with django_assert_num_queries(len(short.captured_queries)):
        page = staff_client.get(url)
    assert page.content.decode().count("note 1") >= 10


def test_a_long_history_shows_the_latest_fifty_and_links_administrators_to_the_rest(admin_client):
    city = CityFactory()
    for n in range(55):
        City.objects.filter(pk=city.pk).update(population=1000 + n)
    partnership = PartnershipFactory(partner_city=city)
    for n in range(55):
        Partnership.objects.filter(pk=partnership.pk).update(notes=f"note {n:02}")

    html = admin_client.get(reverse("partners:partnership-detail", args=[partnership.pk])).content.decode()

    section = history_section(html)
    assert "note 54" in section
    assert "note 04" in section
    assert "note 03" not in section
    assert "6 older changes are not shown." in section
    activity = f"{reverse('activity')}?kind=partners.Partnership&amp;record={partnership.pk}"
    assert activity in section


def test_club_leaders_and_the_council_never_see_a_history(client, leader, council_user):
    application = GrantApplicationFactory()
    application.club.leaders.add(leader)
    version = ReportVersionFactory(status=VersionStatus.PUBLISHED, published_at=timezone.now())
    with pghistory.context(username="stefan"):
        type(application).objects.filter(pk=application.pk).update(destination="Wrocław")

    client.force_login(leader)
    page = client.get(reverse("portal:grant-detail", args=[application.pk]))
    assert page.status_code == 200
    assert "Wrocław" in page.content.decode()
    assert 'id="record-history"' not in page.content.decode()
    assert "#record-history" not in page.content.decode()

    client.force_login(council_user)
    page = client.get(reverse("reports:version-detail", args=[version.pk]))
    assert page.status_code == 200
    assert 'id="record-history"' not in page.content.decode()
    assert "#record-history" not in page.content.decode()


def test_office_staff_see_the_history_of_a_report_version(staff_client):
    version = ReportVersionFactory()

    page = staff_client.get(reverse("reports:version-detail", args=[version.pk]))

    assert 'id="record-history"' in page.content.decode()


# --- The Activity page ---------------------------------------------------------------------


@pytest.fixture
def office_activity():
    """Three changes by two people on two days, of two kinds of record."""
    with pghistory.context(username="erika", path="/partners/1/edit/", method="POST", address="192.0.2.1"):
        partnership = PartnershipFactory(notes="Erika's note")
    with pghistory.context(username="stefan", path="/networks/new/", method="POST", address="192.0.2.2"):
        network = NetworkFactory(name="Stefan's network")
    with pghistory.context(username="stefan", path="/partners/1/edit/", method="POST", address="192.0.2.2"):
        Partnership.objects.filter(pk=partnership.pk).update(notes="Stefan's note")
    # The network was made last year.
    old = timezone.now() - datetime.timedelta(days=400)
    event_model = audit.event_model_for(Network)
    event_model.objects.filter(pgh_obj_id=network.pk).update(pgh_created_at=old)
    return {"partnership": partnership, "network": network, "old": old}


def activity(client, **params):
    return client.get(reverse("activity"), params)


def test_the_activity_page_lists_every_change_with_a_link_to_the_record(admin_client, office_activity):
    page = activity(admin_client)

    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Activity</h1>" in html
    assert "Stefan&#x27;s note" in html
    assert "Stefan&#x27;s network" in html
    assert "POST /networks/new/ (192.0.2.2)" in html
    detail = reverse("partners:partnership-detail", args=[office_activity["partnership"].pk])
    assert f'<a href="{detail}">' in html
    assert '<label for="id_user">' in html
    assert '<caption class="visually-hidden" id="activity-caption">' in html


def test_the_activity_page_filters_by_user_kind_and_dates(admin_client, office_activity):
    by_erika = activity(admin_client, user="erika").content.decode()
    assert "Erika&#x27;s note" in by_erika
    assert "Stefan&#x27;s" not in by_erika

    networks_only = activity(admin_client, kind="networks.Network").content.decode()
    assert "Stefan&#x27;s network" in networks_only
    assert "note" not in networks_only.split("<tbody>")[1]

    today = timezone.localdate().isoformat()
    recent = activity(admin_client, since=today, until=today).content.decode()
    assert "Stefan&#x27;s note" in recent
    assert "Stefan&#x27;s network" not in recent

    last_year = timezone.localdate(office_activity["old"]).isoformat()  # the day in the office's time zone
    old = activity(admin_client, since=last_year, until=last_year).content.decode()
    assert "Stefan&#x27;s network" in old
    assert "note" not in old.split("<tbody>")[1]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"until": "3000-01-01"},
        {"since": "1850-01-01"},
        {"since": "2025-02-01", "until": "2025-01-01"},
        {"kind": "auth.Permission"},
        {"kind": "partners.Partnership", "record": "x"},
        {"kind": "partners.Partnership", "record": str(2**64)},
        {"record": "5"},
        {"user": "a" * 151},
    ],
)
def test_bad_filters_answer_400_with_the_message_beside_the_field(admin_client, params):
    page = activity(admin_client, **params)

    assert page.status_code == 400
    assert 'class="field-error"' in page.content.decode()
    export = admin_client.get(reverse("activity-export"), params)
    assert export.status_code == 400


def test_the_csv_holds_the_filtered_rows_cleaned(admin_client, office_activity):
    partnership = office_activity["partnership"]
    with pghistory.context(username="@evil", path="/x/", method="POST", address="192.0.2.9"):
        Partnership.objects.filter(pk=partnership.pk).update(notes='=HYPERLINK("http://x")\x0b')

    response = admin_client.get(reverse("activity-export"), {"kind": "partners.Partnership"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When", "User", "From where"]
    assert [row[1] for row in rows[1:]] == ["'@evil", "stefan", "erika"]
    assert all(row[3] == "Partnership" and row[4] == str(partnership.pk) for row in rows[1:])
    assert 'Notes: Stefan\'s note → =HYPERLINK("http://x")' in rows[1][6]
    assert "\x0b" not in response.content.decode("utf-8-sig")
    assert "Stefan's network" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("extra", [0, 80])
def test_a_page_of_activity_runs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries, extra):
    for n in range(extra):
        PartnershipFactory(notes=f"note {n}")
        NetworkFactory()
        PersonFactory()
    with django_assert_max_num_queries(25):
        page = activity(admin_client)
    assert page.status_code == 200


def test_a_long_activity_shows_an_estimated_count_and_pages_to_its_end(admin_client, monkeypatch):
    """The audit trail only grows: past the limit the page does not count every event."""
    monkeypatch.setattr(activity_views, "PAGE_SIZE", 5)
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 3)
    for n in range(7):
        NetworkFactory(name=f"Network {n}")
    total = audit.activity().count()

    first = activity(admin_client).content.decode()
    pages = [activity(admin_client, page=n) for n in range(1, total // 5 + 2)]

    assert "about" in first
    assert "Page 1 of about" in first
    assert all(page.status_code == 200 for page in pages)
    assert 'rel="next"' not in pages[-1].content.decode()
    assert "Network 0" in "".join(page.content.decode() for page in pages)
    assert activity(admin_client, page=999).status_code == 200  # past the end: the first page, as before


@pytest.mark.parametrize("url_name", ["activity", "activity-export"])
def test_only_administrators_open_the_activity(client, staff_user, leader, council_user, url_name):
    url = reverse(url_name)
    assert client.get(url).status_code == 302
    for user in (staff_user, leader, council_user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_administrators_find_the_activity_in_the_navigation(admin, staff_user):
    administrator, office = sign_in(Client(), admin), Client()
    office.force_login(staff_user)
    assert f'href="{reverse("activity")}"' in administrator.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("activity")}"' not in office.get(reverse("dashboard")).content.decode()
