"""The club leaders' portal, under /portal/ in its own namespace ``portal``."""

from django.urls import path

from .views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.ClubPageView.as_view(), name="home"),
    path("clubs/<int:club>/", portal.ClubPageView.as_view(), name="club"),
    path("clubs/<int:club>/exchanges/new/", portal.ExchangeCreateView.as_view(), name="exchange-create"),
    path("clubs/<int:club>/grants/new/", portal.GrantCreateView.as_view(), name="grant-create"),
    path("exchanges/<int:pk>/", portal.ExchangeDetailView.as_view(), name="exchange-detail"),
    path("exchanges/<int:pk>/edit/", portal.ExchangeUpdateView.as_view(), name="exchange-edit"),
    path("exchanges/<int:pk>/submit/", portal.ExchangeSubmitView.as_view(), name="exchange-submit"),
    path("exchanges/<int:pk>/delete/", portal.ExchangeDeleteView.as_view(), name="exchange-delete"),
    path("exchanges/<int:pk>/photos/new/", portal.ExchangePhotoCreateView.as_view(), name="photo-create"),
    path("photos/<int:pk>/", portal.exchange_photo, name="photo"),
    path("photos/<int:pk>/delete/", portal.ExchangePhotoDeleteView.as_view(), name="photo-delete"),
    path("grants/<int:pk>/", portal.GrantDetailView.as_view(), name="grant-detail"),
    path("grants/<int:pk>/edit/", portal.GrantUpdateView.as_view(), name="grant-edit"),
    path("grants/<int:pk>/submit/", portal.GrantSubmitView.as_view(), name="grant-submit"),
    path("grants/<int:pk>/withdraw/", portal.GrantWithdrawView.as_view(), name="grant-withdraw"),
    path("grants/<int:pk>/report/", portal.GrantReportView.as_view(), name="grant-report"),
]
