"""API endpoints of the project itself (not of one app)."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.routers import APIRootView as BaseAPIRootView
from rest_framework.views import APIView

from oia.api.serializers import Serializer
from oia.roles import roles_of


class APIRootView(BaseAPIRootView):
    """Lists the API's endpoints to any signed-in user; each endpoint checks its own role."""

    permission_classes = [permissions.IsAuthenticated]


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
