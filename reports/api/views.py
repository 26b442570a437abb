"""The reports API. Office staff list, read and generate (admins only);
admins publish; council members read only published reports."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from oia.permissions import IsReportReader
from oia.roles import ADMINS, has_role

from .. import selectors, services
from ..filters import ReportFilter
from ..models import ReportRequest
from ..views import CONTENT_TYPES
from .serializers import ReportDetailSerializer, ReportPublishSerializer, ReportSerializer


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """``POST`` with ``year`` (and optionally an ``idempotency_key``) generates
    the report on the worker; poll the detail for ``status`` and ``step``."""

    queryset = ReportRequest.objects.none()
    permission_classes = [IsReportReader]
    filterset_class = ReportFilter
    ordering_fields = ["year", "created_at"]

    def get_queryset(self):
        return selectors.requests_for(self.request.user, with_figures=self.action == "retrieve")

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    @extend_schema(
        responses={
            201: OpenApiResponse(ReportSerializer, description="A new request, queued for the worker."),
            200: OpenApiResponse(ReportSerializer, description="The request already made with this idempotency key."),
        }
    )
    def create(self, request, *args, **kwargs):
        if not has_role(request.user, ADMINS):
            raise PermissionDenied()
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report_request, created = services.report_request_create(
            year=serializer.validated_data["year"],
            by=request.user,
            idempotency_key=serializer.validated_data.get("idempotency_key"),
        )
        return Response(
            ReportSerializer(report_request).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=ReportPublishSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        if not has_role(request.user, ADMINS):
            raise PermissionDenied()
        payload = ReportPublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report_request = self.get_object()
        version = getattr(report_request, "version", None)
        if version is None:
            return Response({"detail": _("This report has no version yet.")}, status=status.HTTP_409_CONFLICT)
        services.report_publish(version=version, by=request.user)
        if "public" in payload.validated_data:
            services.report_set_public(version=version, public=payload.validated_data["public"], by=request.user)
        return Response(ReportSerializer(self.get_queryset().get(pk=report_request.pk)).data)

    def perform_content_negotiation(self, request, force=False):
        """A download may be asked for as ``Accept: application/pdf``: the file
        is sent as it is, and a refusal falls back to JSON instead of a 406."""
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=sorted(CONTENT_TYPES))],
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()},
    )
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>pdf|xlsx)", url_name="download")
    def download(self, request, pk=None, fmt="pdf"):
        report_request = self.get_object()
        version = getattr(report_request, "version", None)
        if version is None:
            return Response({"detail": _("This report has no version yet.")}, status=status.HTTP_404_NOT_FOUND)
        version = selectors.version_with_files(version.pk)
        response = HttpResponse(selectors.version_file(version, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{version.filename(fmt)}"'
        return response
