"""JSON log lines and the request id: every line one JSON object with the
request's id, the id echoed in X-Request-ID (a malformed one replaced), and
carried by a task the request queued into the worker's log lines."""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from oia.logs import JsonFormatter
from oia.request_id import RequestIdFilter, current_request_id
from oia.tasks import purge_expired_tokens
from reports.choices import RequestStatus
from reports.models import ReportRequest
from tests.factories import UserFactory
from tests.second_factor import sign_in

ROOT = Path(__file__).resolve().parents[2]
GENERATED = re.compile(r"[0-9a-f]{32}")


def test_a_sane_request_id_is_echoed(client, db):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="lb-7f3a.2_X")

    assert response["X-Request-ID"] == "lb-7f3a.2_X"


@pytest.mark.parametrize("sent", ["two words", "x" * 65, "id;drop", 'quote"d', "ünïcode", "", "line\nbreak"], ids=repr)
def test_a_malformed_request_id_is_replaced_by_a_new_one(client, db, sent):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID=sent)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_without_a_request_id_each_request_gets_its_own(client, db):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]

    assert GENERATED.fullmatch(first)
    assert GENERATED.fullmatch(second)
    assert first != second


@pytest.fixture
def request_log_lines():
    """What django.request writes during the test, through the configured filter and formatter."""
    lines = []
    formatter = JsonFormatter()

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(formatter.format(record)))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_a_line_logged_while_answering_carries_the_requests_id(client, db, request_log_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-42")

    assert response.status_code == 404
    [line] = request_log_lines
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "django.request", "trace-42")
    assert line["message"] == "Not Found: /no-such-page/"


def test_a_task_run_eagerly_in_a_request_keeps_the_requests_id_and_gives_it_back(db):
    token = current_request_id.set("outer-1")
    try:
        purge_expired_tokens.apply()

        assert current_request_id.get() == "outer-1"
    finally:
        current_request_id.reset(token)


LOG_A_FAILURE = """
import django, logging
django.setup()
from oia.request_id import current_request_id
current_request_id.set("abc123")
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("oia.example").exception("Counting %s failed", "trips")
"""


def _log_from_a_process(**env) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "OIA_LOG_FORMAT"}
    environment.update(ALLOWED_HOSTS="oia.example", **env)
    result = subprocess.run(
        [sys.executable, "-c", LOG_A_FAILURE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_SETTINGS_MODULE": "oia.settings.test", "OIA_LOG_FORMAT": "json"},
        {"DJANGO_SETTINGS_MODULE": "oia.settings.production"},  # JSON by default
    ],
    ids=["asked-for", "production"],
)
def test_with_json_logs_a_line_is_one_object_with_time_level_logger_message_request_id_and_exception(env):
    [line] = _log_from_a_process(**env).splitlines()[:1]
    record = json.loads(line)

    assert set(record) == {"time", "level", "logger", "request_id", "message", "exception"}
    assert (record["level"], record["logger"], record["request_id"]) == ("ERROR", "oia.example", "abc123")
    assert record["message"] == "Counting trips failed"
    assert "ZeroDivisionError: division by zero" in record["exception"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", record["time"])


def test_logs_are_text_for_people_unless_json_is_asked_for():
    output = _log_from_a_process(DJANGO_SETTINGS_MODULE="oia.settings.test")

    assert "ERROR oia.example Counting trips failed" in output
    assert not output.startswith("{")


def test_the_workers_lines_of_a_task_queued_by_a_request_carry_that_requests_id(celery_workers, client):
    celery_workers.start("json-logs", OIA_LOG_FORMAT="json")
    sign_in(client, UserFactory(role="oia_admin"))

    response = client.post(reverse("reports:generate"), {"year": 2025, "idempotency_key": "k-1"})

    assert response.status_code == 302
    request_id = response["X-Request-ID"]
    report = ReportRequest.objects.get(idempotency_key="k-1")
    deadline = time.monotonic() + 90
    while ReportRequest.objects.get(pk=report.pk).status != RequestStatus.DONE and time.monotonic() < deadline:
        time.sleep(0.2)
    log = celery_workers.logs[-1]
    log.flush()
    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.startswith("{")]
    task_lines = [line["message"] for line in lines if line["request_id"] == request_id]
    assert any(re.match(r"Task reports\.tasks\.report_generate\[.+\] succeeded", m) for m in task_lines), lines
    assert all(set(line) >= {"time", "level", "logger", "request_id"} for line in lines)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_line_is_json_with_the_request_id(tmp_path):
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oia.settings.test", "OIA_LOG_FORMAT": "json"}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "oia.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/metrics", headers={"X-Request-ID": "edge-77", "Host": "127.0.0.1"}
                )
                answer = urllib.request.urlopen(request, timeout=30)
            except OSError:
                time.sleep(0.3)
        assert answer is not None, log_path.read_text()
        assert answer.status == 200
        assert answer.headers["X-Request-ID"] == "edge-77"
    finally:
        server.terminate()
        server.wait(20)
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert access
    assert all(line["request_id"] == "edge-77" for line in access)
    assert '"GET /metrics HTTP/1.1" 200' in access[-1]["message"]
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
