"""Prometheus metrics: what the web answers, what it costs the database, what
the Celery worker runs, the council report's generations and the nightly jobs.

The web serves them at ``/metrics`` to the addresses in
``OIA_METRICS_ALLOWED_NETWORKS`` only (anyone else gets 404, so the page is not
advertised); the worker serves its own on ``OIA_WORKER_METRICS_PORT``.

Several processes: with ``PROMETHEUS_MULTIPROC_DIR`` set, every process writes
its values to files there and a scrape adds them up (prometheus_client's
multiprocess mode). gunicorn's workers need it (``gunicorn.conf.py`` empties the
directory at start and forgets a dead worker's live values), and so does a
Celery worker with the prefork pool, whose tasks run in child processes while
the metrics server runs in the main one. One directory per gunicorn or worker,
never shared between them (each empties it when it starts).
"""

import ipaddress
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

from .security import client_ip

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # The metrics below open their files there as they are defined (in any
    # process importing this module: a management command too).
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

REQUEST_SECONDS = Histogram(
    "oia_http_request_duration_seconds",
    "Time to answer a request, by view, method and status class.",
    ["view", "method", "status"],
)
REQUESTS = Counter(
    "oia_http_requests", "Requests answered, by view, method and status class.", ["view", "method", "status"]
)
QUERIES_PER_REQUEST = Histogram(
    "oia_db_queries_per_request",
    "SQL queries run while answering one request, by view.",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 30, 50, 100, 200, 500, 1000),
)
QUERY_SECONDS_PER_REQUEST = Histogram(
    "oia_db_query_duration_seconds_per_request",
    "Time spent in SQL queries while answering one request, by view.",
    ["view"],
)
TASKS = Counter(
    "oia_celery_tasks", "Celery tasks run, by task and state (succeeded, failed, retried).", ["task", "state"]
)
TASK_SECONDS = Histogram(
    "oia_celery_task_duration_seconds",
    "Time a Celery task ran, by task, whatever its outcome.",
    ["task"],
    buckets=(0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
REPORT_GENERATIONS = Counter(
    "oia_report_generations",
    "Council report generation attempts, by outcome (succeeded, failed, timed_out).",
    ["outcome"],
)
REPORT_GENERATION_SECONDS = Histogram(
    "oia_report_generation_duration_seconds",
    "Time to build a council report version (figures, HTML, PDF, spreadsheet).",
    buckets=(1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600),
)
JOB_LAST_SUCCESS = Gauge(
    "oia_scheduled_job_last_success_timestamp_seconds",
    "When each Celery beat task (CELERY_BEAT_SCHEDULE) last succeeded, as a Unix time.",
    ["task"],
    multiprocess_mode="max",
)
JOB_SECONDS = Gauge(
    "oia_scheduled_job_duration_seconds",
    "How long each Celery beat task's last successful run took.",
    ["task"],
    multiprocess_mode="mostrecent",
)


def multiprocess_directory() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def registry() -> CollectorRegistry:
    """What a scrape reads: in multiprocess mode the sum of every process's
    files, else this process's own registry."""
    if multiprocess_directory():
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return combined
    return REGISTRY


def clear_multiprocess_directory() -> None:
    """At the start of a worker: values of processes long gone would otherwise
    be added to the new ones. This process's own files stay (it has defined
    the metrics already and keeps writing to them)."""
    directory = multiprocess_directory()
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            if not stale.stem.endswith(f"_{os.getpid()}"):
                stale.unlink(missing_ok=True)


def status_class(status_code: int) -> str:
    return f"{status_code // 100}xx"


class QueryCount:
    """Counts and times the SQL queries of one request (``connection.execute_wrapper``)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def view_label(request) -> str:
    """The URL pattern's name; static files (answered by whitenoise before any
    URL is resolved) are "static", anything else no pattern matched "unresolved"."""
    match = getattr(request, "resolver_match", None)
    if match:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unresolved"


class MetricsMiddleware:
    """Times every request and counts its queries, labelled by the view's name
    (the URL pattern's, so there are as many series as views, not as URLs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = QueryCount()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        view = view_label(request)
        labels = {"view": view, "method": request.method, "status": status_class(response.status_code)}
        REQUEST_SECONDS.labels(**labels).observe(seconds)
        REQUESTS.labels(**labels).inc()
        QUERIES_PER_REQUEST.labels(view=view).observe(queries.count)
        QUERY_SECONDS_PER_REQUEST.labels(view=view).observe(queries.seconds)
        return response


def address_allowed(address: str) -> bool:
    """``address`` is in one of ``OIA_METRICS_ALLOWED_NETWORKS`` (an IPv4 address
    written as IPv6, ``::ffff:10.0.0.5``, counts as the IPv4 one)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.OIA_METRICS_ALLOWED_NETWORKS)


@never_cache
def scrape(request):
    """For Prometheus on the internal network: no sign-in, but only from the
    configured networks (by ``client_ip``, which honours OIA_TRUSTED_PROXIES);
    anyone else gets the ordinary 404."""
    if not address_allowed(client_ip(request)):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


# Celery (connected in oia.celery). Start times by task id: a prefork child runs
# one task at a time, the solo pool too.
_task_started: dict[str, float] = {}


def task_started(task_id: str) -> None:
    _task_started[task_id] = time.monotonic()


def task_finished(task, task_id: str, state: str | None) -> None:
    """Duration of every run; success counted here, failures and retries by
    their own signals (a hard time limit's failure is only heard there)."""
    started = _task_started.pop(task_id, None)
    seconds = time.monotonic() - started if started is not None else None
    if seconds is not None:
        TASK_SECONDS.labels(task=task.name).observe(seconds)
    if state != "SUCCESS":
        return
    TASKS.labels(task=task.name, state="succeeded").inc()
    if task.name in scheduled_jobs():
        JOB_LAST_SUCCESS.labels(task=task.name).set(time.time())
        if seconds is not None:
            JOB_SECONDS.labels(task=task.name).set(seconds)


def task_failed(task) -> None:
    TASKS.labels(task=task.name, state="failed").inc()


def task_retried(task) -> None:
    TASKS.labels(task=task.name, state="retried").inc()


def scheduled_jobs() -> set[str]:
    """The tasks Celery beat runs (the nightly jobs, the heartbeat, the annual draft)."""
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def report_generation_finished(*, outcome: str, seconds: float | None = None) -> None:
    """One attempt at building a council report version ended (reports.services)."""
    REPORT_GENERATIONS.labels(outcome=outcome).inc()
    if seconds is not None:
        REPORT_GENERATION_SECONDS.observe(seconds)


def serve_worker_metrics(port: int, address: str) -> None:
    """The Celery worker's own metrics page (a thread of its main process)."""
    start_http_server(port, addr=address, registry=registry())
