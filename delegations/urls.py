from django.urls import path

from .views import coordination, detail, gifts, lists, people, records

app_name = "delegations"

urlpatterns = [
    path("", lists.DelegationListView.as_view(), name="delegation-list"),
    path("calendar/", lists.DelegationCalendarView.as_view(), name="calendar"),
    path("feed/<str:token>.ics", lists.delegation_feed, name="delegations-ical"),
    path("new/", detail.DelegationCreateView.as_view(), name="delegation-create"),
    path("<int:pk>/", detail.DelegationDetailView.as_view(), name="delegation-detail"),
    path("<int:pk>/edit/", detail.DelegationUpdateView.as_view(), name="delegation-edit"),
    path("<int:pk>/transition/", detail.DelegationTransitionView.as_view(), name="delegation-transition"),
    path("<int:pk>/participants/new/", detail.ParticipantCreateView.as_view(), name="participant-create"),
    path("participants/<int:pk>/delete/", detail.ParticipantDeleteView.as_view(), name="participant-delete"),
    path("<int:pk>/programme/new/", detail.ProgrammeItemCreateView.as_view(), name="programme-item-create"),
    path("programme/<int:pk>/edit/", records.ProgrammeItemUpdateView.as_view(), name="programme-item-edit"),
    path("programme/<int:pk>/delete/", records.ProgrammeItemDeleteView.as_view(), name="programme-item-delete"),
    path("<int:pk>/costs/new/", detail.CostCreateView.as_view(), name="cost-create"),
    path("costs/<int:pk>/edit/", records.CostUpdateView.as_view(), name="cost-edit"),
    path("costs/<int:pk>/delete/", records.CostDeleteView.as_view(), name="cost-delete"),
    path("<int:pk>/gifts/new/", detail.GiftCreateView.as_view(), name="gift-create"),
    path("gifts/<int:pk>/edit/", records.GiftUpdateView.as_view(), name="gift-edit"),
    path("gifts/<int:pk>/delete/", records.GiftDeleteView.as_view(), name="gift-delete"),
    path("<int:pk>/outcomes/new/", detail.OutcomeCreateView.as_view(), name="outcome-create"),
    path("outcomes/<int:pk>/edit/", records.OutcomeUpdateView.as_view(), name="outcome-edit"),
    path("outcomes/<int:pk>/delete/", records.OutcomeDeleteView.as_view(), name="outcome-delete"),
    path("city-partnerships/", detail.CityPartnershipsView.as_view(), name="city-partnerships"),
    path("<int:pk>/briefing/", coordination.BriefingView.as_view(), name="briefing"),
    path("gifts/", gifts.GiftListView.as_view(), name="gift-list"),
    path("gifts/export.<str:fmt>", gifts.GiftExportView.as_view(), name="gift-export"),
    path("people/", coordination.PersonListView.as_view(), name="person-list"),
    path("people/new/", coordination.PersonCreateView.as_view(), name="person-create"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/export/", people.PersonExportView.as_view(), name="person-export"),
    path("people/<int:pk>/anonymise/", people.PersonAnonymiseView.as_view(), name="person-anonymise"),
    path("coordination/", coordination.CoordinationCaseListView.as_view(), name="coordination-list"),
    path("coordination/<int:pk>/resolve/", coordination.CoordinationResolveView.as_view(), name="coordination-resolve"),
]
