"""API viewsets of the partners app, on the same FilterSets as the HTML lists."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from oia.api.mixins import FreshWriteMixin, LeaderSerializerMixin
from oia.api.pagination import PageOrCursorPagination
from oia.api.rights import RightsActionsMixin
from oia.api.serializers import VersionQuerySerializer
from oia.bounds import YEAR_MAX, YEAR_MIN
from oia.permissions import IsOfficeAdmin, IsOfficeOrClubLeader
from oia.roles import CLUB_LEADERS, OFFICE, has_role

from .. import services
from ..anniversaries import jubilees_between
from ..filters import (
    CityFilter,
    ClubAssociationFilter,
    ClubFilter,
    DocumentFilter,
    ExchangeFilter,
    PartnershipFilter,
    TrilateralLinkFilter,
)
from ..models import (
    City,
    Club,
    ClubAssociation,
    Contact,
    Document,
    Exchange,
    Partnership,
    StatusChange,
    SubPartnership,
    TrilateralLink,
)
from ..models.documents import DOCUMENT_CONTENT_TYPES
from ..selectors import (
    celebrated_partnerships,
    exchanges_readable_by,
    may_change_club_things,
    upcoming_jubilees,
    visible_to,
)
from ..views.anniversaries import DEFAULT_YEARS_SHOWN, MAX_YEARS_SHOWN, YearRangeForm
from .serializers import (
    AnniversaryRowSerializer,
    CitySerializer,
    ClubAssociationSerializer,
    ClubLeaderSerializer,
    ClubSerializer,
    ContactSerializer,
    DocumentSerializer,
    ExchangeReviewSerializer,
    ExchangeSerializer,
    LeaderClubAssociationSerializer,
    LeaderClubSerializer,
    LeaderExchangeSerializer,
    LeaderPartnershipSerializer,
    LeaderStatusChangeSerializer,
    PartnershipSerializer,
    StatusChangeCreateSerializer,
    StatusChangeSerializer,
    SubPartnershipSerializer,
    TrilateralLinkSerializer,
)


class OfficeWritesClubLeadersRead(permissions.BasePermission):
    """Office staff read and write; club leaders only read (their own clubs')."""

    def has_permission(self, request, view):
        if has_role(request.user, OFFICE):
            return True
        return request.method in permissions.SAFE_METHODS and has_role(request.user, CLUB_LEADERS)


def scoped_to_club_leader(request, queryset, leaders_lookup: str):
    """Club leaders see only rows of the clubs they lead; office staff see all
    (``visible_to``, made distinct where one row may hang under two clubs)."""
    club_lookup = leaders_lookup.removesuffix("leaders").removesuffix("__")
    scoped = visible_to(request.user, queryset, club_lookup)
    return scoped if has_role(request.user, OFFICE) else scoped.distinct()


class CityViewSet(viewsets.ModelViewSet):
    queryset = City.objects.order_by("name", "country")
    serializer_class = CitySerializer
    filterset_class = CityFilter

    def perform_create(self, serializer):
        """A city posted without coordinates is filled from the gazetteer."""
        try:
            serializer.instance = services.city_create(**serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error

    def perform_update(self, serializer):
        """Advances the city's version, so an edit page loaded before this
        change is refused rather than overwriting it."""
        city = serializer.save(version=F("version") + 1)
        city.refresh_from_db(fields=["version"])


class PartnershipViewSet(LeaderSerializerMixin, FreshWriteMixin, viewsets.ModelViewSet):
    queryset = Partnership.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = PartnershipSerializer
    leader_serializer_class = LeaderPartnershipSerializer
    # The status history's GET answers leaders without the office's reasons (documented per role).
    list_serializers_by_role = {"status_changes": (StatusChangeSerializer, LeaderStatusChangeSerializer)}
    filterset_class = PartnershipFilter
    permission_classes = [OfficeWritesClubLeadersRead]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Partnership.objects.for_list().prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("recorded_by"))
        )
        return scoped_to_club_leader(self.request, queryset, "clubs__leaders")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.partnership_create(
            recorded_by=self.request.user, areas=data.pop("areas", []), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.partnership_update(
            partnership=serializer.instance, version=data.pop("version"), areas=data.pop("areas", None), **data
        )

    @extend_schema(methods=["POST"], request=StatusChangeCreateSerializer, responses={201: StatusChangeSerializer})
    @action(
        detail=True, methods=["get", "post"], url_path="status-changes", filterset_class=None, pagination_class=None
    )
    def status_changes(self, request, pk=None):
        """The status history, newest first; POST records a change."""
        partnership = self.get_object()
        if request.method == "POST":
            payload = StatusChangeCreateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            change = services.partnership_change_status(
                partnership=partnership, recorded_by=request.user, **payload.validated_data
            )
            return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)
        office, leader = self.list_serializers_by_role["status_changes"]
        serializer_class = leader if self.serves_club_leader() else office
        return Response(serializer_class(partnership.status_history(), many=True).data)


