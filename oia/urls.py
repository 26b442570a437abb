"""The project's URLs: one namespace per app, the API under /api/.

Part of the composition root, with ``api.urls``, ``dashboards`` and the demo
loader: the only modules that know every app. The club leaders' portal is
one namespace, ``portal``, served by partners (club page, exchanges) and
budget (grants)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from budget import urls as budget_urls
from partners import urls as partners_urls

from . import accounts, activity_views, csp, dashboards, metrics, privacy, search_views, second_factor_views, views

urlpatterns = [
    path("", dashboards.DashboardView.as_view(), name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.scrape, name="metrics"),
    path("csp-report/", csp.report, name="csp-report"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", second_factor_views.SecurityView.as_view(), name="two_factor"),
    path("accounts/two-factor/verify/", second_factor_views.VerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/enrol/", second_factor_views.EnrolView.as_view(), name="two_factor_enrol"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/tokens/", accounts.TokenListView.as_view(), name="tokens"),
    path("accounts/tokens/revoke-all/", accounts.TokenRevokeAllView.as_view(), name="token-revoke-all"),
    path("accounts/tokens/<str:token_key>/revoke/", accounts.TokenRevokeView.as_view(), name="token-revoke"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("privacy/record/", privacy.RecordView.as_view(), name="privacy-record"),
    path("privacy/record.<str:fmt>", privacy.RecordExportView.as_view(), name="privacy-record-export"),
    path("activity/", activity_views.ActivityView.as_view(), name="activity"),
    path("activity.csv", activity_views.ActivityExportView.as_view(), name="activity-export"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "search/",
        include(
            (
                [
                    path("", search_views.SiteSearchView.as_view(), name="site"),
                    path("suggestions/", search_views.SiteSuggestionsView.as_view(), name="suggestions"),
                    path("<slug:kind>/", search_views.SearchView.as_view(), name="results"),
                ],
                "search",
            )
        ),
    ),
    path("partners/", include("partners.urls")),
    path("portal/", include((partners_urls.portal_urlpatterns + budget_urls.portal_urlpatterns, "portal"))),
    path("delegations/", include("delegations.urls")),
    path("networks/", include("networks.urls")),
    path("budget/", include("budget.urls")),
    path("protocol/", include("protocol.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include(("oia.api.urls", "api"))),
    path("admin/", admin.site.urls),
]

handler400 = "oia.views.handler400"
handler403 = "oia.views.handler403"
handler404 = "oia.views.handler404"
handler500 = "oia.views.handler500"
