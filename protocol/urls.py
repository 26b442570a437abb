"""TODO"""

from django.urls import path  # noqa: F401

from .views import consular

app_name = "protocol"

urlpatterns = [
    # ----- consular posts and national days -----
    path("consular-posts/", consular.PostListView.as_view(), name="post-list"),
    path("consular-posts/new/", consular.PostCreateView.as_view(), name="post-create"),
    path("consular-posts/<int:pk>/", consular.PostDetailView.as_view(), name="post-detail"),
    path("consular-posts/<int:pk>/edit/", consular.PostUpdateView.as_view(), name="post-edit"),
    path("consular-posts/<int:pk>/close/", consular.PostCloseView.as_view(), name="post-close"),
    path("consular-posts/<int:pk>/reopen/", consular.PostReopenView.as_view(), name="post-reopen"),
    path("precedence/", consular.PrecedenceView.as_view(), name="precedence"),
    path("precedence/export.<str:fmt>", consular.PrecedenceExportView.as_view(), name="precedence-export"),
    path("national-days/", consular.NationalDayListView.as_view(), name="national-day-list"),
    path("national-days/record/", consular.NationalDayRecordView.as_view(), name="national-day-record"),
    path("national-days/<str:token>.ics", consular.national_day_feed, name="national-day-ical"),
    # ----- events and guests -----
    #
    #
    #
    # ----- city ambassadors -----
]
