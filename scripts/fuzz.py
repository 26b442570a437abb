"""Fuzz the API from the outside with schemathesis, as an administrator and
as a club leader.

The script builds a scratch database with the demo data (its own, dropped at
the end), serves the app with gunicorn and a real Celery worker, and runs
``schemathesis run`` against the live OpenAPI schema with every check on
(``schemathesis.toml`` says which answers each check accepts). It exits 1 on
any server error or schema violation.

    make fuzz       # before a release: every phase, 100 cases an operation, a new seed each time
    make fuzz-ci    # what CI runs (--ci): a fixed seed, no coverage phase, about three minutes

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
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
# The club leader first: the administrator's run may anonymise club leaders' accounts (Art. 17).
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


def schemathesis(
    base: str, token: str, *, examples: int, seed: int | None, phases: str | None, report_dir: Path
) -> tuple[int, str]:
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
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


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

    database_url = scratch_database_url(ensure_database_url(), f"oia_fuzz_{os.getpid()}")
    queue = f"fuzz-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "REDIS_URL": ensure_redis_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(ROOT / ".data" / "fuzz-media"),
        "LOG_LEVEL": "WARNING",
        # Thousands of requests a minute from one user and one address: the API's
        # request limits (oia.api.throttling) would answer 429, which the schema does not list.
        "OIA_THROTTLE_ANON": "",
        "OIA_THROTTLE_USER": "",
    }
    name = urlsplit(database_url).path.lstrip("/")
    run_sql(database_url, f'DROP DATABASE IF EXISTS "{name}"')
    run_sql(database_url, f'CREATE DATABASE "{name}"')
    children = []
    failed = False
    try:
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "load_demo", "--force"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = [str(BIN / "gunicorn"), "oia.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"]
        server += ["--access-logfile", os.devnull]  # thousands of fuzz requests
        worker = [str(BIN / "celery"), "-A", "oia", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"]
        for command in (server, worker):
            children.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
        wait_for(f"{base}/accounts/login/", children[0])
        for label, username, password in ROLES:
            started = time.monotonic()
            code, output = schemathesis(
                base,
                token_for(base, username, password),
                examples=args.examples,
                seed=args.seed,
                phases=args.phases,
                report_dir=Path(args.report_dir) / username,
            )
            print(f"== schemathesis as {label} ({time.monotonic() - started:.0f} s), exit code {code}")
            print(summary(output) if code == 0 else output)
            failed = failed or code != 0
    finally:
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(child.pid, signal.SIGKILL)
        run_sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).delete(queue)
    print("== fuzz: " + ("FAILED" if failed else "no server error, no schema violation"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
