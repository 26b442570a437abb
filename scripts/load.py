"""Load test: office staff and club leaders doing their day against gunicorn
with the production settings (``make load``).

The script builds a scratch database with the demo data (its own, dropped at
the end), adds the test's accounts (office users with the staff role, each
with an API token; club leaders spread over the demo clubs; one password,
hashed once), collects the static files as the production image does
(whitenoise serves them), and starts gunicorn as in production
(``oia.settings.production``, gunicorn.conf.py, three workers as the
Dockerfile) and a Celery worker on a queue of its own. Then locust
(scripts/locustfile.py) runs headless: 50 office users and 20 club leaders
sign in through the login page, and when all have, their day begins: two
minutes of 2 to 8 seconds between two actions.

No security is turned off. The client plays the browser behind the TLS proxy
of deploy/nginx.conf (``X-Forwarded-Proto: https``, ``X-Forwarded-For`` one
address a user, which ``OIA_TRUSTED_PROXIES=1`` trusts as nginx's); secure
cookies, HSTS, CSRF, the lockout and the password hasher stay as in
production.

It prints requests, failures, median, 95th and 99th percentile per request
type of the day, the sign-ins apart (the password hasher is slow on purpose,
Django's PBKDF2 with a million rounds: 70 sign-ins at once are a queue of
their own), and the day's totals with the throughput. It exits 1 on any failure or
error, or when the 95th percentile of the day's pages and API requests
(static files left out, they would only lower it) is 300 ms or more.

    make load                                           # 70 users, a two-minute day
    python scripts/load.py --office 10 --leaders 4 --day 30   # a small one
"""

import argparse
import csv
import math
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from fuzz import free_port, run_sql, scratch_database_url, wait_for

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
P95_LIMIT_MS = 300

ACCOUNTS = r"""
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from oia.roles import Role
from oia.tokens import issue_token
from partners.models import Club

User = get_user_model()
password = make_password(os.environ["OIA_LOAD_PASSWORD"])
clubs = list(Club.objects.order_by("pk"))
tokens = []
with transaction.atomic():
    staff, leader = Group.objects.get(name=Role.STAFF), Group.objects.get(name=Role.CLUB_LEADER)
    for number in range(1, int(os.environ["OIA_LOAD_OFFICE"]) + 1):
        name = f"load-staff-{number:02}"
        user = User.objects.create(username=name, first_name="Office", last_name=f"User {number}", password=password)
        user.groups.add(staff)
        tokens.append(f"{name}\t{issue_token(user, via='page')[1]}\n")
    for number in range(1, int(os.environ["OIA_LOAD_LEADERS"]) + 1):
        name = f"load-leader-{number:02}"
        user = User.objects.create(username=name, first_name="Club", last_name=f"Leader {number}", password=password)
        user.groups.add(leader)
        clubs[(number - 1) % len(clubs)].leaders.add(user)
with open(os.open(os.environ["OIA_LOAD_TOKENS"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
    file.writelines(tokens)
"""