# Sub-partnerships and trilateral links: written like the pages do
# (``services.sub_records``): an edit names the ``version`` it read in the body,
# a removal as ``?version=``, and a stale one is refused (400). A record stays
# under its partnership (the serializer refuses a move). Comments, not
# docstrings: drf-spectacular would take a base class's docstring for its
# subclasses' operations.
class PartnershipRecordViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    def perform_create(self, serializer):
        serializer.validated_data.pop("version", None)  # a new record starts at version 1
        serializer.save()

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("partnership", None)  # the same one, or the serializer refused it
        serializer.instance = services.partnership_record_update(
            record=serializer.instance, version=data.pop("version"), **data
        )

    @extend_schema(
        parameters=[VersionQuerySerializer],
        responses={204: OpenApiResponse(description="Removed.")},
    )
    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        query = VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.partnership_record_delete(record=record, version=query.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    update=extend_schema(summary="Replace a sub-partnership (send the version you read)"),
    partial_update=extend_schema(summary="Change a sub-partnership (send the version you read)"),
    destroy=extend_schema(summary="Remove a sub-partnership (send the version you read as ?version=)"),
)
class SubPartnershipViewSet(PartnershipRecordViewSet):
    """Sub-partnerships (schools, ports, churches …): office staff read, add,
    edit and delete them, as on the partnership page; one stays under its partnership."""

    queryset = SubPartnership.objects.order_by("partnership_id", "kind", "local_institution", "pk")
    serializer_class = SubPartnershipSerializer
    filterset_fields = ["partnership", "kind", "active"]


