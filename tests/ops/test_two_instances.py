"""Two web instances behind one load balancer share everything a request
needs: the session (database), the uploaded files (object storage) and the
API's request counters (the Redis cache). Two real gunicorn processes, on the
test database, the test run's Redis prefix and the S3 server, are spoken to
over HTTP like a browser would: signed in on one, working on the other."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.urls import reverse

from oia.roles import Role
from partners.models import Document
from tests.factories import TEST_PASSWORD, PartnershipFactory, UserFactory
from tests.s3 import Bucket, free_port
from tests.workers import database_url_for

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
PDF = b"%PDF-1.7\n% signed in Frankfurt and Lyon\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# Small enough to reach in a test, large enough for the sign-in and the upload.
USER_RATE = 6


class WebInstance:
    """``gunicorn oia.wsgi`` (gunicorn.conf.py, one worker) on a free port."""

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (log_dir / f"gunicorn-{name}.log").open("w+")
        self.process = subprocess.Popen(
            [str(GUNICORN), "oia.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self, seconds: int = 90):
        deadline = time.monotonic() + seconds
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                pytest.fail(f"gunicorn on {self.url} did not start:\n{self.log.read()}")
            time.sleep(0.5)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()


@pytest.fixture
def bucket(s3_server):
    return Bucket(s3_server)


@pytest.fixture
def instances(transactional_db, s3_server, bucket, tmp_path):
    """Instances A and B, as the production image runs them but with the test
    settings (plain HTTP, the fast password hasher) and small request limits."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.test",
        "DATABASE_URL": database_url_for(settings.DATABASES["default"]["NAME"]),
        # The test run's prefix (oia.settings.test), so the run's cleaning reaches these keys too.
        "OIA_CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "OIA_THROTTLE_USER": f"{USER_RATE}/minute",
        **s3_server.environment(bucket.name),
    }
    started = []
    try:
        for name in ("a", "b"):
            started.append(WebInstance(name, env, tmp_path))
        for instance in started:
            instance.wait_until_up()
        yield started
    finally:
        for instance in started:
            instance.stop()


def form_token(page: requests.Response) -> str:
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_signed_in_on_one_instance_a_user_uploads_on_the_other_and_downloads_on_the_first(instances, bucket):
    a, b = instances
    user = UserFactory(username="stefan", role=Role.STAFF)
    partnership = PartnershipFactory()
    browser = requests.Session()  # cookies are per host, not per port: both instances get them

    login = reverse("login")
    signed_in = browser.post(
        a.url + login,
        {
            "username": user.username,
            "password": TEST_PASSWORD,
            "csrfmiddlewaretoken": form_token(browser.get(a.url + login)),
        },
        allow_redirects=False,
    )
    upload_form = reverse("partners:document-create", args=[partnership.pk])
    uploaded = browser.post(
        b.url + upload_form,
        {
            "kind": "agreement",
            "title": "Twinning agreement",
            "csrfmiddlewaretoken": form_token(browser.get(b.url + upload_form)),
        },
        files={"file": ("Vertrag.pdf", PDF, "application/pdf")},
        allow_redirects=False,
    )
    document = Document.objects.get()
    downloaded = browser.get(a.url + reverse("partners:document-download", args=[document.pk]))

    assert signed_in.status_code == 302, signed_in.text[:500]
    assert uploaded.status_code == 302, uploaded.text[:500]
    assert document.uploaded_by == user
    assert bucket.keys() == [document.file.name]
    assert bucket.read(document.file.name) == PDF
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")


def test_the_request_limit_counts_the_requests_to_both_instances(instances):
    a, b = instances
    user = UserFactory(role=Role.STAFF)
    token = requests.post(a.url + "/api/auth/token/", json={"username": user.username, "password": TEST_PASSWORD})
    headers = {"Authorization": f"Token {token.json()['token']}"}

    answers = [requests.get(f"{(a, b)[number % 2].url}/api/me/", headers=headers) for number in range(USER_RATE + 2)]

    # Each instance saw only half of the requests: alone, neither would have refused one.
    assert [answer.status_code for answer in answers] == [200] * USER_RATE + [429, 429]
    assert answers[-1].json()["detail"].startswith("Too many requests. Try again in ")
    assert int(answers[-1].headers["Retry-After"]) > 0
