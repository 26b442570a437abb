"""Project-wide views: the health checks, the error pages and the notifications.
The dashboards, which show every app, are in ``dashboards``."""

from datetime import timedelta

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from .models import WorkerHeartbeat
from .notifications import mark_read

WORKER_STALE_AFTER = timedelta(minutes=3)
# Set once every migration is applied: loading the migration graph costs
# tens of milliseconds, and a running process's code (so its graph) never changes.
_all_migrations_applied = False


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis_ok() -> bool:
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


def _migrations_applied() -> bool:
    """No migration of this code is missing from the database."""
    global _all_migrations_applied
    if not _all_migrations_applied:
        try:
            executor = MigrationExecutor(connection)
            _all_migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:
            return False
    return _all_migrations_applied


def _worker_state() -> str:
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except Exception:  # the table is missing (not migrated yet)
        return "failing"
    if last is None:
        return "failing"
    return "ok" if timezone.now() - last < WORKER_STALE_AFTER else "stale"


@never_cache
def healthz(request):
    """Liveness, for restarting a stuck process: 200 whenever this process
    answers. It touches neither the database nor Redis, so an outage of either
    never gets every web process restarted at once; /readyz says whether to
    send it requests."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness, for load balancers: 200 only when the database and Redis
    answer, every migration is applied and a worker sent a heartbeat in the
    last WORKER_STALE_AFTER; else 503. Each check is named with ok, failing or
    stale (unknown when the database, which it needs, is failing); no address
    or name of a server is revealed."""
    database_ok = _database_ok()
    checks = {
        "database": "ok" if database_ok else "failing",
        "redis": "ok" if _redis_ok() else "failing",
        "migrations": ("ok" if _migrations_applied() else "failing") if database_ok else "unknown",
        "worker": _worker_state() if database_ok else "unknown",
    }
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if ready else "failing", **checks}, status=200 if ready else 503)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def handler400(request, exception=None):
    """A request Django refused to read: form data over DATA_UPLOAD_MAX_MEMORY_SIZE,
    too many fields, a bad Host header … Rendered without context processors,
    since the request itself may be what is wrong."""
    if isinstance(exception, RequestDataTooBig):
        message = _("The request is too large. Go back and send less data or a smaller file.")
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        message = _("The request holds too many fields or files. Go back and send fewer.")
    else:
        message = _("The request could not be read. Go back and try again.")
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))


def handler403(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A refused form (CSRF): Django's own page carries an inline <style>, which
    the Content-Security-Policy blocks, so ours extends base.html."""
    if _wants_json(request):
        return JsonResponse({"detail": "CSRF verification failed."}, status=403)
    return render(request, "403_csrf.html", status=403)


def handler404(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def handler500(request):
    if _wants_json(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    # No context processors: they may need the database that just failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


class NotificationListView(LoginRequiredMixin, ListView):
    """The signed-in user's own notifications, newest first. They are never
    marked read by being listed, so nothing is lost by opening the page."""

    template_name = "oia/notifications.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return self.request.user.notifications.order_by("-created_at", "-pk")

    def post(self, request, *args, **kwargs):
        """Mark all of the user's unread notifications as read."""
        marked = mark_read(request.user.notifications.all())
        if marked:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications")
