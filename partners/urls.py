"""The office's pages of the partners app under /partners/, and the club
leaders' portal under /portal/ (``portal_urlpatterns``: the composition root
puts them in the namespace ``portal``, together with budget's grant pages)."""

from django.urls import path

from .views import anniversaries, associations, exchanges, map, partnerships, portal, rights, transfer

app_name = "partners"

urlpatterns = [
    path("", partnerships.PartnershipListView.as_view(), name="partnership-list"),
    path("new/", partnerships.PartnershipCreateView.as_view(), name="partnership-create"),
    path("<int:pk>/", partnerships.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("<int:pk>/edit/", partnerships.PartnershipUpdateView.as_view(), name="partnership-edit"),
    path("<int:pk>/status/", partnerships.StatusChangeCreateView.as_view(), name="partnership-status"),
    path(
        "<int:pk>/sub-partnerships/new/", partnerships.SubPartnershipCreateView.as_view(), name="sub-partnership-create"
    ),
    path(
        "<int:pk>/trilateral-links/new/", partnerships.TrilateralLinkCreateView.as_view(), name="trilateral-link-create"
    ),
    path(
        "sub-partnerships/<int:pk>/edit/", partnerships.SubPartnershipUpdateView.as_view(), name="sub-partnership-edit"
    ),
    path(
        "sub-partnerships/<int:pk>/delete/",
        partnerships.SubPartnershipDeleteView.as_view(),
        name="sub-partnership-delete",
    ),
    path(
        "trilateral-links/<int:pk>/edit/", partnerships.TrilateralLinkUpdateView.as_view(), name="trilateral-link-edit"
    ),
    path(
        "trilateral-links/<int:pk>/delete/",
        partnerships.TrilateralLinkDeleteView.as_view(),
        name="trilateral-link-delete",
    ),
    path("<int:pk>/contacts/new/", partnerships.ContactCreateView.as_view(), name="contact-create"),
    path("contacts/<int:pk>/edit/", partnerships.ContactUpdateView.as_view(), name="contact-edit"),
    path("contacts/<int:pk>/delete/", partnerships.ContactDeleteView.as_view(), name="contact-delete"),
    path("contacts/<int:pk>/export/", rights.ContactExportView.as_view(), name="contact-export"),
    path("contacts/<int:pk>/anonymise/", rights.ContactAnonymiseView.as_view(), name="contact-anonymise"),
    path("documents/<int:pk>/delete/", partnerships.DocumentDeleteView.as_view(), name="document-delete"),
    path("<int:pk>/documents/new/", partnerships.DocumentCreateView.as_view(), name="document-create"),
    path("documents/<int:pk>/", partnerships.document_download, name="document-download"),
    path("cities/new/", partnerships.CityCreateView.as_view(), name="city-create"),
    path("cities/<int:pk>/", partnerships.CityDetailView.as_view(), name="city-detail"),
    path("cities/<int:pk>/edit/", partnerships.CityUpdateView.as_view(), name="city-edit"),
    path("clubs/", partnerships.ClubListView.as_view(), name="club-list"),
    path("clubs/new/", partnerships.ClubCreateView.as_view(), name="club-create"),
    path("clubs/<int:pk>/edit/", partnerships.ClubUpdateView.as_view(), name="club-edit"),
    path("club-associations/", associations.ClubAssociationListView.as_view(), name="club-association-list"),
    path("club-associations/new/", associations.ClubAssociationCreateView.as_view(), name="club-association-create"),
    path(
        "club-associations/<int:pk>/", associations.ClubAssociationDetailView.as_view(), name="club-association-detail"
    ),
    path(
        "club-associations/<int:pk>/edit/",
        associations.ClubAssociationUpdateView.as_view(),
        name="club-association-edit",
    ),
    path(
        "club-associations/<int:pk>/delete/",
        associations.ClubAssociationDeleteView.as_view(),
        name="club-association-delete",
    ),
    path("anniversaries/", anniversaries.AnniversaryListView.as_view(), name="anniversaries"),
    path("anniversaries/feed/", anniversaries.CalendarFeedSettingsView.as_view(), name="anniversary-feed-settings"),
    path("anniversaries/<str:token>.ics", anniversaries.anniversary_feed, name="anniversaries-ical"),
    path("import/", transfer.PartnershipImportView.as_view(), name="partnership-import"),
    path("export.<str:fmt>", transfer.PartnershipExportView.as_view(), name="partnership-export"),
    path("map/", map.PartnershipMapView.as_view(), name="map"),
    path("exchanges/", exchanges.ExchangeListView.as_view(), name="exchange-list"),
    path("exchanges/<int:pk>/", exchanges.ExchangeReviewView.as_view(), name="exchange-review"),
    path("clubs/<int:pk>/leaders/invite/", exchanges.LeaderInviteView.as_view(), name="leader-invite"),
    path("clubs/leaders/", rights.LeaderListView.as_view(), name="leader-list"),
    path("clubs/leaders/<int:pk>/export/", rights.LeaderExportView.as_view(), name="leader-export"),
    path("clubs/leaders/<int:pk>/anonymise/", rights.LeaderAnonymiseView.as_view(), name="leader-anonymise"),
]

portal_urlpatterns = [
    path("", portal.ClubPageView.as_view(), name="home"),
    path("clubs/<int:club>/", portal.ClubPageView.as_view(), name="club"),
    path("associations/<int:association>/", portal.AssociationPageView.as_view(), name="association"),
    path("clubs/<int:club>/exchanges/new/", portal.ExchangeCreateView.as_view(), name="exchange-create"),
    path("exchanges/<int:pk>/", portal.ExchangeDetailView.as_view(), name="exchange-detail"),
    path("exchanges/<int:pk>/edit/", portal.ExchangeUpdateView.as_view(), name="exchange-edit"),
    path("exchanges/<int:pk>/submit/", portal.ExchangeSubmitView.as_view(), name="exchange-submit"),
    path("exchanges/<int:pk>/delete/", portal.ExchangeDeleteView.as_view(), name="exchange-delete"),
    path("exchanges/<int:pk>/photos/new/", portal.ExchangePhotoCreateView.as_view(), name="photo-create"),
    path("photos/<int:pk>/", portal.exchange_photo, name="photo"),
    path("photos/<int:pk>/delete/", portal.ExchangePhotoDeleteView.as_view(), name="photo-delete"),
]
