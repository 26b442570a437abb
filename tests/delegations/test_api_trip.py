"""A whole trip through the API alone, as an integration (a travel booking
tool, the city's intranet) would drive it: an officer plans the trip with its
travellers, programme and estimated costs and submits it; an administrator
approves it; after the trip the officer books the actual costs, writes the
trip report and completes it; the council report of that year, generated on
the real Celery worker as the API does it, counts it."""

import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from oia.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("celery_worker_process", "transactional_db")


def client_for(role: str, username: str) -> APIClient:
    client = APIClient()
    # force_authenticate, like the admin_api fixture: an administrator's token would need the second factor.
    client.force_authenticate(UserFactory(username=username, role=role))
    return client


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json() if response.content else None


def wait_for_report(client, pk, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = ok(client.get(reverse("api:report-detail", args=[pk])))
        if report["status"] in ("done", "failed"):
            return report
        time.sleep(0.5)
    raise AssertionError(f"The report was not generated within {timeout} s: {report}")


def section(report, key):
    return next(section for section in report["figures"]["sections"] if section["key"] == key)


def figures(section):
    return {figure["key"]: figure["value"] for figure in section["figures"]}


def test_a_trip_planned_approved_completed_and_counted_through_the_api():
    officer = client_for(Role.STAFF, "olga")
    director = client_for(Role.ADMIN, "dora")

    # Given the places and people the trip needs
    city = ok(officer.post(reverse("api:city-list"), {"name": "Lyon", "country": "FR"}, format="json"), 201)
    department = ok(officer.post(reverse("api:department-list"), {"name": "Protocol"}, format="json"), 201)
    people = [
        ok(officer.post(reverse("api:person-list"), person, format="json"), 201)
        for person in (
            {"name": "Maria Mayer", "title": "Mayor", "department": department["id"]},
            {"name": "Olaf Ober", "title": "Head of Protocol", "department": department["id"]},
        )
    ]

    # The officer plans the trip
    trip = ok(
        officer.post(
            reverse("api:delegation-list"),
            {
                "direction": "outbound",
                "title": "Jubilee in Lyon",
                "purpose": "anniversary",
                "city_id": city["id"],
                "start_on": "2025-05-04",
                "end_on": "2025-05-06",
                "department": department["id"],
                "travel_class": "rail_second",
                "head_count": 3,
                "head_count_note": "Youth orchestra",
            },
            format="json",
        ),
        201,
    )
    trip_url = reverse("api:delegation-detail", args=[trip["id"]])
    under = {"delegation_pk": trip["id"]}
    for person, role in zip(people, ["lead", "member"], strict=True):
        ok(
            officer.post(
                reverse("api:delegation-participants", args=[trip["id"]]),
                {"person": person["id"], "role": role},
                format="json",
            ),
            201,
        )
    for item in (
        {"date": "2025-05-04", "starts_at": "10:00", "ends_at": "12:00", "title": "Reception at the Hôtel de Ville"},
        {"date": "2025-05-05", "kind": "site_visit", "title": "Tram depot", "counterparts": "SYTRAL"},
    ):
        ok(officer.post(reverse("api:delegation-programme-list", kwargs=under), item, format="json"), 201)
    costs = [
        ok(officer.post(reverse("api:delegation-cost-list", kwargs=under), cost, format="json"), 201)
        for cost in (
            {"category": "travel", "description": "Train", "estimated": "900.00", "payer": "city"},
            {"category": "accommodation", "description": "Hotel", "estimated": "1200.00", "payer": "city"},
            {"category": "hosting", "description": "Dinner", "estimated": "400.00", "payer": "partner"},
        )
    ]
    ok(officer.post(reverse("api:delegation-transitions", args=[trip["id"]]), {"to_status": "submitted"}), 201)

    # An administrator approves it; the officer may not
    refused = officer.post(reverse("api:delegation-transitions", args=[trip["id"]]), {"to_status": "approved"})
    assert refused.status_code == 409
    ok(director.post(reverse("api:delegation-transitions", args=[trip["id"]]), {"to_status": "approved"}), 201)
    approved = ok(officer.get(trip_url))
    assert (approved["status"], approved["approved_estimate"]) == ("approved", "2500.00")

    # After the trip: the actual costs, a gift, an outcome, the report, and done
    for cost, actual in zip(costs, ["850.00", "1250.50", "380.00"], strict=True):
        cost_url = reverse("api:delegation-cost-detail", kwargs={**under, "pk": cost["id"]})
        booked = ok(officer.patch(cost_url, {"actual": actual, "version": cost["version"]}, format="json"))
        assert (booked["actual"], booked["version"]) == (actual, cost["version"] + 1)
    ok(
        officer.post(
            reverse("api:delegation-gift-list", kwargs=under),
            {"direction": "received", "description": "Silk scarf", "counterpart": "Mayor of Lyon", "value": "80.00"},
            format="json",
        ),
        201,
    )
    ok(
        officer.post(
            reverse("api:delegation-outcome-list", kwargs=under),
            {"kind": "agreement", "description": "Letter of intent on trams", "owner": "olga"},
            format="json",
        ),
        201,
    )
    current = ok(officer.get(trip_url))
    ok(
        officer.patch(
            trip_url,
            {
                "trip_report": "Letter of intent on trams signed; youth exchange for 2026 agreed.",
                "version": current["version"],
            },
            format="json",
        )
    )
    ok(officer.post(reverse("api:delegation-transitions", args=[trip["id"]]), {"to_status": "completed"}), 201)
    done = ok(officer.get(trip_url))
    assert (done["status"], done["actual_total"], done["total_size"]) == ("completed", "2480.50", 5)

    # The council report of 2025, generated on the worker, counts the trip
    requested = ok(director.post(reverse("api:report-list"), {"year": 2025}, format="json"), 201)
    report = wait_for_report(director, requested["id"])
    assert report["status"] == "done", report

    travel = section(report, "travel")
    assert figures(travel) == {
        "visits_abroad": 1,
        "people_involved": 5,  # two named travellers and the head-count of three
        "mayor_trips": 1,
        "travel_cost": "2100.50",  # the actual amounts paid by the city (the partner paid the dinner)
    }
    mayor_trips = next(table for table in travel["tables"] if table["key"] == "mayor_trips")
    assert [row[1] for row in mayor_trips["rows"]] == ["Jubilee in Lyon"]
