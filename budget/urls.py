"""The budget's pages under /budget/, and the club leaders' grant pages
(``portal_urlpatterns``, served under /portal/ in the namespace ``portal``)."""

from django.urls import path

from .views import bookings, grants, jubilees, overview, portal

app_name = "budget"

urlpatterns = [
    path("", overview.BudgetListView.as_view(), name="budget-list"),
    path("new/", overview.BudgetCreateView.as_view(), name="budget-create"),
    path("<int:year>/", overview.BudgetOverviewView.as_view(), name="budget-overview"),
    path("<int:year>/adopt/", overview.BudgetAdoptView.as_view(), name="budget-adopt"),
    path("<int:year>/close/", overview.BudgetCloseView.as_view(), name="budget-close"),
    path("<int:year>/export.<str:fmt>", overview.BudgetExportView.as_view(), name="budget-export"),
    path("<int:year>/lines/new/", overview.LineCreateView.as_view(), name="line-create"),
    path("<int:year>/lines/split/", overview.LineSplitView.as_view(), name="line-split"),
    path("<int:year>/transfer/", bookings.TransferCreateView.as_view(), name="transfer-create"),
    path("lines/<int:pk>/", overview.LineDetailView.as_view(), name="line-detail"),
    path("lines/<int:pk>/edit/", overview.LineUpdateView.as_view(), name="line-edit"),
    path("lines/<int:pk>/export.<str:fmt>", overview.LineExportView.as_view(), name="line-export"),
    path("lines/<int:pk>/expenses/new/", bookings.ExpenseCreateView.as_view(), name="expense-create"),
    path("lines/<int:pk>/amend/", bookings.AmendmentCreateView.as_view(), name="amendment-create"),
    path(
        "lines/<int:pk>/supplementary/new/",
        bookings.SupplementaryRequestCreateView.as_view(),
        name="supplementary-create",
    ),
    path("supplementary/<int:pk>/decide/", bookings.SupplementaryDecideView.as_view(), name="supplementary-decide"),
    path("jubilees/new/", jubilees.JubileePlanCreateView.as_view(), name="jubilee-plan-create"),
    path("jubilees/<int:pk>/", jubilees.JubileePlanDetailView.as_view(), name="jubilee-plan-detail"),
    path("jubilees/<int:pk>/edit/", jubilees.JubileePlanUpdateView.as_view(), name="jubilee-plan-edit"),
    path("jubilees/<int:pk>/cancel/", jubilees.JubileePlanCancelView.as_view(), name="jubilee-plan-cancel"),
    path("grants/", grants.GrantListView.as_view(), name="grant-list"),
    path("grants/rules/", grants.GrantRulesView.as_view(), name="grant-rules"),
    path("grants/<int:pk>/", grants.GrantDetailView.as_view(), name="grant-detail"),
]

portal_urlpatterns = [
    path("clubs/<int:club>/grants/new/", portal.GrantCreateView.as_view(), name="grant-create"),
    path("grants/<int:pk>/", portal.GrantDetailView.as_view(), name="grant-detail"),
    path("grants/<int:pk>/edit/", portal.GrantUpdateView.as_view(), name="grant-edit"),
    path("grants/<int:pk>/submit/", portal.GrantSubmitView.as_view(), name="grant-submit"),
    path("grants/<int:pk>/withdraw/", portal.GrantWithdrawView.as_view(), name="grant-withdraw"),
    path("grants/<int:pk>/report/", portal.GrantReportView.as_view(), name="grant-report"),
]
