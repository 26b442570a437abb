"""TODO"""

from django.urls import path  # noqa: F401

from .views import ambassadors

app_name = "protocol"

urlpatterns = [
    # ----- consular posts and national days -----
    #
    #
    #
    # ----- events and guests -----
    #
    #
    #
    # ----- city ambassadors -----
    path("ambassadors/", ambassadors.AmbassadorListView.as_view(), name="ambassador-list"),
    path("ambassadors/new/", ambassadors.AmbassadorCreateView.as_view(), name="ambassador-create"),
    path("ambassadors/<int:pk>/", ambassadors.AmbassadorDetailView.as_view(), name="ambassador-detail"),
    path("ambassadors/<int:pk>/edit/", ambassadors.AmbassadorUpdateView.as_view(), name="ambassador-edit"),
    path("ambassadors/<int:pk>/end/", ambassadors.AmbassadorEndView.as_view(), name="ambassador-end"),
    path("ambassadors/<int:pk>/activities/new/", ambassadors.ActivityCreateView.as_view(), name="activity-create"),
    path("ambassador-activities/<int:pk>/edit/", ambassadors.ActivityUpdateView.as_view(), name="activity-edit"),
    path("ambassador-activities/<int:pk>/delete/", ambassadors.ActivityDeleteView.as_view(), name="activity-delete"),
]
