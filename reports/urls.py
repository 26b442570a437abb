from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "pdf|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "report_format")

app_name = "reports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("generate/", views.GenerateView.as_view(), name="generate"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("requests/<int:pk>/status.json", views.RequestStatusView.as_view(), name="request-status"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version-detail"),
    path(
        "versions/<int:pk>/download.<report_format:fmt>", views.VersionDownloadView.as_view(), name="version-download"
    ),
    path("versions/<int:pk>/publish/", views.VersionPublishView.as_view(), name="version-publish"),
    path(
        "versions/<int:pk>/publish/confirm/", views.VersionPublishConfirmView.as_view(), name="version-publish-confirm"
    ),
    path("versions/<int:pk>/public/", views.VersionPublicView.as_view(), name="version-public"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("public/<int:year>/", views.PublicReportView.as_view(), name="public"),
    path("public/<int:year>/download.<report_format:fmt>", views.PublicDownloadView.as_view(), name="public-download"),
]
