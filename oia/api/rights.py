"""The API of a person's rights (administrators only): ``GET …/<id>/export/``
(everything held about them, GDPR Art. 15) and ``POST …/<id>/anonymise/``
with ``{"reason": …}`` (Art. 17). A viewset adds both with ``RightsActionsMixin``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import rights
from ..permissions import IsOfficeAdmin
from ..security import log_event
from .serializers import Serializer


class AnonymiseSerializer(Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why the person is anonymised (for example their request).")
    )


class ExportSubjectSerializer(Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()


class ExportSectionSerializer(Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    records = serializers.ListField(child=serializers.DictField())


class ExportSerializer(Serializer):
    subject = ExportSubjectSerializer()
    exported_at = serializers.CharField()
    sections = ExportSectionSerializer(many=True)
    history = serializers.ListField(child=serializers.DictField())


REFUSED = OpenApiResponse(description="No reason given, or already anonymised; the body says which.")


class RightsActionsMixin:
    """``export`` and ``anonymise`` on a viewset of people, for administrators."""

    rights_kind = ""
    rights_actions = ("export", "anonymise")

    def anonymise_subject(self, subject, *, by, reason):
        raise NotImplementedError

    def get_permissions(self):
        if self.action in self.rights_actions:
            return [IsOfficeAdmin()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "action", None) in self.rights_actions:
            return self.rights_queryset()
        return super().get_queryset()

    def rights_queryset(self):
        return super().get_queryset()

    @extend_schema(request=None, responses=ExportSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request, pk=None):
        """Everything held about this person, as the data export page shows it."""
        subject = self.get_object()
        log_event("personal_data_exported", request, kind=self.rights_kind, subject_id=subject.pk, format="api")
        return Response(rights.export(self.rights_kind, subject))

    @extend_schema(request=AnonymiseSerializer, responses={200: ExportSubjectSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def anonymise(self, request, pk=None):
        """Anonymise this person: names and contact data go, counts stay."""
        subject = self.get_object()
        payload = AnonymiseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        subject = self.anonymise_subject(subject, by=request.user, reason=payload.validated_data["reason"])
        return Response({"kind": self.rights_kind, "id": subject.pk, "name": str(subject)})
