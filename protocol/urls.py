"""The protocol pages (one namespace): the Consular Corps, national days,
events with their guests, the answer links and public pages (no sign-in), and
the city ambassadors."""

from django.urls import path  # noqa: F401

from .views import ambassadors, consular, events

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
    path("events/", events.EventListView.as_view(), name="event-list"),
    path("events/new/", events.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/edit/", events.EventUpdateView.as_view(), name="event-edit"),
    path("events/<int:pk>/held/", events.EventHeldView.as_view(), name="event-held"),
    path("events/<int:pk>/cancel/", events.EventCancelView.as_view(), name="event-cancel"),
    path("events/<int:pk>/seating/", events.SeatingPlanView.as_view(), name="event-seating"),
    path("events/<int:pk>/badges/", events.BadgesView.as_view(), name="event-badges"),
    path("events/<int:pk>/costs/new/", events.EventCostCreateView.as_view(), name="event-cost-create"),
    path("events/costs/<int:pk>/edit/", events.EventCostUpdateView.as_view(), name="event-cost-edit"),
    path("events/costs/<int:pk>/book/", events.EventCostBookView.as_view(), name="event-cost-book"),
    path("events/<int:pk>/guests/new/", events.GuestCreateView.as_view(), name="guest-create"),
    path("events/<int:pk>/guests/consuls/", events.GuestsInviteConsulsView.as_view(), name="guest-invite-consuls"),
    path(
        "events/<int:pk>/guests/ambassadors/",
        events.GuestsInviteAmbassadorsView.as_view(),
        name="guest-invite-ambassadors",
    ),
    path("events/<int:pk>/invitations/", events.InvitationSendView.as_view(), name="guest-send-invitations"),
    path("events/guests/<int:pk>/edit/", events.GuestUpdateView.as_view(), name="guest-edit"),
    path("events/guests/<int:pk>/delete/", events.GuestDeleteView.as_view(), name="guest-delete"),
    path("rsvp/<str:token>/", events.RsvpView.as_view(), name="rsvp"),
    path("public/events/", events.PublicEventListView.as_view(), name="public-event-list"),
    path("public/events/<int:pk>/", events.PublicEventDetailView.as_view(), name="public-event-detail"),
    path("public/events.ics", events.public_event_feed, name="public-event-feed"),
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
