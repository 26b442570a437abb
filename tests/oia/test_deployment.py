"""The docker-compose deployment agrees with the app: nginx is the front,
limits bodies to what the app accepts, and the web service trusts exactly it."""

import re
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
