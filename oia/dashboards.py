"""The dashboards: the first page after login, one per role. They show a
little of every app, so they belong to the composition root (with the URL
confs and the demo loader): the one place allowed to import every app."""

from datetime import timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView

from budget.models import GrantApplication, GrantStatus
from delegations.choices import CaseState, DelegationStatus, Direction
from delegations.models import CoordinationCase, Delegation, Participant
from delegations.selectors import possibly_dormant, travel_figures
from networks.selectors import DUE_WITHIN_DAYS, memberships_due
from partners.choices import ReviewStatus
from partners.models import City, Exchange, Partnership, StatusChange
from partners.selectors import upcoming_jubilees
from partners.views.portal import club_page_context
from protocol.national_days import COMING_UP_DAYS, national_days_coming
from reports.selectors import published_versions

from .audit import cached_until_changed, last_changes
from .forms import YearForm
from .roles import OFFICE, Role, has_role, roles_of

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
            return ["partners/portal/club.html"]  # the club page the portal serves
        return ["oia/dashboard_no_role.html"]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        year_form = context.get("year_form")
        # A year out of range shows this year's figures, with the message beside the field, and answers 400.
        status = 400 if year_form is not None and year_form.is_bound and not year_form.is_valid() else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_of(self.request.user)
        if Role.CLUB_LEADER in roles and not roles & (OFFICE | {Role.COUNCIL}):
            # A club leader lands on their club page (``?club=`` switches club).
            context.update(club_page_context(self.request.user, self.request.GET.get("club")))
        if Role.COUNCIL in roles and not roles & OFFICE:
            # The published report of each year, newest first, in one query.
            context["published_reports"] = published_versions(PUBLISHED_REPORTS_SHOWN)
        if has_role(self.request.user, OFFICE):
            today = timezone.localdate()
            # The jubilees and the year's figures read whole tables; they are computed
            # again only when one of the tables they read has changed (one query asks).
            marks = last_changes(Partnership, City, StatusChange, Delegation, Participant)
            jubilee_marks = {model: marks[model] for model in (Partnership, City, StatusChange)}
            travel_marks = {model: marks[model] for model in (Delegation, Participant)}
            context["upcoming_anniversaries"] = cached_until_changed(
                f"jubilees:{today.isoformat()}", jubilee_marks, lambda: upcoming_jubilees(today)
            )
            # Each list is one query, each count one more: the page costs the same however full it is.
            context["upcoming_delegations"] = list(
                Delegation.objects.taking_place()
                .filter(start_on__gte=today, start_on__lte=today + timedelta(days=UPCOMING_DAYS))
                .select_related("city", "department")
                .order_by("start_on", "title", "pk")[:UPCOMING_SHOWN]
            )
            context["upcoming_days"] = UPCOMING_DAYS
            # The first few and, beside each, how many there are in all: one query.
            awaiting = list(
                Delegation.objects.filter(direction=Direction.OUTBOUND, status=DelegationStatus.SUBMITTED)
                .annotate(all_awaiting=Window(Count("pk")))
                .select_related("city", "department")
                .order_by("start_on", "title", "pk")[:AWAITING_APPROVAL_SHOWN]
            )
            context["awaiting_approval_count"] = awaiting[0].all_awaiting if awaiting else 0
            context["awaiting_approval"] = awaiting
            query = urlencode({"direction": Direction.OUTBOUND.value, "status": DelegationStatus.SUBMITTED.value})
            context["awaiting_approval_url"] = f"{reverse('delegations:delegation-list')}?{query}"
            open_cases = CoordinationCase.objects.filter(state=CaseState.OPEN)
            context["open_case_count"] = open_cases.count()
            context["open_cases"] = list(
                open_cases.select_related("trip", "other").order_by("-found_at", "-pk")[:OPEN_CASES_SHOWN]
            )
            # "This year so far" by default; ``?year=`` looks back (or ahead) at another year.
            year_form = YearForm(
                self.request.GET if self.request.GET.get("year") else None, initial={"year": today.year}
            )
            year = year_form.year_or(today.year)
            context["year_form"] = year_form
            context["figures"] = cached_until_changed(f"travel:{year}", travel_marks, lambda: travel_figures(year))
            context["figures_current_year"] = year == today.year
            context["figures_delegations_url"] = f"{reverse('delegations:delegation-list')}?{urlencode({'year': year})}"
            context["figures_gifts_url"] = f"{reverse('delegations:gift-list')}?{urlencode({'year': year})}"
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
            # The consular posts' national days of the next two weeks: one query.
            context["national_days_coming"] = national_days_coming(today)
            context["national_days_days"] = COMING_UP_DAYS
        return context
