"""Prometheus metrics: /metrics only for the configured networks, the request
and query histograms of the views just answered, the worker's own metrics
page with its tasks counted, and a Grafana dashboard that only asks for
metrics we define."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from oia import metrics
from oia.models import Notification
from oia.tasks import purge_expired_tokens, send_notification_email
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana-dashboard.json"


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Each sample of a scrape by its name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped, name, **labels) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def scrape(client) -> dict:
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    return samples(response.content.decode())


def test_metrics_are_not_found_from_an_address_outside_the_allowed_networks(client, db):
    response = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 404
    assert b"oia_http_requests_total" not in response.content


def test_behind_a_proxy_the_clients_address_decides(client, db, settings):
    settings.OIA_TRUSTED_PROXIES = 1
    settings.OIA_METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}

    outside = client.get(reverse("metrics"), HTTP_X_FORWARDED_FOR="10.20.0.9, 203.0.113.5", **proxy)
    inside = client.get(reverse("metrics"), HTTP_X_FORWARDED_FOR="10.20.3.4", **proxy)

    assert outside.status_code == 404
    assert inside.status_code == 200


def test_metrics_are_served_in_prometheus_text_format_without_a_session(client, db):
    response = client.get(reverse("metrics"), REMOTE_ADDR="::1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "Set-Cookie" not in response
    assert "no-cache" in response["Cache-Control"]


def test_a_view_just_answered_shows_in_the_request_histogram_and_its_queries_are_counted(staff_client):
    view = "partners:partnership-list"
    labels = {"view": view, "method": "GET", "status": "2xx"}
    before = scrape(staff_client)

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        assert staff_client.get(reverse(view)).status_code == 200

    after = scrape(staff_client)
    assert value(after, "oia_http_requests_total", **labels) == value(before, "oia_http_requests_total", **labels) + 1
    latency_count = "oia_http_request_duration_seconds_count"
    assert value(after, latency_count, **labels) == value(before, latency_count, **labels) + 1
    assert value(after, "oia_http_request_duration_seconds_bucket", **labels, le="+Inf") >= 1
    queries_sum = "oia_db_queries_per_request_sum"
    assert value(after, queries_sum, view=view) - value(before, queries_sum, view=view) == len(queries)
    assert value(after, "oia_db_query_duration_seconds_per_request_count", view=view) >= 1


def test_a_url_that_matches_no_view_is_counted_as_unresolved_and_a_static_file_as_static(client, db):
    before = scrape(client)

    client.get("/no-such-page/")
    client.get("/static/no-such-file.css")

    after = scrape(client)
    for view in ("unresolved", "static"):
        labels = {"view": view, "method": "GET", "status": "4xx"}
        counted = value(after, "oia_http_requests_total", **labels) - value(before, "oia_http_requests_total", **labels)
        assert counted == 1, view


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scrape_worker(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return samples(response.read().decode())


def wait_for(condition, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_the_worker_serves_its_task_counts_durations_and_nightly_jobs_on_its_port(celery_workers, tmp_path, pool):
    """With the prefork pool the tasks run in a child process: its values reach
    the main process's metrics page through the multiprocess directory."""
    port = _free_port()
    multiprocess = {"PROMETHEUS_MULTIPROC_DIR": tmp_path / "worker-metrics"} if pool == "prefork" else {}
    celery_workers.start(
        "metrics",
        pool=pool,
        **multiprocess,
        OIA_WORKER_METRICS_PORT=port,
        OIA_WORKER_METRICS_ADDRESS="127.0.0.1",
        OIA_TEST_EMAIL_BACKEND="tests.failing_email.EmailBackend",
        OIA_EMAIL_MAX_RETRIES=1,
        OIA_EMAIL_RETRY_BACKOFF=1,
    )
    notification = Notification.objects.create(user=UserFactory(email="anna@example.org"), text="Two trips")
    job = "oia.tasks.purge_expired_tokens"
    mail = "oia.tasks.send_notification_email"
    started = time.time()

    purge_expired_tokens.delay().get(timeout=60)
    send_notification_email.delay(notification.pk)

    assert wait_for(lambda: value(scrape_worker(port), "oia_celery_tasks_total", task=mail, state="failed") == 1)
    scraped = scrape_worker(port)
    assert value(scraped, "oia_celery_tasks_total", task=job, state="succeeded") == 1
    assert value(scraped, "oia_celery_tasks_total", task=mail, state="retried") == 1
    assert value(scraped, "oia_celery_task_duration_seconds_count", task=job) == 1
    assert value(scraped, "oia_celery_task_duration_seconds_count", task=mail) == 2  # the first try and the retry
    last_success = value(scraped, "oia_scheduled_job_last_success_timestamp_seconds", task=job)
    assert started <= last_success <= time.time()
    assert value(scraped, "oia_scheduled_job_duration_seconds", task=job) > 0


