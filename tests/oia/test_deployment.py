"""The docker-compose deployment agrees with the app: nginx is the front,
limits bodies to what the app accepts, and the web service trusts exactly it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from django.conf import settings

from oia.uploads import max_request_bytes

ROOT = Path(__file__).resolve().parent.parent.parent


def test_nginx_is_the_only_way_in_and_the_web_service_trusts_it():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]

    assert services["nginx"]["image"] == "nginx:1.27-alpine"
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    assert services["nginx"]["ports"]
    assert "ports" not in services["web"]
    assert services["web"]["environment"]["OIA_TRUSTED_PROXIES"] == "${OIA_TRUSTED_PROXIES:-1}"


def test_nginx_limits_bodies_to_what_the_app_accepts_by_default():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()

    limit = re.search(r"^\s*client_max_body_size (\d+)m;", conf, re.MULTILINE)
    assert limit, "client_max_body_size is missing"
    assert settings.OIA_MAX_UPLOAD_MB == 10
    assert int(limit.group(1)) * 1024 * 1024 == max_request_bytes()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_pass http://oia_web;" in conf


def _compose_command() -> list[str]:
    """Compose v2 (`docker compose`) where the plugin is installed, else Debian's docker-compose."""
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True) if shutil.which("docker") else None
    if probe is not None and probe.returncode == 0:
        return ["docker", "compose"]
    assert shutil.which("docker-compose"), "install docker-compose (make sysdeps)"
    return ["docker-compose"]


def test_compose_file_validates():
    required = ["POSTGRES_PASSWORD", "SECRET_KEY", "ALLOWED_HOSTS", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"]
    required += ["OIA_S3_ACCESS_KEY_ID", "OIA_S3_SECRET_ACCESS_KEY"]
    env = {**os.environ, **{name: "x" * 50 for name in required}}
    result = subprocess.run(
        [*_compose_command(), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_two_web_instances_behind_nginx_which_finds_each_of_them():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    conf = (ROOT / "deploy" / "nginx.conf").read_text()

    assert services["web"]["deploy"]["replicas"] >= 2
    # Looked up again while running, so every instance (and a restarted one) gets requests.
    assert re.search(r"^\s*server web:8000 resolve;", conf, re.MULTILINE)
    assert re.search(r"^resolver 127\.0\.0\.11 ", conf, re.MULTILINE)


def test_uploads_go_to_a_private_minio_bucket_that_exists_before_the_app_starts():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    minio, init = services["minio"], services["minio-init"]
    script = init["command"][0]

    assert minio["image"] == "minio/minio"
    assert "ports" not in minio
    assert minio["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]
    assert init["image"] == "minio/mc"
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert 'mc anonymous set none "local/$$OIA_S3_BUCKET"' in script
    for name in ("migrate", "web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["OIA_S3_BUCKET"] == "${OIA_S3_BUCKET:-oia}"
        assert environment["OIA_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert environment["OIA_S3_SECRET_ACCESS_KEY"] == "${OIA_S3_SECRET_ACCESS_KEY:?set OIA_S3_SECRET_ACCESS_KEY}"
    assert services["migrate"]["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"
