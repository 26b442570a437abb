"""Project-wide views: the health check, the error pages and the notifications.
The dashboards, which show every app, are in ``dashboards``."""

from datetime import timedelta

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
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


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


def _worker_state(database_ok: bool) -> str:
    if not database_ok:
        return "unknown"
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if last is None:
        return "unknown"
    return "ok" if timezone.now() - last < WORKER_STALE_AFTER else "stale"


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the broker
    answer, 503 otherwise. The worker state is reported but does not fail the
    check, because web requests still work without a worker."""
    database_ok = _database_ok()
    broker_ok = _broker_ok()
    healthy = database_ok and broker_ok
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database_ok else "error",
        "broker": "ok" if broker_ok else "error",
        "worker": _worker_state(database_ok),
    }
    return JsonResponse(body, status=200 if healthy else 503)


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
