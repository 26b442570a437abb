"""Deployment settings and the API schema pass Django's and drf-spectacular's own checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.production",
        "SECRET_KEY": "k7#v2!q9zX" * 6,
        "ALLOWED_HOSTS": "oia.example.org",
        "DEBUG": "false",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_database_url():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "oia.settings.production", "SECRET_KEY": "x" * 60}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "openapi: 3" in target.read_text()


DEFAULT_STORAGE = (
    "import json; from django.core.files.storage import storages; s = storages['default']; "
    "print(json.dumps([type(s).__name__, getattr(s, 'bucket_name', None), getattr(s, 'endpoint_url', None), "
    "getattr(s, 'addressing_style', None), getattr(s, 'default_acl', 'none'), getattr(s, 'file_overwrite', None), "
    "getattr(s, 'querystring_expire', None)]))"
)


def production_default_storage(**variables) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIA_S3_")}
    env |= {"DJANGO_SETTINGS_MODULE": "oia.settings.production", "SECRET_KEY": "k7#v2!q9zX" * 6, **variables}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DEFAULT_STORAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_uploads_stay_on_disk_unless_a_bucket_is_configured():
    assert production_default_storage()[0] == "FileSystemStorage"


def test_a_configured_bucket_takes_the_uploads_privately_and_never_overwrites():
    stored = production_default_storage(
        OIA_S3_BUCKET="oia-files", OIA_S3_ENDPOINT_URL="http://minio:9000", OIA_S3_URL_SECONDS="120"
    )

    assert stored == ["S3Storage", "oia-files", "http://minio:9000", "path", None, False, 120]