def test_gunicorns_workers_write_to_the_multiprocess_directory_and_a_scrape_adds_them_up(tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_999999.db").write_bytes(b"a worker of the last run")
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oia.settings.test", "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    command = [sys.executable, "-m", "gunicorn", "oia.wsgi:application", "--bind", f"127.0.0.1:{port}", "-w", "2"]
    with (tmp_path / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        assert wait_for(lambda: _answers(url), timeout=60), (tmp_path / "gunicorn.log").read_text()
        for _ in range(5):
            urllib.request.urlopen(url, timeout=30).read()
        scraped = samples(urllib.request.urlopen(url, timeout=30).read().decode())
    finally:
        server.terminate()
        server.wait(20)
    labels = {"view": "metrics", "method": "GET", "status": "2xx"}
    assert value(scraped, "oia_http_requests_total", **labels) == 6  # the first answer and five more
    assert not (directory / "counter_999999.db").exists()
    assert {path.name.split("_")[0] for path in directory.glob("*.db")} >= {"counter", "histogram"}


def _answers(url) -> bool:
    try:
        urllib.request.urlopen(url, timeout=30).read()
    except OSError:
        return False
    return True


# The sample Grafana dashboard (deploy/grafana-dashboard.json).


def defined_sample_names() -> set[str]:
    """Every sample name oia.metrics can expose (a histogram's _bucket, _sum, _count...)."""
    names = set()
    for wrapper in vars(metrics).values():
        if isinstance(wrapper, MetricWrapperBase):
            for family in wrapper.describe():
                names.update(f"{family.name}{suffix}" for suffix in ("", "_total", "_bucket", "_sum", "_count"))
    return names


def dashboard_panels() -> list[dict]:
    dashboard = json.loads(DASHBOARD.read_text())
    panels = []
    for panel in dashboard["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))
    return [panel for panel in panels if panel.get("type") != "row"]


def test_the_dashboard_is_valid_json_with_a_prometheus_datasource_variable():
    dashboard = json.loads(DASHBOARD.read_text())

    [variable] = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert variable["query"] == "prometheus"
    assert all(panel["datasource"]["uid"] == f"${{{variable['name']}}}" for panel in dashboard_panels())


@pytest.mark.parametrize(
    "title",
    [
        "Requests per second by view",
        "Latency p50 and p95 by view",
        "5xx answers per second",
        "SQL queries per request (p95) by view",
        "Celery tasks per second",
        "Celery task failures",
        "Celery task duration (p95)",
        "Report generations",
        "Scheduled jobs: time since last success",
    ],
)
def test_the_dashboard_has_the_panel(title):
    assert title in {panel["title"] for panel in dashboard_panels()}


def test_every_dashboard_expression_names_a_metric_we_define():
    defined = defined_sample_names()
    for panel in dashboard_panels():
        expressions = [target["expr"] for target in panel["targets"]]
        named = {name for expr in expressions for name in re.findall(r"\boia_[a-z0-9_]+", expr)}
        assert named, f"{panel['title']} names no metric of ours"
        assert named <= defined, f"{panel['title']}: {sorted(named - defined)} are not in oia/metrics.py"
