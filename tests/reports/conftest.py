"""Fixtures of the report tests: real worker processes (see workers.py)."""

from tests.reports.workers import report_workers  # noqa: F401
