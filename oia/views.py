"""Project-wide views: the dashboard, the health check and error pages."""

from datetime import timedelta

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from budget.models import GrantApplication, GrantStatus
from delegations.choices import CaseState, DelegationStatus, Direction
from delegations.models import CoordinationCase, Delegation
from delegations.selectors import travel_figures
from networks.selectors import DUE_WITHIN_DAYS, memberships_due
from partners.choices import ReviewStatus
from partners.models import Exchange
from partners.selectors import possibly_dormant, upcoming_jubilees
from partners.views.portal import club_page_context
from reports.choices import VersionStatus
from reports.models import ReportVersion

from .models import WorkerHeartbeat
from .roles import OFFICE, Role, has_role, roles_of

WORKER_STALE_AFTER = timedelta(minutes=3)
# The office dashboard lists the first few of each kind; the links lead to the rest.
UPCOMING_DAYS = 30
UPCOMING_SHOWN = 10
AWAITING_APPROVAL_SHOWN = 10
OPEN_CASES_SHOWN = 5
DORMANT_SHOWN = 10
PUBLISHED_REPORTS_SHOWN = 5


class DashboardView(LoginRequiredMixin, TemplateView):
    """One address for everyone; the page shown depends on the user's role."""

    def get_template_names(self):
        roles = roles_of(self.request.user)
        if roles & {Role.ADMIN, Role.STAFF}:
            return ["oia/dashboard_office.html"]
        if Role.COUNCIL in roles:
            return ["oia/dashboard_council.html"]
        if Role.CLUB_LEADER in roles:
            return ["oia/dashboard_club_leader.html"]
        return ["oia/dashboard_no_role.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_of(self.request.user)
        if Role.CLUB_LEADER in roles and not roles & (OFFICE | {Role.COUNCIL}):
            # A club leader lands on their club page (``?club=`` switches club).
            context.update(club_page_context(self.request.user, self.request.GET.get("club")))
        if Role.COUNCIL in roles and not roles & OFFICE:
            # The published report of each year, newest first, in one query.
            context["published_reports"] = list(
                ReportVersion.objects.filter(status=VersionStatus.PUBLISHED)
                .only("pk", "year", "number", "published_at")
                .order_by("-year")[:PUBLISHED_REPORTS_SHOWN]
            )
        if has_role(self.request.user, OFFICE):
            today = timezone.localdate()
            context["upcoming_anniversaries"] = upcoming_jubilees(today)
            # Each list is one query, each count one more: the page costs the same however full it is.
            context["upcoming_delegations"] = list(
                Delegation.objects.taking_place()
                .filter(start_on__gte=today, start_on__lte=today + timedelta(days=UPCOMING_DAYS))
                .select_related("city", "department")
                .order_by("start_on", "title", "pk")[:UPCOMING_SHOWN]
            )
            context["upcoming_days"] = UPCOMING_DAYS
            submitted = Delegation.objects.filter(direction=Direction.OUTBOUND, status=DelegationStatus.SUBMITTED)
            context["awaiting_approval_count"] = submitted.count()
            context["awaiting_approval"] = list(
                submitted.select_related("city", "department").order_by("start_on", "title", "pk")[
                    :AWAITING_APPROVAL_SHOWN
                ]
            )
            query = urlencode({"direction": Direction.OUTBOUND.value, "status": DelegationStatus.SUBMITTED.value})
            context["awaiting_approval_url"] = f"{reverse('delegations:delegation-list')}?{query}"
            open_cases = CoordinationCase.objects.filter(state=CaseState.OPEN)
            context["open_case_count"] = open_cases.count()
            context["open_cases"] = list(
                open_cases.select_related("trip", "other").order_by("-found_at", "-pk")[:OPEN_CASES_SHOWN]
            )
            context["figures"] = travel_figures(today.year)
            # Memberships: reviews due (or overdue) and fees falling due, in one query.
            due = memberships_due(today)
            context["memberships_due_review"] = due["review"]
            context["membership_fees_due"] = due["fees"]
            context["memberships_due_days"] = DUE_WITHIN_DAYS
            # A suggestion only: active partnerships without exchange or delegation for 24 months.
            context["possibly_dormant"] = list(possibly_dormant(today)[: DORMANT_SHOWN + 1])
            context["dormant_shown"] = DORMANT_SHOWN
            # What the clubs sent that waits for the office: two counts.
            context["exchanges_to_review"] = Exchange.objects.filter(review_status=ReviewStatus.SUBMITTED).count()
            context["applications_to_decide"] = GrantApplication.objects.filter(status=GrantStatus.SUBMITTED).count()
        return context


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


def handler403(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "403.html", status=403)


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
        marked = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        if marked:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications")
