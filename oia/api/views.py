"""API endpoints of the project itself (not of one app)."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.routers import APIRootView as BaseAPIRootView
from rest_framework.views import APIView

from oia.api.serializers import Serializer
from oia.roles import roles_of


class APIRootView(BaseAPIRootView):
    """Lists the API's endpoints to any signed-in user; each endpoint checks its own role."""

    permission_classes = [permissions.IsAuthenticated]


# Swagger UI draws its icons from data: URLs; only the docs page allows those (an image cannot run script).
SWAGGER_IMAGES = {"img-src": ["data:"]}


@method_decorator([csp_update(SWAGGER_IMAGES), csp_update(SWAGGER_IMAGES, REPORT_ONLY=True)], name="dispatch")
class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the Content-Security-Policy: its start script is served
    as a file (``?script``), and its page has no inline style."""

    template_name = "api/swagger_ui.html"


class MeSerializer(Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user and their roles, so a client can adapt its UI."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "roles": sorted(roles_of(user)),
        }
        return Response(MeSerializer(data).data)
