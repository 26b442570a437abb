"""The office-wide gift register: its page, filters, exports and API list,
on a few known gifts around the declaration threshold (€25 by default)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from delegations.models import Gift
from tests.factories import CityFactory, DelegationFactory, GiftFactory

D = datetime.date
LIST_URL = reverse("delegations:gift-list")
API_URL = reverse("api:gift-list")
# Session, user, roles, the count and the page's rows (with their delegations).
LIST_QUERY_LIMIT = 6
# Role check, count, page.
API_QUERY_LIMIT = 3


def export_url(fmt):
    return reverse("delegations:gift-export", args=[fmt])


@pytest.fixture
def gifts(db):
    """2025: to Kraków a given vase (€120) and a received book (€20); from Lyon a
    received painting (no value recorded) and a given pin at exactly €25.
    2024: a given clock (€300). A cancelled 2025 trip's gift (€500) is not in the register."""
    krakow = DelegationFactory(
        title="Mayor to Kraków", city=CityFactory(name="Kraków", country="PL"), start_on=D(2025, 5, 4)
    )
    lyon = DelegationFactory(
        title="Visitors from Lyon",
        direction="inbound",
        city=CityFactory(name="Lyon"),
        start_on=D(2025, 9, 1),
    )
    old = DelegationFactory(title="Jubilee in Lyon", start_on=D(2024, 6, 1), status="completed")
    cancelled = DelegationFactory(title="Cancelled trip", start_on=D(2025, 7, 1), status="cancelled")
    return {
        "vase": GiftFactory(delegation=krakow, description="Porcelain vase", counterpart="Mayor", value=120),
        "book": GiftFactory(
            delegation=krakow, direction="received", description="City book", counterpart="Deputy", value=20
        ),
        "painting": GiftFactory(
            delegation=lyon, direction="received", description="Painting", counterpart="Lyon", value=None
        ),
        "pin": GiftFactory(delegation=lyon, description="Lapel pin", counterpart="Guests", value=25),
        "clock": GiftFactory(delegation=old, description="Clock", counterpart="Mayor of Lyon", value=300),
        "cancelled": GiftFactory(delegation=cancelled, description="Unsent gift", value=500),
    }


def descriptions(response):
    return sorted(gift.description for gift in response.context["object_list"])


def api_descriptions(response):
    assert response.status_code == 200, response.content
    return sorted(row["description"] for row in response.json()["results"])


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_register_lists_gifts_of_delegations_that_take_place(staff_client, gifts):
    response = staff_client.get(LIST_URL)

    assert response.status_code == 200
    assert descriptions(response) == ["City book", "Clock", "Lapel pin", "Painting", "Porcelain vase"]


def test_gifts_above_the_threshold_are_flagged_in_words(staff_client, gifts):
    html = staff_client.get(LIST_URL, {"year": 2025}).content.decode()

    rows = {row.split("</td>")[3]: row for row in html.split("<tr>")[2:]}
    flags = {description.rsplit(">", 1)[-1]: row for description, row in rows.items()}
    assert "⚠ Declare" in flags["Porcelain vase"]
    assert "Below the threshold" in flags["Lapel pin"], "exactly the threshold needs no declaration"
    assert "Below the threshold" in flags["City book"]
    assert "Value unknown" in flags["Painting"]
    assert "Gifts worth more than €25.00 must be declared" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": 2025}, ["City book", "Lapel pin", "Painting", "Porcelain vase"]),
        ({"year": 2024}, ["Clock"]),
        ({"year": 2023}, []),
        ({"direction": "received"}, ["City book", "Painting"]),
        ({"above_threshold": "true"}, ["Clock", "Porcelain vase"]),
        ({"above_threshold": "false"}, ["City book", "Lapel pin", "Painting"]),
        ({"year": 2025, "above_threshold": "true"}, ["Porcelain vase"]),
        ({"q": "mayor"}, ["Clock", "Porcelain vase"]),
    ],
)
def test_the_page_and_the_api_filter_alike(staff_client, staff_api, gifts, params, expected):
    assert descriptions(staff_client.get(LIST_URL, params)) == expected
    assert api_descriptions(staff_api.get(API_URL, params)) == expected


def test_the_filter_by_delegation(staff_client, staff_api, gifts):
    delegation = gifts["pin"].delegation_id

    assert descriptions(staff_client.get(LIST_URL, {"delegation": delegation})) == ["Lapel pin", "Painting"]
    assert api_descriptions(staff_api.get(API_URL, {"delegation": delegation})) == ["Lapel pin", "Painting"]


def test_the_threshold_is_a_setting(staff_client, gifts, settings):
    settings.OIA_GIFT_DECLARATION_THRESHOLD = Decimal("100")

    response = staff_client.get(LIST_URL, {"above_threshold": "true"})

    assert descriptions(response) == ["Clock", "Porcelain vase"]
    assert descriptions(staff_client.get(LIST_URL, {"above_threshold": "false", "year": 2025})) == [
        "City book",
        "Lapel pin",
        "Painting",
    ]
    settings.OIA_GIFT_DECLARATION_THRESHOLD = Decimal("10")
    assert descriptions(staff_client.get(LIST_URL, {"above_threshold": "true", "year": 2025})) == [
        "City book",
        "Lapel pin",
        "Porcelain vase",
    ]


