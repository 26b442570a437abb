"""The API root: each app registers its viewsets on this one router."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from budget.api import grants as grant_views
from budget.api import jubilees as jubilee_views
from budget.api import views as budget_views
from delegations.api import gifts as gift_views
from delegations.api import records as delegation_records
from delegations.api import views as delegation_views
from networks.api import views as network_views
from oia.audit import is_tracked
from partners.api import views as partner_views
from protocol.api import views as protocol_views
from reports.api import views as report_views

from .mixins import HistoryMixin
from .notifications import NotificationViewSet
from .people import AccountViewSet
from .views import APIDocsView, APIRootView, MeView, ObtainTokenView


class Router(DefaultRouter):
    APIRootView = APIRootView

    def register(self, prefix, viewset, basename=None):
        # Every resource whose records the audit trail tracks answers <id>/history/
        # (a resource that is no model's, such as the anniversaries, has none).
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None and is_tracked(queryset.model) and not issubclass(viewset, HistoryMixin):
            viewset = type(viewset.__name__, (HistoryMixin, viewset), {"__module__": viewset.__module__})
        super().register(prefix, viewset, basename)


router = Router()
router.register("cities", partner_views.CityViewSet, basename="city")
router.register("partnerships", partner_views.PartnershipViewSet, basename="partnership")
router.register("sub-partnerships", partner_views.SubPartnershipViewSet, basename="sub-partnership")
router.register("trilateral-links", partner_views.TrilateralLinkViewSet, basename="trilateral-link")
router.register("documents", partner_views.DocumentViewSet, basename="document")
router.register("anniversaries", partner_views.AnniversaryViewSet, basename="anniversary")
router.register("clubs", partner_views.ClubViewSet, basename="club")
router.register("club-associations", partner_views.ClubAssociationViewSet, basename="club-association")
router.register("contacts", partner_views.ContactViewSet, basename="contact")
router.register("club-leaders", partner_views.ClubLeaderViewSet, basename="club-leader")
router.register("departments", delegation_views.DepartmentViewSet, basename="department")
router.register("people", delegation_views.PersonViewSet, basename="person")
router.register("delegations", delegation_views.DelegationViewSet, basename="delegation")
router.register("gifts", gift_views.GiftViewSet, basename="gift")
# A delegation's own records, under it: /api/delegations/<id>/programme/ and so on.
for prefix, viewset, basename in [
    ("programme", delegation_records.ProgrammeItemViewSet, "delegation-programme"),
    ("costs", delegation_records.CostViewSet, "delegation-cost"),
    ("gifts", delegation_records.GiftViewSet, "delegation-gift"),
    ("outcomes", delegation_records.OutcomeViewSet, "delegation-outcome"),
    ("participants", delegation_records.ParticipantViewSet, "delegation-participant"),
]:
    router.register(rf"delegations/(?P<delegation_pk>[^/.]+)/{prefix}", viewset, basename=basename)
router.register("coordination-cases", delegation_views.CoordinationCaseViewSet, basename="coordination-case")
router.register("networks", network_views.NetworkViewSet, basename="network")
router.register("memberships", network_views.MembershipViewSet, basename="membership")
router.register("network-roles", network_views.NetworkRoleViewSet, basename="network-role")
router.register("network-activities", network_views.NetworkActivityViewSet, basename="network-activity")
router.register("budgets", budget_views.BudgetViewSet, basename="budget")
router.register("budget-lines", budget_views.BudgetLineViewSet, basename="budget-line")
router.register("expenses", budget_views.ExpenseViewSet, basename="expense")
router.register("commitments", budget_views.CommitmentViewSet, basename="commitment")
router.register("budget-changes", budget_views.BudgetChangeViewSet, basename="budget-change")
router.register("supplementary-requests", budget_views.SupplementaryRequestViewSet, basename="supplementary-request")
router.register("exchanges", partner_views.ExchangeViewSet, basename="exchange")
router.register("grant-applications", grant_views.GrantApplicationViewSet, basename="grant-application")
router.register("grant-rules", grant_views.GrantRulesViewSet, basename="grant-rules")
router.register("jubilee-plans", jubilee_views.JubileePlanViewSet, basename="jubilee-plan")
router.register("consular-posts", protocol_views.ConsularPostViewSet, basename="consular-post")
router.register(
    "national-day-observances", protocol_views.NationalDayObservanceViewSet, basename="national-day-observance"
)
router.register("ambassadors", protocol_views.AmbassadorViewSet, basename="ambassador")
router.register("ambassador-activities", protocol_views.AmbassadorActivityViewSet, basename="ambassador-activity")
router.register("reports", report_views.ReportViewSet, basename="report")
router.register("events", protocol_views.EventViewSet, basename="event")
router.register("event-costs", protocol_views.EventCostViewSet, basename="event-cost")
router.register("guests", protocol_views.GuestViewSet, basename="guest")
router.register("notifications", NotificationViewSet, basename="notification")
# People and roles (the People pages); /api/people/ are the delegations' travellers and visitors.
router.register("accounts", AccountViewSet, basename="account")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", APIDocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
