from django.urls import path

from .views import networks

app_name = "networks"

urlpatterns = [
    path("", networks.NetworkListView.as_view(), name="network-list"),
    path("new/", networks.NetworkCreateView.as_view(), name="network-create"),
    path("<int:pk>/", networks.NetworkDetailView.as_view(), name="network-detail"),
    path("<int:pk>/edit/", networks.NetworkUpdateView.as_view(), name="network-edit"),
    path("<int:pk>/memberships/new/", networks.MembershipCreateView.as_view(), name="membership-create"),
    path("memberships/<int:pk>/edit/", networks.MembershipUpdateView.as_view(), name="membership-edit"),
    path("memberships/<int:pk>/review/", networks.MembershipReviewView.as_view(), name="membership-review"),
    path("<int:pk>/roles/new/", networks.NetworkRoleCreateView.as_view(), name="role-create"),
    path("<int:pk>/activities/new/", networks.NetworkActivityCreateView.as_view(), name="activity-create"),
    path("activities/<int:pk>/edit/", networks.NetworkActivityUpdateView.as_view(), name="activity-edit"),
    path("activities/<int:pk>/delete/", networks.NetworkActivityDeleteView.as_view(), name="activity-delete"),
]
