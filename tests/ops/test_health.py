"""The health checks of a real process whose database is unreachable: the
liveness check still answers 200 (a database outage must not get every web
process restarted), the readiness check 503."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

ASK_BOTH = """
import json
from django.test import Client
client = Client(HTTP_HOST="localhost")
answers = {path: client.get(path) for path in ("/healthz", "/readyz")}
print(json.dumps({path: [answer.status_code, answer.json()] for path, answer in answers.items()}))
"""


def test_healthz_answers_200_and_readyz_503_while_the_database_is_unreachable():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.test",
        # Nothing listens on port 1: every connection is refused.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/oia",
    }

    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ASK_BOTH],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers["/healthz"] == [200, {"status": "ok"}]
    status, body = answers["/readyz"]
    assert status == 503
    assert body["database"] == "failing"
    assert body["redis"] == "ok"
    assert body["migrations"] == body["worker"] == "unknown"
    assert "127.0.0.1" not in json.dumps(body)
