"""API endpoints of the project itself (not of one app)."""

from csp.decorators import csp_update
from django.contrib.auth import authenticate
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.routers import APIRootView as BaseAPIRootView
from rest_framework.views import APIView

from oia.api.serializers import Serializer
from oia.roles import roles_of
from oia.second_factor import verify_for_token
from oia.tokens import TokenLimitReached, issue_token


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


class CredentialsSerializer(Serializer):
    """A user's username and password."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="The current code of the user's authenticator app (or a recovery code): "
        "required for users with two-factor sign-in, and for administrators.",
    )

    def validate(self, attrs):
        request = self.context["request"]
        # The request goes along, so a lockout (django-axes) sees this door too.
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(_("Unable to log in with provided credentials."), code="authorization")
        refusal = verify_for_token(request, user, attrs.get("otp", ""))
        if refusal:
            raise serializers.ValidationError({"otp": refusal}, code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(Serializer):
    """A new API token, and when it expires."""

    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`. Shown only this once.")
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class ObtainTokenView(APIView):
    """A new API token for a username and password. The token expires (see
    ``expiry``) and is stored only as a hash; the user sees and revokes their
    tokens on /accounts/tokens/. Nothing else is authenticated here, so a stale
    token in the header does not stand in the way of a new one."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=CredentialsSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        user = credentials.validated_data["user"]
        try:
            token, key = issue_token(user, request=request, via="api")
        except TokenLimitReached:
            return Response(
                {"detail": _("You hold the most API tokens allowed. Revoke one on your account's token page first.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        return Response(TokenSerializer({"token": key, "expiry": token.expiry}).data)
