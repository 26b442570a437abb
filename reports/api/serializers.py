"""Serializers of the reports API: a report is a generation request with the
version it produced (status, progress, and the figures on the detail)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from oia.api.serializers import ModelSerializer, Serializer

from ..models import ReportRequest, ReportVersion


class VersionSerializer(ModelSerializer):
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "number",
            "status",
            "public",
            "checksum",
            "data_cut_off",
            "created_at",
            "published_at",
            "pdf_url",
            "xlsx_url",
        ]

    def get_pdf_url(self, obj) -> str:
        return reverse("api:report-download", args=[obj.request_id, "pdf"])

    def get_xlsx_url(self, obj) -> str:
        return reverse("api:report-download", args=[obj.request_id, "xlsx"])


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Generate the 2025 report",
            request_only=True,
            value={
                "year": 2025,
                "idempotency_key": "report-2025-first",
            },
        )
    ]
)
class ReportSerializer(ModelSerializer):
    version = VersionSerializer(read_only=True, allow_null=True)
    idempotency_key = serializers.CharField(required=False, max_length=100, write_only=True)

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "year",
            "status",
            "step",
            "failure_reason",
            "created_at",
            "updated_at",
            "version",
            "idempotency_key",
        ]
        read_only_fields = ["status", "step", "failure_reason", "created_at", "updated_at"]


class ReportDetailSerializer(ReportSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "figures"]

    def get_figures(self, obj) -> dict | None:
        version = getattr(obj, "version", None)
        return version.figures if version else None


class ReportPublishSerializer(Serializer):
    public = serializers.BooleanField(
        required=False, help_text="Also make the published report readable by anyone with its public address."
    )
