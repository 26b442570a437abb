"""A real S3-compatible server for the tests: moto's standalone server in a
subprocess, spoken to over HTTP by django-storages and boto3 as MinIO or AWS
would be. Each test gets a bucket of its own."""

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests

from oia.settings.base import s3_storage

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
# moto accepts any key; these stand for the access key and secret of a MinIO user.
ACCESS_KEY, SECRET_KEY = "oia-test-access", "oia-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    """``python -m moto.server`` on a free port, stopped by ``stop()``."""

    def __init__(self):
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        (ROOT / ".data").mkdir(exist_ok=True)
        self.log = open(ROOT / ".data" / f"moto-{self.port}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(self.endpoint_url, timeout=1)
                break
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    self.log.seek(0)
                    pytest.fail(f"The S3 server (moto) did not start:\n{self.log.read()}")
                time.sleep(0.2)

    def client(self):
        """A boto3 client with the keys the app is given."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def environment(self, bucket: str) -> dict:
        """The app's OIA_S3_* variables for ``bucket`` on this server (for a subprocess)."""
        return {
            "OIA_S3_BUCKET": bucket,
            "OIA_S3_ENDPOINT_URL": self.endpoint_url,
            "OIA_S3_REGION": REGION,
            "OIA_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "OIA_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "OIA_S3_ADDRESSING_STYLE": "path",
        }

    def storage(self, bucket: str) -> dict:
        """The STORAGES entry the settings make of environment(bucket)."""
        return s3_storage(
            bucket,
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            addressing_style="path",
        )

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class Bucket:
    """A private bucket of its own for one test, and what is in it."""

    def __init__(self, server: S3Server):
        self.server = server
        self.name = f"oia-test-{uuid.uuid4().hex[:12]}"
        self.client = server.client()
        self.client.create_bucket(Bucket=self.name)

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def object_url(self, key: str) -> str:
        """The object's plain address (path style), as an anonymous client would ask for it."""
        return f"{self.server.endpoint_url}/{self.name}/{key}"
