"""Fuzz the API from the outside with schemathesis, as an administrator and
as a club leader.

The script builds a scratch database with the demo data (its own, dropped at
the end), serves the app with gunicorn and a real Celery worker, and runs
``schemathesis run`` against the live OpenAPI schema with every check on
(``schemathesis.toml`` says which answers each check accepts). It exits 1 on
any server error or schema violation.

    make fuzz       # before a release: every phase, 100 cases an operation, a new seed each time
    make fuzz-ci    # what CI runs (--ci): a fixed seed, no coverage phase, about three minutes

Each role fuzzes an office of its own (its database with the demo data, a
copy of the first one's; its gunicorn, worker, cache key prefix, queue and
media folder), and the two run at the same time: neither sees what the other's
requests changed (the administrator's run may anonymise club leaders' accounts,
Art. 17), and on two cores the pair takes little longer than one.

The coverage phase (every boundary value of every parameter, about 13,000
requests a role whatever ``--examples`` says) takes four minutes a role on two
cores, so CI leaves it to ``make fuzz``.
"""

import argparse
import base64
import hashlib
import hmac
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
# Each in an office of its own: the administrator's run may anonymise club leaders' accounts (Art. 17).
ROLES = [("club leader", "clubleader", "demo-clubleader"), ("administrator", "admin", "demo-admin")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def run_sql(url: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(scratch_database_url(url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def wait_for(url: str, process: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server exited with code {process.returncode}.")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s.")


# The demo administrator's authenticator app (demo/users.py): admins give its code for a token.
DEMO_TOTP_SECRETS = {"admin": "OIADEMOTWOFACTORSIGNINFORADMIN22"}


def totp(secret: str, step: int = 30, digits: int = 6) -> str:
    """The current code of an authenticator app (RFC 6238, as django-otp's TOTPDevice)."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(time.time()) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits).zfill(digits)


def token_for(base: str, username: str, password: str) -> str:
    credentials = {"username": username, "password": password}
    if username in DEMO_TOTP_SECRETS:
        credentials["otp"] = totp(DEMO_TOTP_SECRETS[username])
    answer = requests.post(f"{base}/api/auth/token/", data=credentials, timeout=10)
    answer.raise_for_status()
    return answer.json()["token"]


CI_SEED = 20261202
CI_EXAMPLES = 20
CI_PHASES = "examples,fuzzing,stateful"


def schemathesis_start(
    base: str, token: str, *, examples: int, seed: int | None, phases: str | None, report_dir: Path
) -> subprocess.Popen:
    """Start ``schemathesis run``; its output (stdout and stderr) is in the returned process's ``stdout`` file."""
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base}/api/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir),
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    if phases:
        command += ["--phases", phases]
    # A file, not a pipe: nobody reads one run's output while waiting for the other's end.
    output = tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True)
    process.stdout = output
    return process


def summary(output: str) -> str:
    """The lines of schemathesis's closing summary worth keeping in a log."""
    keep = re.compile(r"(Selected:|Tested:|generated|Failures:|❌|✅|ST\d{3}|failures? in|passed in|No issues)")
    start = output.rfind("SUMMARY")
    return "\n".join(line for line in output[start:].splitlines() if keep.search(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100, help="test cases per operation (default 100)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--phases", default=None, help="e.g. examples,coverage,fuzzing,stateful (default: all)")
    parser.add_argument("--ci", action="store_true", help=f"CI's run: {CI_EXAMPLES} cases, seed {CI_SEED}, {CI_PHASES}")
    parser.add_argument("--report-dir", default=str(ROOT / ".data" / "fuzz"))
    args = parser.parse_args()
    if args.ci:
        args.examples, args.seed, args.phases = CI_EXAMPLES, CI_SEED, CI_PHASES

    from oia.embedded import ensure_database_url, ensure_redis_url

    database_url, redis_url = ensure_database_url(), ensure_redis_url()
    offices = [Office(username, database_url, redis_url) for _, username, _ in ROLES]
    failed = False
    try:
        # The first office is migrated and given the demo data, the others are copies
        # of it (migrating takes a minute or more); then all are served and fuzzed side by side.
        offices[0].set_up()
        for office in offices[1:]:
            office.copy(offices[0])
        for office in offices:
            office.serve()
        runs = []
        for office, (_, username, password) in zip(offices, ROLES, strict=True):
            wait_for(f"{office.base}/accounts/login/", office.children[0])
            runs.append(
                schemathesis_start(
                    office.base,
                    token_for(office.base, username, password),
                    examples=args.examples,
                    seed=args.seed,
                    phases=args.phases,
                    report_dir=Path(args.report_dir) / username,
                )
            )
        started = time.monotonic()
        for (label, _, _), run in zip(ROLES, runs, strict=True):
            code = run.wait()
            run.stdout.seek(0)
            output = run.stdout.read()
            run.stdout.close()
            print(f"== schemathesis as {label} ({time.monotonic() - started:.0f} s), exit code {code}")
            print(summary(output) if code == 0 else output)
            failed = failed or code != 0
    finally:
        for office in offices:
            office.stop()
    print("== fuzz: " + ("FAILED" if failed else "no server error, no schema violation"))
    sys.exit(1 if failed else 0)


class Office:
    """One role's office: a scratch database with the demo data (dropped at the
    end), gunicorn and a Celery worker on it, with a cache key prefix, a queue
    and a media folder of its own."""

    def __init__(self, username: str, database_url: str, redis_url: str):
        self.database_url = scratch_database_url(database_url, f"oia_fuzz_{os.getpid()}_{username}")
        self.name = urlsplit(self.database_url).path.lstrip("/")
        self.queue = f"fuzz-{uuid.uuid4().hex[:12]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "oia.settings.base",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": redis_url,
            "OIA_CACHE_KEY_PREFIX": f"oia-fuzz-{os.getpid()}-{username}",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "MEDIA_ROOT": str(ROOT / ".data" / f"fuzz-media-{username}"),
            "LOG_LEVEL": "WARNING",
            # Thousands of requests a minute from one user and one address: the API's
            # request limits (oia.api.throttling) would answer 429, which the schema does not list.
            "OIA_THROTTLE_ANON": "",
            "OIA_THROTTLE_USER": "",
        }
        self.children = []
        self.created = False
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def set_up(self) -> None:
        """Create the database, migrate it and load the demo data."""
        run_sql(self.database_url, f'DROP DATABASE IF EXISTS "{self.name}"')
        run_sql(self.database_url, f'CREATE DATABASE "{self.name}"')
        self.created = True
        shutil.rmtree(self.env["MEDIA_ROOT"], ignore_errors=True)  # the demo's files only, as in the database
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=self.env, check=True)
        subprocess.run([*manage, "load_demo", "--force"], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def copy(self, office: "Office") -> None:
        """Become a copy of ``office`` (set up, not yet served): its database and its files."""
        run_sql(self.database_url, f'DROP DATABASE IF EXISTS "{self.name}"')
        run_sql(self.database_url, f'CREATE DATABASE "{self.name}" TEMPLATE "{office.name}"')
        self.created = True
        media = Path(self.env["MEDIA_ROOT"])
        shutil.rmtree(media, ignore_errors=True)
        if Path(office.env["MEDIA_ROOT"]).exists():
            shutil.copytree(office.env["MEDIA_ROOT"], media)

    def serve(self) -> None:
        server = [str(BIN / "gunicorn"), "oia.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "2", "--timeout", "60"]
        server += ["--access-logfile", os.devnull]  # thousands of fuzz requests
        worker = [str(BIN / "celery"), "-A", "oia", "worker", "--pool=solo", "-Q", self.queue, "--loglevel=WARNING"]
        for command in (server, worker):
            self.children.append(subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True))

    def stop(self) -> None:
        for child in self.children:
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(child.pid, signal.SIGKILL)
        if self.created:
            run_sql(self.database_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        import redis

        connection = redis.Redis.from_url(self.env["REDIS_URL"])
        connection.delete(self.queue)
        keys = list(connection.scan_iter(match=f"{self.env['OIA_CACHE_KEY_PREFIX']}:*", count=1000))
        if keys:
            connection.delete(*keys)


if __name__ == "__main__":
    main()
