"""Real Celery worker processes on a private queue, against the test
database and the real Redis. A test may start several, each with its own
environment (a pause after a step, a short visibility timeout), and kill
one with SIGKILL."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from oia.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def database_url_for(name: str) -> str:
    """The configured DATABASE_URL pointing at database ``name`` instead."""
    url, _, query = os.environ["DATABASE_URL"].partition("?")
    return url.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")


class Workers:
    """Starts workers on one private queue; kills whatever is left at the end."""

    def __init__(self):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.processes = []
        self.logs = []
        (ROOT / ".data").mkdir(exist_ok=True)

    def start(self, name: str, pool: str = "solo", **extra_env) -> subprocess.Popen:
        """``pool="prefork"`` runs one pool process, for the time limits (the
        solo pool does not enforce them)."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "oia.settings.test",
            "DATABASE_URL": database_url_for(settings.DATABASES["default"]["NAME"]),
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
                f"--pool={pool}",
                *(["--concurrency=1"] if pool == "prefork" else []),
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
