"""Speed of the council report's generation on the demo office.

Times each step of a generation (figures, HTML, PDF, XLSX) and a whole
generation as the worker runs it (``reports.services.report_generate``: the
steps, the progress writes and saving the version), on the demo data already
loaded, for the latest complete demo year. Each run is rolled back. The first
generation warms the process up (templates, fonts, the print stylesheet), as a
long-running worker does once at start, and is not counted.

    .venv/bin/python scripts/bench_report.py            # its own scratch database
    .venv/bin/python scripts/bench_report.py --runs 7
    .venv/bin/python scripts/bench_report.py --profile  # and where one PDF's time goes

Wall times are noisy on a shared machine: each step also prints its median
CPU time of this process (``cpu ms``), which other processes disturb less.
``--profile`` prints one PDF under cProfile: its function calls (the same
from run to run), its time by WeasyPrint's phases and the functions with the
most time of their own; shares, not milliseconds, are what compare.

Run alone, it builds a scratch database (dropped at the end), loads the demo
office and exits 1 if the target is missed. ``scripts/benchmark.py`` can call
``measure_report_generation`` inside its demo transaction.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oia.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

# The demo office has 2024, 2025 and the current year: 2025 is the latest whole one.
YEAR = 2025
MOST_MS = 1500


# WeasyPrint's phases of a PDF, as (label, its function in the profile).
PDF_PHASES = [
    ("styles (cascade)", "css/__init__.py", "get_all_computed_styles"),
    ("boxes", "formatting_structure/build.py", "build_formatting_structure"),
    ("layout", "layout/__init__.py", "layout_document"),
    ("drawing", "document.py", "paint"),
    ("charts and map (SVG)", "svg/__init__.py", "draw"),
    ("tagging (PDF/UA)", "pdf/tags.py", "add_tags"),
    ("writing the file", "pydyf/__init__.py", "write"),
]


def _timed(step) -> tuple[float, int, float]:
    """Milliseconds (wall and CPU) and SQL queries of one call, rolled back."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            step()
            ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        transaction.set_rollback(True)
    return ms, len(queries), cpu_ms


def profile_pdf(figures: dict, top: int = 25) -> None:
    """One PDF under cProfile: calls, shares of WeasyPrint's phases, top functions."""
    from reports.render import render_pdf

    profile = cProfile.Profile()
    profile.enable()
    render_pdf(figures)
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt
    print(f"\nPDF under cProfile: {stats.total_calls:,} function calls, {total * 1000:,.0f} ms profiled")
    for label, path, name in PDF_PHASES:
        found = [row for key, row in stats.stats.items() if key[0].endswith(path) and key[2] == name]
        cumulative = sum(row[3] for row in found)
        print(f"  {label:<24}{100 * cumulative / total:>5.1f} %")
    print(f"\n{'own ms':>8}{'share':>7}{'calls':>10}  function")
    for (path, line, name), (_, calls, own, _cumulative, _callers) in sorted(
        stats.stats.items(), key=lambda item: -item[1][2]
    )[:top]:
        where = path.split("site-packages/")[-1]
        print(f"{own * 1000:>8.0f}{100 * own / total:>6.1f}%{calls:>10}  {where}:{line}({name})")


def measure_report_generation(runs: int = 3, *, profile: bool = False) -> bool:
    """Each step's median and a whole generation's, against MOST_MS for the whole."""
    from django.conf import settings
    from django.utils import translation

    from reports.models import ReportRequest
    from reports.render import render_html, render_pdf, render_xlsx
    from reports.services import read_figures, report_generate

    def generate():
        request = ReportRequest.objects.create(year=YEAR)
        if report_generate(request_id=request.pk) is None:
            raise SystemExit(f"report {YEAR}: {ReportRequest.objects.get(pk=request.pk).failure_reason}")

    with translation.override(settings.OIA_REPORT_LANGUAGE):
        figures = read_figures(YEAR)[0]
        steps = [
            ("report figures", lambda: read_figures(YEAR)),
            ("report HTML", lambda: render_html(figures)),
            ("report PDF", lambda: render_pdf(figures)),
            ("report XLSX", lambda: render_xlsx(figures)),
        ]
        _timed(generate)  # warm-up, paid once when a worker starts
        ok = True
        for name, step in [*steps, ("report generation", generate)]:
            results = [_timed(step) for _ in range(runs)]
            ms = statistics.median(ms for ms, _queries, _cpu in results)
            cpu = statistics.median(cpu for _ms, _queries, cpu in results)
            queries = max(queries for _ms, queries, _cpu in results)
            target, result = "", ""
            if name == "report generation":
                passed = ms <= MOST_MS
                ok &= passed
                target, result = MOST_MS, "ok" if passed else "MISSED"
            print(f"{name:<22}{ms:>10.0f}{target:>8}{queries:>9}{'':>8}  {result:<6}  cpu {cpu:.0f} ms")
        if profile:
            profile_pdf(figures)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="generations per step (default 5)")
    parser.add_argument("--profile", action="store_true", help="and one PDF under cProfile")
    options = parser.parse_args()
    from demo import load_demo

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        load_demo()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"{'step':<22}{'median ms':>10}{'target':>8}{'queries':>9}{'target':>8}  result  median CPU")
        ok = measure_report_generation(options.runs, profile=options.profile)
    finally:
        teardown_databases(old_config, verbosity=0)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
