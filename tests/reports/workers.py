"""Real Celery worker processes that a test can start with its own
environment (a pause after a step, a short visibility timeout) and kill
with SIGKILL."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings

from oia.celery import app as celery_app
from tests.conftest import ROOT, _database_url_for


class Workers:
    """Starts workers on one private queue; kills whatever is left at the end."""

    def __init__(self):
        self.queue = f"test-report-{uuid.uuid4().hex[:10]}"
        self.processes = []
        self.logs = []

    def start(self, name: str, **extra_env) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "oia.settings.test",
            "DATABASE_URL": _database_url_for(settings.DATABASES["default"]["NAME"]),
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_UNACKED_PREFIX": f"{self.queue}-",
            **{key: str(value) for key, value in extra_env.items()},
        }
        hostname = f"{name}-{self.queue}@oia-test"
        log = open(ROOT / ".data" / f"{self.queue}-{name}.log", "w+")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "oia",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "--hostname",
                hostname,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        self.logs.append(log)
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"The Celery worker did not start:\n{log.read()}")
        return process

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
        for log in self.logs:
            log.close()


@pytest.fixture
def report_workers(transactional_db):
    """Workers on a private queue; the test's tasks are sent there."""
    (ROOT / ".data").mkdir(exist_ok=True)
    workers = Workers()
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = workers.queue
    try:
        yield workers
    finally:
        workers.stop_all()
        celery_app.conf.task_default_queue = previous