def percentile(times: list[float], share: float) -> float:
    """The nearest-rank percentile (the time ``share`` of the requests stayed within)."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def row(label: str, rows: list[dict], seconds: float) -> str:
    """One line of the table; the throughput is over the whole run (``seconds``)."""
    times = [float(r["ms"]) for r in rows]
    failures = sum(r["failure"] != "" for r in rows)
    return (
        f"{label[:38]:38} {len(rows):7} {failures:6} {statistics.median(times):8.0f} "
        f"{percentile(times, 0.95):8.0f} {percentile(times, 0.99):8.0f} {len(rows) / seconds:7.2f}"
    )


def report(results: Path) -> tuple[bool, str]:
    """Print the table; return whether the run passed and why not."""
    with results.open() as file:
        rows = list(csv.DictReader(file))
    day = [item for item in rows if item["phase"] == "day"]
    if not day:
        return False, "the day never began (did every user sign in? see the locust log)"
    sign_in = [item for item in rows if item["phase"] == "sign-in"]
    moments = [float(item["at"]) for item in day]
    seconds = max(moments) - min(moments)
    by_name: dict[str, list[dict]] = {}
    for item in day:
        by_name.setdefault(f"{item['method']} {item['name']}", []).append(item)
    pages = [item for item in day if item["name"] != "static file"]
    print(f"{'request (the day)':38} {'count':>7} {'fails':>6} {'median':>8} {'p95':>8} {'p99':>8} {'req/s':>7}   (ms)")
    for name in sorted(by_name):
        print(row(name, by_name[name], seconds))
    print("-" * 90)
    print(row("sign-in (before the day)", sign_in, seconds))
    print(row("the day: pages and API", pages, seconds))
    print(row("the day: all, static files too", day, seconds))
    failures = [item for item in rows if item["failure"]]
    for item in failures[:20]:
        print(f"  failed: {item['method']} {item['name']}: {item['failure']}")
    p95 = percentile([float(item["ms"]) for item in pages], 0.95)
    problems = []
    if failures:
        problems.append(f"{len(failures)} failed requests")
    if p95 >= P95_LIMIT_MS:
        problems.append(f"the day's p95 is {p95:.0f} ms (limit {P95_LIMIT_MS} ms)")
    return not problems, "; ".join(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--office", type=int, default=50, help="office users (default 50)")
    parser.add_argument("--leaders", type=int, default=20, help="club leaders (default 20)")
    parser.add_argument("--day", type=int, default=120, help="seconds the day lasts after the sign-ins (default 120)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as the Dockerfile)")
    parser.add_argument("--log-dir", default=str(ROOT / ".data" / "load"))
    args = parser.parse_args()

    from oia.embedded import ensure_database_url, ensure_redis_url

    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    database_url = scratch_database_url(ensure_database_url(), f"oia_load_{os.getpid()}")
    queue = f"load-{uuid.uuid4().hex[:12]}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    password = secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "OIA_TRUSTED_PROXIES": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": ensure_redis_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(ROOT / ".data" / "load-media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "OIA_LOAD_PASSWORD": password,
        "OIA_LOAD_OFFICE": str(args.office),
        "OIA_LOAD_LEADERS": str(args.leaders),
        "OIA_LOAD_DAY_SECONDS": str(args.day),
        "OIA_LOAD_RESULTS": str(log_dir / "requests.csv"),
        "OIA_LOAD_TOKENS": str(log_dir / "tokens.tsv"),
    }
    name = urlsplit(database_url).path.lstrip("/")
    run_sql(database_url, f'DROP DATABASE IF EXISTS "{name}"')
    run_sql(database_url, f'CREATE DATABASE "{name}"')
    children, collect = [], None
    passed, why = False, "the run did not finish"
    try:
        manage = [str(BIN / "python"), "manage.py"]
        quiet = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
        started = time.monotonic()
        # The static files (compressed for whitenoise, a few minutes) while the database is built.
        collect = subprocess.Popen([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env)
        subprocess.run([*manage, "migrate", "-v0"], **quiet)
        # Their security log (one JSON line a user and role) only if something fails.
        for command in (["load_demo", "--force"], ["shell", "-c", ACCOUNTS]):
            done = subprocess.run([*manage, *command], cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"manage.py {command[0]} failed:\n{done.stdout}{done.stderr}")
        if collect.wait() != 0:
            raise SystemExit("collectstatic failed.")
        print(
            f"== scratch database, demo data, {args.office + args.leaders} accounts, static files: "
            f"{time.monotonic() - started:.0f} s"
        )
        # gunicorn.conf.py from the working directory, as in the production image.
        server = [str(BIN / "gunicorn"), "oia.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        server += ["--workers", str(args.workers)]
        worker = [str(BIN / "celery"), "-A", "oia", "worker", "--concurrency=2", "-Q", queue, "--loglevel=WARNING"]
        for command, log in ((server, "gunicorn.log"), (worker, "worker.log")):
            output = (log_dir / log).open("w")
            children.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True)
            )
        # Ready: database, Redis, migrations and the worker (plain HTTP: SSL redirect exempts the health checks).
        wait_for(f"{base}/readyz", children[0], seconds=90)
        users = args.office + args.leaders
        locust = [str(BIN / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless"]
        # Two users a second arrive and sign in (70 at once would queue behind the password hasher
        # for over a minute on two cores). The locustfile ends the run when the day is over;
        # -t only stops a run whose sign-ins never end.
        locust += ["-u", str(users), "-r", "2", "-t", f"{args.day + 900}s", "--host", base, "--only-summary"]
        locust += ["--stop-timeout", "30", "--loglevel", "WARNING"]
        print(
            f"== locust: {args.office} office users and {args.leaders} club leaders sign in, then work {args.day} s "
            f"(gunicorn with {args.workers} workers; logs in {log_dir})"
        )
        started = time.monotonic()
        with (log_dir / "locust.log").open("w") as output:
            code = subprocess.run(locust, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT).returncode
        seconds = time.monotonic() - started
        passed, why = report(Path(env["OIA_LOAD_RESULTS"]))
        if code != 0 and passed:
            passed, why = False, f"locust exited with {code} (an error in a user's task? see {log_dir / 'locust.log'})"
        load = os.getloadavg()
        print(
            f"== {seconds:.0f} s; load average of the machine at the end: {load[0]:.1f} (1 min), {load[2]:.1f} (15 min)"
            f" on {os.cpu_count()} cores"
        )
    finally:
        if collect is not None and collect.poll() is None:
            collect.kill()
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(child.pid, signal.SIGKILL)
        Path(env["OIA_LOAD_TOKENS"]).unlink(missing_ok=True)
        run_sql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).delete(queue)
    print("== load: " + (f"passed (p95 under {P95_LIMIT_MS} ms, no failure)" if passed else f"FAILED: {why}"))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
