"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----

# ----- city ambassadors -----
# Office staff only (the default permission); the same FilterSets as the pages.
from django.core.exceptions import ValidationError  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from drf_spectacular.utils import OpenApiResponse, extend_schema  # noqa: E402
from rest_framework import status, viewsets  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from oia.api.mixins import FreshWriteMixin  # noqa: E402
from oia.api.serializers import VersionQuerySerializer  # noqa: E402

from .. import services  # noqa: E402
from ..filters import AmbassadorActivityFilter, AmbassadorFilter  # noqa: E402
from ..models import Ambassador, AmbassadorActivity  # noqa: E402
from .serializers import AmbassadorActivitySerializer, AmbassadorSerializer  # noqa: E402

AMBASSADOR_DELETED = OpenApiResponse(description="Removed.")


class AmbassadorViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """City ambassadors with the number of their activities. ``?serving=now``,
    ``?serving=former`` or ``?serving_on=YYYY-MM-DD``; an ambassadorship is
    ended by setting ``until``. It is not deleted: its history stays."""

    queryset = Ambassador.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AmbassadorSerializer
    filterset_class = AmbassadorFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["appointed_on", "until", "activity_count"]

    def get_queryset(self):
        return Ambassador.objects.for_list().order_by("person__name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.ambassador_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.ambassador_update(
            ambassador=serializer.instance, version=data.pop("version"), **data
        )


class AmbassadorActivityViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """The ambassadors' activities, newest first. A "delegation organised"
    names its delegation, which then counts as official (an inbound one is
    hosted as the city's official guest)."""

    queryset = AmbassadorActivity.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AmbassadorActivitySerializer
    filterset_class = AmbassadorActivityFilter
    ordering_fields = ["date"]

    def get_queryset(self):
        return AmbassadorActivity.objects.select_related("ambassador__person", "delegation").order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.activity_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if "ambassador" in data and data["ambassador"] != serializer.instance.ambassador:
            raise ValidationError({"ambassador": _("An activity stays with its ambassador.")})
        data.pop("ambassador", None)
        serializer.instance = services.activity_update(activity=serializer.instance, version=version, **data)

    @extend_schema(parameters=[VersionQuerySerializer], responses={204: AMBASSADOR_DELETED})
    def destroy(self, request, *args, **kwargs):
        activity = self.get_object()
        query = VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.activity_delete(activity=activity, version=query.validated_data["version"])
        return Response(status=status.HTTP_204_NO_CONTENT)