@pytest.mark.parametrize(
    "params",
    [{"year": "1800"}, {"year": "99999"}, {"year": "twenty"}, {"above_threshold": "maybe"}, {"delegation": "-1"}],
)
def test_bad_filters_answer_400_never_500(staff_client, staff_api, gifts, params):
    page = staff_client.get(LIST_URL, params)
    assert page.status_code == 400
    assert 'class="field-error"' in page.content.decode()
    assert staff_api.get(API_URL, params).status_code == 400
    export = staff_client.get(export_url("csv"), params)
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/plain")


def test_the_api_gives_the_flag_and_the_delegation(staff_api, gifts):
    response = staff_api.get(API_URL, {"year": 2025, "direction": "given"})

    rows = {row["description"]: row for row in response.json()["results"]}
    assert rows["Porcelain vase"]["value"] == "120.00"
    assert rows["Porcelain vase"]["above_threshold"] is True
    assert rows["Lapel pin"]["above_threshold"] is False
    assert rows["Porcelain vase"]["delegation"]["title"] == "Mayor to Kraków"
    assert rows["Porcelain vase"]["delegation"]["city_name"] == "Kraków"
    detail = staff_api.get(reverse("api:gift-detail", args=[gifts["vase"].pk]))
    assert detail.json()["counterpart"] == "Mayor"


def test_the_api_register_is_read_only(staff_api, gifts):
    response = staff_api.post(API_URL, {"description": "New"}, format="json")

    assert response.status_code == 405
    assert Gift.objects.count() == 6


def test_csv_export_has_the_filtered_gifts_with_their_flag(staff_client, gifts):
    rows = read_csv(staff_client.get(export_url("csv"), {"year": 2025, "direction": "given"}))

    assert rows == [
        [
            "Year",
            "Starts on",
            "Delegation",
            "Destination / origin",
            "Given or received",
            "Gift",
            "To / from whom",
            "Value",
            "Above the declaration threshold",
        ],
        ["2025", "2025-09-01", "Visitors from Lyon", "Lyon", "Given", "Lapel pin", "Guests", "25.00", "no"],
        ["2025", "2025-05-04", "Mayor to Kraków", "Kraków", "Given", "Porcelain vase", "Mayor", "120.00", "yes"],
    ]


def test_xlsx_export_keeps_values_as_numbers_and_flags(staff_client, gifts):
    rows = read_xlsx(staff_client.get(export_url("xlsx"), {"above_threshold": "true"}))

    assert [row[5:] for row in rows[1:]] == [
        ["Porcelain vase", "Mayor", 120, "yes"],
        ["Clock", "Mayor of Lyon", 300, "yes"],
    ]


def test_exports_defuse_text_a_spreadsheet_would_run(staff_client, db):
    GiftFactory(description='=HYPERLINK("http://x")', counterpart="+49 69 1234", value=30)

    csv_rows = read_csv(staff_client.get(export_url("csv")))
    xlsx_rows = read_xlsx(staff_client.get(export_url("xlsx")))

    assert csv_rows[1][5:7] == ['\'=HYPERLINK("http://x")', "'+49 69 1234"]
    assert xlsx_rows[1][5] == '=HYPERLINK("http://x")', "written as text, not as a formula"


def test_an_unknown_export_format_is_not_found(staff_client, db):
    assert staff_client.get(export_url("pdf")).status_code == 404


@pytest.mark.parametrize("count", [1, 60])
def test_the_page_the_export_and_the_api_run_a_fixed_number_of_queries(
    staff_client, staff_api, django_assert_max_num_queries, count
):
    for number in range(count):
        GiftFactory(delegation=DelegationFactory(start_on=D(2025, 1 + number % 12, 1)), value=number)

    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        page = staff_client.get(LIST_URL, {"year": 2025})
    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        export = staff_client.get(export_url("xlsx"), {"year": 2025})
    with django_assert_max_num_queries(API_QUERY_LIMIT):
        api = staff_api.get(API_URL, {"year": 2025})

    assert len(page.context["object_list"]) == min(count, 50)
    assert len(read_xlsx(export)) == count + 1
    assert api.json()["count"] == count


def test_the_navigation_leads_to_the_register_and_marks_it_current(staff_client, db):
    html = staff_client.get(LIST_URL).content.decode()

    assert f'<a href="{LIST_URL}" aria-current="page">' in html
    assert f'<a href="{reverse("delegations:delegation-list")}" aria-current="page">' not in html


def test_a_negative_threshold_fails_the_system_check(settings):
    settings.OIA_GIFT_DECLARATION_THRESHOLD = Decimal("-1")

    with pytest.raises(SystemCheckError, match="OIA_GIFT_DECLARATION_THRESHOLD"):
        call_command("check")
