"""Section "Protocol and events" of the council report, on a hand-built year
whose answers are known, in the figures (the version's JSON), the HTML, the
XLSX and the PDF; its query count; council members read it only once published."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from oia.roles import Role
from reports.choices import VersionStatus
from reports.render import render_html, render_pdf, render_xlsx
from reports.sections import build_figures, canonical_json, protocol
from tests.factories import (
    AmbassadorActivityFactory,
    AmbassadorFactory,
    ConsularPostFactory,
    DelegationFactory,
    EventCostFactory,
    EventFactory,
    ExpenseFactory,
    GuestFactory,
    NationalDayObservanceFactory,
    ReportVersionFactory,
    UserFactory,
)
from tests.reports.figures import rows, section
from tests.second_factor import sign_in

D = datetime.date
UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def protocol_2025(db):
    """2025 against 2024, in Europe/Berlin.

    Posts: France (consulate-general, career, since 1990, national day 14 July), Iceland
    (honorary consulate, since 2010, 17 June), Ruritania (consulate, opened 1 March 2025 and
    closed 31 October 2025, 1 May), Atlantis (honorary consulate since 2000, closed on
    31 December 2025, its national day that very day), Elbonia (vice-consulate since 2001,
    closed on 1 January 2026, national day 29 February), Narnia (embassy office opened on
    31 December 2025, no national day), Freedonia (consulate-general opened 1 June 2024, 1 March).
    Observances 2025: a greeting to France, Iceland's reception attended, Ruritania's day
    represented, nothing for Elbonia; 2024: France attended, a greeting to Elbonia on 29 February.
    Events 2025: Europe Day (public, organised; five guests: accepted with two companions,
    accepted alone, declined, represented, no answer; €2,000 estimated and €1,800 spent and booked,
    €500 estimated not yet spent), a New Year's Eve reception at 23:30 (by invitation; one guest
    with a companion; €1,000 estimated, €1,200 spent, not booked), the opening of Ruritania's
    consulate (attended). Not counted: a cancelled theme day with a guest and a cost, a planned
    reception. 2024: Europe Day (one guest; €1,500 estimated, €1,400 spent and booked).
    Ambassadors: serving since 2020; appointed 1 April 2025; ended 30 June 2025 (since 2018);
    appointed 1 February 2024 until 31 December 2025. Activities 2025: an introduction, a
    promotion, a delegation starting in October 2025, one dated December 2025 whose delegation
    starts in 2026; 2024: a meeting, and a delegation dated November 2024 that starts in February 2025.
    """
    france = ConsularPostFactory(name="Consulate-General of France")
    iceland = ConsularPostFactory(
        name="Honorary Consulate of Iceland",
        country="IS",
        kind="honorary_consulate",
        head_category="honorary",
        opened_on=D(2010, 5, 1),
        national_day_month=6,
        national_day_day=17,
    )
    ruritania = ConsularPostFactory(
        name="Consulate of Ruritania",
        kind="consulate",
        opened_on=D(2025, 3, 1),
        closed_on=D(2025, 10, 31),
        national_day_month=5,
        national_day_day=1,
    )
    ConsularPostFactory(
        name="Honorary Consulate of Atlantis",
        kind="honorary_consulate",
        head_category="honorary",
        opened_on=D(2000, 1, 1),
        closed_on=D(2025, 12, 31),
        national_day_month=12,
        national_day_day=31,
    )
    elbonia = ConsularPostFactory(
        name="Vice-Consulate of Elbonia",
        kind="vice_consulate",
        opened_on=D(2001, 1, 1),
        closed_on=D(2026, 1, 1),
        national_day_month=2,
        national_day_day=29,
    )
    ConsularPostFactory(
        name="Embassy Office of Narnia",
        kind="embassy_office",
        opened_on=D(2025, 12, 31),
        national_day_month=None,
        national_day_day=None,
    )
    ConsularPostFactory(
        name="Consulate-General of Freedonia", opened_on=D(2024, 6, 1), national_day_month=3, national_day_day=1
    )
    NationalDayObservanceFactory(post=france, date=D(2025, 7, 14), kind="greeting")
    NationalDayObservanceFactory(post=iceland, date=D(2025, 6, 17), kind="attended")
    NationalDayObservanceFactory(post=ruritania, date=D(2025, 5, 1), kind="represented")
    NationalDayObservanceFactory(post=elbonia, date=D(2025, 2, 28), kind="none")
    NationalDayObservanceFactory(post=france, date=D(2024, 7, 14), kind="attended")
    NationalDayObservanceFactory(post=elbonia, date=D(2024, 2, 29), kind="greeting")

    europe_day = EventFactory(title="Europe Day 2025", status="held", starts_at=at(2025, 5, 9, 9))
    GuestFactory(event=europe_day, answer="accepted", companions=2)
    GuestFactory(event=europe_day, answer="accepted")
    GuestFactory(event=europe_day, answer="declined")
    GuestFactory(event=europe_day, answer="represented", represented_by="Her deputy")
    GuestFactory(event=europe_day, answer="pending")
    booked = ExpenseFactory(date=D(2025, 5, 20), amount=Decimal("1800"))
    EventCostFactory(event=europe_day, estimated=Decimal("2000"), actual=Decimal("1800"), expense=booked)
    EventCostFactory(event=europe_day, description="Flags", estimated=Decimal("500"), actual=None)
    reception = EventFactory(
        title="New Year's Eve reception",
        kind="reception",
        is_public=False,
        status="held",
        starts_at=at(2025, 12, 31, 22, 30),  # 23:30 in Berlin
    )
    GuestFactory(event=reception, answer="accepted", companions=1)
    EventCostFactory(event=reception, estimated=Decimal("1000"), actual=Decimal("1200"))
    EventFactory(
        title="Opening of the Consulate of Ruritania",
        kind="consulate_opening",
        role="attended",
        is_public=False,
        status="held",
        starts_at=at(2025, 3, 1, 10),
    )
    cancelled = EventFactory(title="Theme day", kind="theme_day", status="cancelled", starts_at=at(2025, 9, 1, 10))
    GuestFactory(event=cancelled, answer="accepted")
    EventCostFactory(event=cancelled, estimated=Decimal("300"), actual=Decimal("50"))
    EventFactory(title="Planned reception", kind="reception", status="planned", starts_at=at(2025, 12, 1, 18))
    last_year = EventFactory(title="Europe Day 2024", status="held", starts_at=at(2024, 5, 9, 9))
    GuestFactory(event=last_year, answer="accepted")
    EventCostFactory(
        event=last_year,
        estimated=Decimal("1500"),
        actual=Decimal("1400"),
        expense=ExpenseFactory(date=D(2024, 5, 20), amount=Decimal("1400")),
    )

    serving = AmbassadorFactory(appointed_on=D(2020, 1, 1))
    appointed = AmbassadorFactory(appointed_on=D(2025, 4, 1))
    ended = AmbassadorFactory(appointed_on=D(2018, 1, 1), until=D(2025, 6, 30))
    to_year_end = AmbassadorFactory(appointed_on=D(2024, 2, 1), until=D(2025, 12, 31))
    AmbassadorActivityFactory(ambassador=serving, date=D(2025, 3, 1), kind="introduction")
    AmbassadorActivityFactory(ambassador=serving, date=D(2025, 6, 1), kind="promotion")
    AmbassadorActivityFactory(
        ambassador=appointed,
        date=D(2025, 9, 1),
        kind="delegation",
        delegation=DelegationFactory(start_on=D(2025, 10, 1)),
    )
    AmbassadorActivityFactory(
        ambassador=ended, date=D(2025, 12, 1), kind="delegation", delegation=DelegationFactory(start_on=D(2026, 1, 15))
    )
    AmbassadorActivityFactory(ambassador=serving, date=D(2024, 5, 1), kind="meeting")
    AmbassadorActivityFactory(
        ambassador=to_year_end,
        date=D(2024, 11, 1),
        kind="delegation",
        delegation=DelegationFactory(start_on=D(2025, 2, 1)),
    )


EXPECTED_FIGURES = [
    ("posts_open", 5, 5, 0),
    ("posts_career", 4, 3, 1),
    ("posts_honorary", 1, 2, -1),
    ("posts_opened", 2, 1, 1),
    ("posts_closed", 2, 0, 2),
    ("national_days", 5, 4, 1),
    ("national_days_observed", 3, 2, 1),
    ("observed_greeting", 1, 1, 0),
    ("observed_attended", 1, 1, 0),
    ("observed_represented", 1, 0, 1),
    ("events_held", 3, 1, 2),
    ("events_public", 1, 1, 0),
    ("events_invitation", 2, 0, 2),
    ("events_organised", 2, 1, 1),
    ("events_attended", 1, 0, 1),
    ("events_cancelled", 1, 0, 1),
    ("guests_invited", 6, 1, 5),
    ("guests_accepted", 3, 1, 2),
    ("guests_companions", 3, 0, 3),
    ("guests_attending", 6, 1, 5),
    ("guests_declined", 1, 0, 1),
    ("guests_represented", 1, 0, 1),
    ("costs_estimated", "3500.00", "1500.00", "2000.00"),
    ("costs_actual", "3000.00", "1400.00", "1600.00"),
    ("costs_booked", "1800.00", "1400.00", "400.00"),
    ("ambassadors_serving", 3, 3, 0),
    ("ambassadors_appointed", 1, 1, 0),
    ("ambassadors_ended", 2, 0, 2),
    ("ambassador_delegations", 2, 0, 2),
]
EXPECTED_TABLES = {
    "posts_by_kind": [
        ["consulate-general", 2, 2, 0],
        ["embassy office", 1, 0, 1],
        ["honorary consulate", 1, 2, -1],
        ["vice-consulate", 1, 1, 0],
    ],
    "posts_opened_closed": [
        ["Consulate of Ruritania", "consulate", "career", "2025-03-01", "2025-10-31"],
        ["Embassy Office of Narnia", "embassy office", "career", "2025-12-31", ""],
        ["Honorary Consulate of Atlantis", "honorary consulate", "honorary", "2000-01-01", "2025-12-31"],
    ],
    "events_by_kind": [["Europe Day", 1, 1, 0], ["consulate opening", 1, 0, 1], ["reception", 1, 0, 1]],
    "events": [
        [
            "Opening of the Consulate of Ruritania",
            "2025-03-01",
            "consulate opening",
            "attended by the office",
            0,
            "0.00",
        ],
        ["Europe Day 2025", "2025-05-09", "Europe Day", "organised by the office", 2, "1800.00"],
        ["New Year's Eve reception", "2025-12-31", "reception", "organised by the office", 1, "1200.00"],
    ],
    "ambassador_activities": [
        ["delegation organised", 2, 1, 1],
        ["introduction made", 1, 0, 1],
        ["promotion of the city", 1, 0, 1],
        ["meeting attended", 0, 1, -1],
    ],
}


def figures_of(figures):
    return [(f["key"], f["value"], f["previous"], f["change"]) for f in section(figures, "protocol")["figures"]]


def test_every_figure_of_the_hand_built_year(protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")

    assert figures_of(figures) == EXPECTED_FIGURES
    for key, expected in EXPECTED_TABLES.items():
        assert rows(figures, "protocol", key) == expected, key


def test_the_json_of_a_version_carries_the_same_figures(protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")

    stored = json.loads(canonical_json(figures))

    assert figures_of(stored) == EXPECTED_FIGURES
    assert {key: rows(stored, "protocol", key) for key in EXPECTED_TABLES} == EXPECTED_TABLES
    assert [s["key"] for s in stored["sections"]][-2:] == ["protocol", "method"]


def test_the_report_names_no_guest_and_no_ambassador(protocol_2025):
    from delegations.models import Person
    from protocol.models import Ambassador, Guest

    figures, _ = build_figures(2025, cut_off="x")

    text = canonical_json(section(figures, "protocol"))
    guests, ambassadors = Guest.objects.values_list("person"), Ambassador.objects.values_list("person")
    people = Person.objects.filter(Q(pk__in=guests) | Q(pk__in=ambassadors))
    assert people.count() == 12  # eight guests, four ambassadors
    for person in people:
        assert person.name not in text


def test_the_year_before_counts_by_the_same_rules(protocol_2025):
    """2024 as the report's year: its own figures are 2025's previous ones."""
    figures, _ = build_figures(2024, cut_off="x")

    values = {key: value for key, value, _previous, _change in figures_of(figures)}
    assert values == {key: previous for key, _value, previous, _change in EXPECTED_FIGURES}
    assert rows(figures, "protocol", "posts_opened_closed") == [
        ["Consulate-General of Freedonia", "consulate-general", "career", "2024-06-01", ""]
    ]
    assert rows(figures, "protocol", "events") == [
        ["Europe Day 2024", "2024-05-09", "Europe Day", "organised by the office", 1, "1400.00"]
    ]


def test_a_year_after_the_records_compares_with_zero(protocol_2025):
    """2027 has no records but 2026 has (open posts, serving ambassadors): the
    section is shown with its previous year, as the other sections do."""
    figures, _ = build_figures(2027, cut_off="x")

    values = {key: (value, previous) for key, value, previous, _change in figures_of(figures)}
    assert values["posts_open"] == (4, 4)  # Elbonia closed on 1 January 2026
    assert values["events_held"] == (0, 0)
    assert values["costs_actual"] == ("0.00", "0.00")
    assert values["ambassadors_serving"] == (2, 2)


def section_text(html):
    match = re.search(r'<section class="report-section" id="section-protocol".*?</section>', html, re.S)
    assert match
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).replace("&#x27;", "'").split())


def test_html_shows_the_figures_and_the_tables(protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")

    text = section_text(render_html(figures))

    assert "8. Protocol and events" in text
    assert "Consular posts open on 31 December 5 5 0" in text
    assert "… headed by an honorary officer 1 2 -1" in text
    assert "National days of open posts in the year 5 4 +1" in text
    assert "Guests expected, companions included 6 1 +5" in text
    assert "Costs of events, actual €3,000.00 €1,400.00 +€1,600.00" in text
    assert "… booked as expenses on budget lines €1,800.00 €1,400.00 +€400.00" in text
    assert "Delegations organised by ambassadors 2 0 +2" in text
    assert "Honorary Consulate of Atlantis honorary consulate honorary 2000-01-01 2025-12-31" in text
    assert "New Year's Eve reception 2025-12-31 reception organised by the office 1 €1,200.00" in text
    assert "meeting attended 0 1 -1" in text
    for not_counted in ("Theme day", "Planned reception", "Her deputy"):
        assert not_counted not in text


def test_xlsx_has_a_protocol_sheet_with_numbers(protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")

    workbook = load_workbook(io.BytesIO(render_xlsx(figures)))

    assert [ws.title for ws in workbook.worksheets][-2:] == ["8 Protocol and events", "9 Method"]
    sheet = workbook["8 Protocol and events"]
    cells = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    by_label = {row[0]: row[1:4] for row in cells}
    assert by_label["Consular posts open on 31 December"] == (5, 5, 0)
    assert by_label["Guests who declined"] == (1, 0, 1)
    assert by_label["Costs of events, estimated"] == (3500, 1500, 2000)
    assert ("Europe Day 2025", "2025-05-09", "Europe Day", "organised by the office", 2, 1800) in [
        row[:6] for row in cells
    ]


def test_xlsx_keeps_a_formula_like_title_as_text(protocol_2025):
    EventFactory(title='=HYPERLINK("http://x")', status="held", starts_at=at(2025, 8, 1, 10))
    figures, _ = build_figures(2025, cut_off="x")

    sheet = load_workbook(io.BytesIO(render_xlsx(figures)))["8 Protocol and events"]

    cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


def test_pdf_prints_the_section(protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(render_pdf(figures))).pages)

    assert "Protocol and events" in text
    assert "Consular posts open on 31 December" in text
    assert "Consulate of Ruritania" in text
    assert "€3,000.00" in text


def test_the_method_section_says_how_protocol_figures_count(protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")

    method = dict(rows(figures, "method", "rules"))
    assert "a post closed on 31 December no longer counts" in method["Consular Corps"]
    assert "29 February falls on 28 February" in method["National days"]
    assert "cancelled events are counted apart" in method["Events"]
    assert "in the year the delegation starts" in method["City ambassadors"]


def test_without_protocol_records_the_section_says_so(db):
    figures, _ = build_figures(2025, cut_off="x")

    protocol_section = section(figures, "protocol")
    assert protocol_section["figures"] == []
    assert protocol_section["tables"] == []
    assert protocol_section["intro"] == "There are no protocol records for this year or the year before."
    text = section_text(render_html(figures))
    assert "There are no protocol records for this year or the year before." in text
    assert "key figures" not in text


# The totals of both years, the posts opened or closed, the events held.
QUERIES_OF_THE_SECTION = 3


@pytest.mark.parametrize("extra", [0, 20])
def test_the_section_costs_a_fixed_number_of_queries(protocol_2025, django_assert_num_queries, extra):
    for n in range(extra):
        post = ConsularPostFactory(opened_on=D(2025, 1 + n % 12, 1))
        NationalDayObservanceFactory(post=post, date=D(2025, 7, 14))
        event = EventFactory(status="held", starts_at=at(2025, 1 + n % 12, 2, 10))
        GuestFactory(event=event, answer="accepted")
        EventCostFactory(event=event, actual=10)
        AmbassadorActivityFactory(ambassador=AmbassadorFactory(appointed_on=D(2025, 1, 1)), date=D(2025, 5, 1))

    with django_assert_num_queries(QUERIES_OF_THE_SECTION):
        built = protocol.build(2025)

    assert len(next(t for t in built["tables"] if t["key"] == "events")["rows"]) == 3 + extra


def test_an_empty_year_costs_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        protocol.build(2025)


def login(client, role):
    user = UserFactory(username=f"{role}-reader", role=role)
    sign_in(client, user)
    return user


def test_council_members_see_the_section_only_in_the_published_version(client, api_client, protocol_2025):
    figures, checksum = build_figures(2025, cut_off="x")
    html = render_html(figures)
    draft = ReportVersionFactory(year=2025, number=2, figures=figures, html=html, checksum=checksum)
    published = ReportVersionFactory(
        year=2025, number=1, status=VersionStatus.PUBLISHED, figures=figures, html=html, checksum=checksum
    )
    login(client, Role.COUNCIL)

    page = client.get(reverse("reports:version-detail", args=[published.pk])).content.decode()
    assert 'id="section-protocol"' in page
    assert "Consular posts open on 31 December" in page
    assert client.get(reverse("reports:version-detail", args=[draft.pk])).status_code == 404

    api_client.force_authenticate(UserFactory(username="council-api", role=Role.COUNCIL))
    body = api_client.get(reverse("api:report-detail", args=[published.request_id])).json()
    assert figures_of(body["figures"]) == EXPECTED_FIGURES
    assert api_client.get(reverse("api:report-detail", args=[draft.request_id])).status_code == 404


def test_office_staff_see_the_section_in_a_draft(client, protocol_2025):
    figures, _ = build_figures(2025, cut_off="x")
    draft = ReportVersionFactory(year=2025, figures=figures, html=render_html(figures))
    login(client, Role.STAFF)

    page = client.get(reverse("reports:version-detail", args=[draft.pk])).content.decode()

    assert 'id="section-protocol"' in page
