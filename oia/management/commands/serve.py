"""`make run`: migrate, load the demo data, then run the web server, a Celery
worker and Celery beat together until Ctrl-C (or SIGTERM) stops them all.

Each child runs in its own process group so that stopping it also stops the
processes it started (the autoreloader's server, the worker's pool).
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

STOP_TIMEOUT = 20


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and beat, with demo data (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("OIA_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data.")

    def handle(self, *args, addr, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=1)
        if not no_demo:
            call_command("load_demo", force=True)
        python = sys.executable
        schedule = str(settings.BASE_DIR / ".data" / "celerybeat-schedule")
        commands = {
            "web": [python, "manage.py", "runserver", addr],
            "worker": [python, "-m", "celery", "-A", "oia", "worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": [python, "-m", "celery", "-A", "oia", "beat", "--loglevel=INFO", "-s", schedule],
        }
        children = {
            name: subprocess.Popen(cmd, cwd=settings.BASE_DIR, start_new_session=True) for name, cmd in commands.items()
        }
        self.stdout.write(self.style.SUCCESS(f"oia is running at http://{addr}/ (Ctrl-C stops everything)."))

        stopping = False

        def request_stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"{name} exited with code {child.returncode}; stopping the others.")
                    exit_code = 1
                    stopping = True
            time.sleep(0.5)
        self._stop(children)
        if exit_code:
            sys.exit(exit_code)

    def _stop(self, children):
        self.stdout.write("Stopping web server, worker and beat ...")
        for child in children.values():
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children.values():
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for child in children.values():
            try:
                os.killpg(child.pid, signal.SIGKILL)  # leftovers of the group, if any
            except ProcessLookupError:
                pass
        self.stdout.write("Stopped.")
