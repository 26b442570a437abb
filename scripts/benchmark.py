"""Speed targets of oia, measured on a busy office's data.

Timed tests are flaky, so the targets live here and not in the suite: this
script builds a scratch database (its own, dropped at the end) with twenty
years of a very busy office, asks the main list pages and API lists for one
page as an OIA staff member, reads one year's council-report figures, and
compares the median time and the number of SQL queries with the targets
below, and times the nightly retention job, a 2,000-row partnership import
and loading the demo office. It exits 1 if a target is missed.

    make bench                        # or: .venv/bin/python scripts/benchmark.py
    .venv/bin/python scripts/benchmark.py --scale 0.2 --runs 3   # quicker

The data: 400 partner cities with status histories, 12 departments, 3,000
people, 700 delegations a year over 20 years (14,000) with three named
participants each, and a budget of 200 lines with 5,000 expenses. For the
retention job (measured last, so it changes nothing the pages saw): 20,000
visitors with needs, one visit each over the twenty years, 5 contacts per
partnership (a tenth of them ended long ago), 50,000 notifications and
20,000 sign-in records spread over two years.
"""

import argparse
import datetime
import logging
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oia.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

YEAR = 2026
# (name, url, most milliseconds for the median request, most SQL queries)
TARGETS = [
    ("partnership list", lambda: reverse("partners:partnership-list"), 400, 12),
    ("partnerships API", lambda: reverse("api:partnership-list"), 400, 12),
    ("delegation list", lambda: reverse("delegations:delegation-list") + f"?year={YEAR}", 400, 12),
    ("delegation calendar", lambda: reverse("delegations:calendar") + f"?month={YEAR}-05", 400, 12),
    ("delegations API", lambda: reverse("api:delegation-list") + f"?year={YEAR}", 400, 12),
    ("budget overview", lambda: reverse("budget:budget-overview", kwargs={"year": YEAR}), 600, 12),
    ("budget lines API", lambda: reverse("api:budget-line-list") + f"?year={YEAR}", 400, 12),
    ("dashboard", lambda: reverse("dashboard"), 600, 25),
]