@extend_schema_view(
    update=extend_schema(summary="Replace a trilateral link (send the version you read)"),
    partial_update=extend_schema(summary="Change a trilateral link (send the version you read)"),
    destroy=extend_schema(summary="Remove a trilateral link (send the version you read as ?version=)"),
)
class TrilateralLinkViewSet(PartnershipRecordViewSet):
    """Trilateral links: two partners sharing a third (another partnership or a
    third city). ``?partnership=`` lists a partnership's links on either side,
    as its page does."""

    queryset = TrilateralLink.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = TrilateralLinkSerializer
    filterset_class = TrilateralLinkFilter

    def get_queryset(self):
        return TrilateralLink.objects.for_list().order_by("pk")


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Signed agreements and MoUs of the partnerships: office staff only, as
    on the page. Uploaded as multipart form data with the upload form's checks
    (PDF, PNG or JPEG whose content matches its name, at most
    ``OIA_MAX_UPLOAD_MB``); the file is read through ``download``."""

    queryset = Document.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        return Document.objects.select_related("uploaded_by").order_by("-uploaded_at", "-pk")

    @extend_schema(request={"multipart/form-data": DocumentSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save(uploaded_by=self.request.user)

    def perform_destroy(self, instance):
        services.document_delete(document=instance)

    def perform_content_negotiation(self, request, force=False):
        """A download may be asked for as ``Accept: application/pdf``: the
        file is sent as it is, and a refusal falls back to JSON, not 406."""
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in sorted(set(DOCUMENT_CONTENT_TYPES.values()))
        }
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        """The file, as an attachment (the same check as the page's download: office staff only)."""
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise NotFound(_("The file of this document is missing.")) from error
        return FileResponse(handle, as_attachment=True, filename=document.file_name, content_type=document.content_type)


# The next jubilees: how many by default, and at most.
NEXT_DEFAULT = 5
NEXT_MAX = 100


def form_errors(form) -> dict:
    """A page form's errors as the API's 400 body."""
    key = api_settings.NON_FIELD_ERRORS_KEY
    return {key if name == NON_FIELD_ERRORS else name: list(errors) for name, errors in form.errors.items()}


def whole_number_parameter(name: str, minimum: int, maximum: int, description: str) -> OpenApiParameter:
    """A query parameter documented with its bounds, so clients and schemathesis know them."""
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return OpenApiParameter(name, schema, OpenApiParameter.QUERY, description=description)


def single_query_value(request, name: str, default):
    """A query parameter given at most once (the API's rule for one-value filters)."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [_("Give one value.")]})
    return values[0] if values else default


class AnniversaryViewSet(viewsets.GenericViewSet):
    """Jubilees of the partnerships that have not ended, by date: the list of
    the anniversaries page (``from``/``to``, at most 50 years) and the next
    ``count`` from today (``next/``), as the dashboard shows them."""

    serializer_class = AnniversaryRowSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            whole_number_parameter("from", YEAR_MIN, YEAR_MAX, "The first year (default: this year)."),
            whole_number_parameter(
                "to",
                YEAR_MIN,
                YEAR_MAX,
                f"The last year (default: {DEFAULT_YEARS_SHOWN - 1} years after the first); "
                f"at most {MAX_YEARS_SHOWN} years in all.",
            ),
        ]
    )
    def list(self, request):
        this_year = timezone.localdate().year
        form = YearRangeForm(
            {
                "from": single_query_value(request, "from", this_year),
                "to": single_query_value(request, "to", this_year + DEFAULT_YEARS_SHOWN - 1),
            }
        )
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        rows = jubilees_between(celebrated_partnerships(), form.cleaned_data["from"], form.cleaned_data["to"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=[
            whole_number_parameter("count", 1, NEXT_MAX, f"How many (default {NEXT_DEFAULT})."),
        ],
        responses=AnniversaryRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def next(self, request):
        """The next ``count`` jubilees from today (a year-only one counts all
        its year), within the next 50 years."""
        try:
            count = forms.IntegerField(min_value=1, max_value=NEXT_MAX).clean(
                single_query_value(request, "count", NEXT_DEFAULT)
            )
        except DjangoValidationError as error:
            raise ValidationError({"count": error.messages}) from error
        rows = upcoming_jubilees(timezone.localdate(), count, years_ahead=MAX_YEARS_SHOWN - 1)
        return Response(self.get_serializer(rows, many=True).data)


class ContactViewSet(RightsActionsMixin, viewsets.ModelViewSet):
    """Personal data of counterparts: office staff only. Administrators
    export a contact's data and anonymise them."""

    queryset = Contact.objects.order_by("name")
    serializer_class = ContactSerializer
    filterset_fields = ["partnership"]
    rights_kind = "contact"

    def anonymise_subject(self, subject, *, by, reason):
        return services.anonymise_contact(subject, by=by, reason=reason)


class ClubLeaderViewSet(RightsActionsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Club leaders' accounts (former ones too), for administrators: the list,
    and each account's data export and its deactivation and anonymisation."""

    queryset = get_user_model().objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClubLeaderSerializer
    permission_classes = [IsOfficeAdmin]
    filter_backends = []
    rights_kind = "user"

    def get_queryset(self):
        if self.action in self.rights_actions:
            return services.club_leaders()
        return (
            services.club_leaders()
            .select_related("anonymisation")
            .prefetch_related("clubs_led")
            .order_by("username", "pk")
        )

    def anonymise_subject(self, subject, *, by, reason):
        return services.anonymise_club_leader(subject, by=by, reason=reason)


class ClubViewSet(
    LeaderSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Club.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClubSerializer
    leader_serializer_class = LeaderClubSerializer
    permission_classes = [OfficeWritesClubLeadersRead]
    filterset_class = ClubFilter

    def get_queryset(self):
        queryset = Club.objects.prefetch_related("partnerships", "leaders").order_by("name")
        return scoped_to_club_leader(self.request, queryset, "leaders")


class ClubAssociationViewSet(LeaderSerializerMixin, FreshWriteMixin, viewsets.ModelViewSet):
    """Umbrella associations of the clubs. Office staff read and write; an
    association's leaders read their own (another answers 404)."""

    queryset = ClubAssociation.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ClubAssociationSerializer
    leader_serializer_class = LeaderClubAssociationSerializer
    filterset_class = ClubAssociationFilter
    permission_classes = [OfficeWritesClubLeadersRead]

    def get_queryset(self):
        queryset = ClubAssociation.objects.for_list().order_by("name")
        if has_role(self.request.user, OFFICE):
            return queryset
        if has_role(self.request.user, CLUB_LEADERS):
            return queryset.led_by(self.request.user)
        return queryset.none()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.club_association_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.club_association_update(
            association=serializer.instance, version=data.pop("version"), **data
        )


class ExchangeViewSet(
    LeaderSerializerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Clubs' exchanges. Leaders see, create and edit only their own clubs'
    (another club's answers 404), submit them and delete drafts, as in their
    portal; only the office reviews. An umbrella association's leaders also
    read what its member clubs sent to the office, and are refused (403) when
    they try to change it."""

    queryset = Exchange.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ExchangeSerializer
    leader_serializer_class = LeaderExchangeSerializer
    filterset_class = ExchangeFilter
    permission_classes = [IsOfficeOrClubLeader]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {
        None: ("-starts_on", "-pk"),
        "-starts_on": ("-starts_on", "-pk"),
        "starts_on": ("starts_on", "pk"),
    }

    def get_queryset(self):
        return exchanges_readable_by(self.request.user, Exchange.objects.for_list().order_by("-starts_on", "-pk"))

    def get_object(self):
        exchange = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS and not may_change_club_things(
            self.request.user, exchange.club_id
        ):
            raise PermissionDenied(
                _("Only the club's own leaders change its exchanges; its umbrella association reads them.")
            )
        return exchange

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.exchange_create(club=data.pop("club"), created_by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("club", None)
        serializer.instance = services.exchange_update(
            exchange=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )

    def destroy(self, request, *args, **kwargs):
        """Delete a draft logged by mistake: the club's leaders only, as in
        their portal. Once sent to the office an exchange stays (400)."""
        if not self.serves_club_leader():
            raise PermissionDenied(_("Only the club's leaders delete its draft exchanges."))
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.exchange_delete(exchange=instance, by=self.request.user)

    @extend_schema(request=None)  # answers in the viewset's serializer for the role, as documented
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        """Send a draft or returned exchange to the office for review."""
        exchange = services.exchange_submit(exchange=self.get_object(), by=request.user)
        return Response(self.get_serializer(exchange).data)

    @extend_schema(request=ExchangeReviewSerializer, responses=ExchangeSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request, pk=None):
        """The office's review: ``accepted``, or ``returned`` with a comment."""
        if not has_role(request.user, OFFICE):
            raise PermissionDenied(_("Only the office reviews exchanges."))
        payload = ExchangeReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        exchange = services.exchange_review(exchange=self.get_object(), by=request.user, **payload.validated_data)
        return Response(ExchangeSerializer(exchange, context={"request": request}).data)