def build(scale: float) -> None:
    """Bulk-create the data set; rows are made in batches, not one by one."""
    from budget.models import Budget, BudgetLine, Expense
    from delegations.models import Delegation, Department, Participant, Person
    from partners.models import City, Partnership, StatusChange

    rng = random.Random(20261202)
    countries = ["FR", "PL", "CN", "JP", "US", "GB", "IT", "ES", "TR", "EG", "IN", "BR", "CA", "IL", "HU", "CZ"]
    n_cities = max(20, int(400 * scale))
    cities = City.objects.bulk_create(
        City(
            name=f"City {i}",
            country=countries[i % len(countries)],
            region="europe",
            latitude=Decimal(i % 80),
            longitude=Decimal(i % 170),
            search_key=f"city {i}",
        )
        for i in range(n_cities)
    )
    partnerships = Partnership.objects.bulk_create(
        Partnership(partner_city=city, kind="twinning", formalised_on=datetime.date(1960 + i % 60, 5, 1))
        for i, city in enumerate(cities)
    )
    StatusChange.objects.bulk_create(
        StatusChange(partnership=p, status=status, effective_on=datetime.date(2000 + k, 1, 1), reason="Benchmark")
        for p in partnerships
        for k, status in enumerate(["active", "dormant", "active"])
    )
    departments = Department.objects.bulk_create(Department(name=f"Department {i}") for i in range(12))
    people = Person.objects.bulk_create(
        Person(name=f"Person {i}", title="Official", department=departments[i % 12]) for i in range(int(3000 * scale))
    )
    statuses = ["completed", "completed", "completed", "cancelled", "approved", "draft"]
    delegations = []
    for year in range(YEAR - 19, YEAR + 1):
        for i in range(int(700 * scale)):
            start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(360))
            outbound = i % 5 == 0
            status = rng.choice(statuses)
            if not outbound:
                status = {"approved": "confirmed", "draft": "requested"}.get(status, status)
            city = rng.choice(cities)
            delegations.append(
                Delegation(
                    direction="outbound" if outbound else "inbound",
                    title=f"Delegation {year}-{i}",
                    purpose="partner_city_visit",
                    city=city,
                    country=city.country,
                    start_on=start,
                    end_on=start + datetime.timedelta(days=rng.randrange(1, 6)),
                    department=rng.choice(departments),
                    head_count=rng.randrange(0, 20),
                    status=status,
                )
            )
    delegations = Delegation.objects.bulk_create(delegations, batch_size=2000)
    participants = []
    for delegation in delegations:
        for person in rng.sample(people, 3):
            participants.append(Participant(delegation=delegation, person=person))
    Participant.objects.bulk_create(participants, batch_size=5000)
    budget = Budget.objects.create(year=YEAR, status="adopted", mode="line_item")
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(budget=budget, name=f"Line {i}", category="partner_cities", planned=Decimal("13000.00"))
        for i in range(200)
    )
    Expense.objects.bulk_create(
        (
            Expense(
                line=rng.choice(lines),
                date=datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(330)),
                amount=Decimal(rng.randrange(100, 50000)) / 100,
                payee="Hotel",
                description="Benchmark",
            )
            for _ in range(5000)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them on a live database
    print(
        f"data: {len(cities)} partnerships, {len(people)} people, {len(delegations)} delegations, "
        f"{len(participants)} participants, 200 budget lines, 5000 expenses"
    )


def measure(runs: int, scale: float) -> bool:
    from django.contrib.auth import get_user_model

    from oia.roles import Role

    user = get_user_model().objects.create_user("benchmark-staff", password="unused")
    user.groups.add(django.contrib.auth.models.Group.objects.get(name=Role.STAFF))
    client = Client()
    client.force_login(user)
    ok = True
    print(f"{'page':<22}{'median ms':>10}{'target':>8}{'queries':>9}{'target':>8}  result")
    for name, url, most_ms, most_queries in TARGETS:
        address = url()
        client.get(address)  # warm caches and connections
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(address)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {address} answered {response.status_code}")
        median = statistics.median(times)
        passed = median <= most_ms and len(queries) <= most_queries
        ok &= passed
        print(
            f"{name:<22}{median:>10.0f}{most_ms:>8}{len(queries):>9}{most_queries:>8}  {'ok' if passed else 'MISSED'}"
        )
    ok &= measure_report_figures(runs)
    ok &= measure_import(user)
    ok &= measure_retention(scale)
    return ok


def build_personal_data(scale: float) -> None:
    """What the nightly retention job works on, in bulk (see the module docstring)."""
    from axes.models import AccessLog
    from django.contrib.auth import get_user_model

    from delegations.models import Delegation, Participant, Person
    from oia.models import Notification
    from partners.models import Contact, Partnership, StatusChange

    rng = random.Random(20261203)
    visitors = Person.objects.bulk_create(
        (
            Person(name=f"Visitor {i}", email=f"visitor{i}@example.org", dietary_needs="vegetarian")
            for i in range(int(20000 * scale))
        ),
        batch_size=5000,
    )
    inbound = list(Delegation.objects.filter(direction="inbound").values_list("pk", flat=True))
    Participant.objects.bulk_create(
        (Participant(delegation_id=rng.choice(inbound), person=visitor) for visitor in visitors), batch_size=5000
    )
    partnerships = list(Partnership.objects.all())
    Contact.objects.bulk_create(
        Contact(partnership=p, name=f"Contact {p.pk}-{k}", email=f"c{p.pk}-{k}@example.org")
        for p in partnerships
        for k in range(5)
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            partnership=p,
            status="ended",
            effective_on=datetime.date(2010, 1, 1) + datetime.timedelta(i),
            reason="Ended",
        )
        for i, p in enumerate(partnerships[::10])
    )
    user = get_user_model().objects.get(username="benchmark-staff")
    Notification.objects.bulk_create(
        (Notification(user=user, text=f"Notification {i}") for i in range(int(50000 * scale))), batch_size=5000
    )
    AccessLog.objects.bulk_create(
        (
            AccessLog(
                user_agent="Firefox", ip_address="192.0.2.1", username=f"user{i}", http_accept="*/*", path_info="/"
            )
            for i in range(int(20000 * scale))
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE oia_notification SET created_at = now() - (id % 730) * interval '1 day', "
            "read_at = CASE WHEN id % 3 > 0 THEN now() - (id % 730) * interval '1 day' END"
        )
        cursor.execute("UPDATE axes_accesslog SET attempt_time = now() - (id % 730) * interval '1 day'")
        cursor.execute("ANALYZE")


def measure_retention(scale: float) -> bool:
    """The nightly retention job (every rule, one run) on the whole data set,
    then again: the second run has nothing left to do."""
    from oia.retention import apply_all

    most_ms, most_queries = 60000, 100
    build_personal_data(scale)
    logging.getLogger("oia.security").setLevel(logging.WARNING)  # its per-rule lines, not here
    ok = True
    for name in ("nightly retention job", "retention, again"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            counts = apply_all()
            ms = (time.perf_counter() - started) * 1000
        passed = ms <= most_ms and len(queries) <= most_queries
        ok &= passed
        print(f"{name:<22}{ms:>10.0f}{most_ms:>8}{len(queries):>9}{most_queries:>8}  {'ok' if passed else 'MISSED'}")
        print("  " + ", ".join(f"{rule} {count}" for rule, count in counts.items()))
    return ok


def measure_report_figures(runs: int) -> bool:
    """The council report's figures for one year, read from all twenty years."""
    from reports.services import read_figures

    most_ms, most_queries = 1000, 60
    read_figures(YEAR)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            read_figures(YEAR)
            times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    passed = median <= most_ms and len(queries) <= most_queries
    name = "report figures (year)"
    print(f"{name:<22}{median:>10.0f}{most_ms:>8}{len(queries):>9}{most_queries:>8}  {'ok' if passed else 'MISSED'}")
    return passed


def import_file(rows: int) -> bytes:
    """A partnership file as German Excel saves it: Windows-1252, semicolons,
    German headers, country names and kind labels, a home-city column."""
    countries = ["Polen", "Frankreich", "Türkei", "Italien", "Spanien", "Japan", "Brasilien", "Tschechien"]
    kinds = ["Städtepartnerschaft", "Freundschaftsvereinbarung", "Projektbezogen / befristet", "Partnerbezirk"]
    lines = ["Heimatstadt;Partnerstadt;Land;Partnerschaft seit;Art;Status"]
    for n in range(rows):
        home = "Frankfurt a. M." if n % 10 else "Köln"
        lines.append(f"{home};Benchstädt {n};{countries[n % 8]};{1950 + n % 70};{kinds[n % 4]};Aktiv")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def measure_import(user) -> bool:
    """Importing a 2,000-row file (the most an import takes): reading it and
    the preview, then writing, then the same file again (everything
    unchanged), in a transaction rolled back afterwards."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from partners.import_files import MAX_ROWS, read_upload
    from partners.imports import partnerships_import, preview, propose_mapping

    data = import_file(MAX_ROWS)
    ok = True
    with transaction.atomic():
        for name, most_ms in (("import preview 2000", 2000), ("import 2000 rows", 5000), ("import 2000, again", 2000)):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                table = read_upload(SimpleUploadedFile("partners.csv", data))
                mapping = propose_mapping(table.headers)
                if name.startswith("import preview"):
                    checked = preview(table.rows, mapping, home_city="Frankfurt am Main")
                    assert not checked.has_errors, checked.error_messages[:3]
                else:
                    partnerships_import(
                        rows=table.rows, mapping=mapping, recorded_by=user, home_city="Frankfurt am Main"
                    )
                ms = (time.perf_counter() - started) * 1000
            passed = ms <= most_ms
            ok &= passed
            print(f"{name:<22}{ms:>10.0f}{most_ms:>8}{len(queries):>9}{'':>8}  {'ok' if passed else 'MISSED'}")
        transaction.set_rollback(True)
    return ok


def measure_demo_load() -> bool:
    """Loading the demo office into an empty database (what `make run` does on
    a fresh machine), in a transaction rolled back before the big data set."""
    from django.db import transaction

    from demo import load_demo

    most_ms = 5000
    with transaction.atomic():
        started = time.perf_counter()
        load_demo()
        ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    passed = ms <= most_ms
    print(f"{'demo load':<22}{ms:>10.0f}{most_ms:>8}{'':>9}{'':>8}  {'ok' if passed else 'MISSED'}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full data set (default 1)")
    parser.add_argument("--runs", type=int, default=5, help="requests per page (default 5)")
    options = parser.parse_args()
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        demo_ok = measure_demo_load()
        started = time.perf_counter()
        build(options.scale)
        print(f"built in {time.perf_counter() - started:.1f} s")
        ok = measure(options.runs, options.scale) and demo_ok
    finally:
        teardown_databases(old_config, verbosity=0)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
