"""The signed-in user's own notifications, as on /notifications/: the list
(``?read=false`` for the unread), one of them, marking one read and marking
all read. Every role has them. Each query starts from the user's own
notifications, so another user's answers 404, whoever asks."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oia.filters import NotificationFilter
from oia.models import Notification
from oia.notifications import mark_read

from .pagination import PageOrCursorPagination
from .serializers import ModelSerializer, Serializer


class NotificationSerializer(ModelSerializer):
    """A message to the user; how it was e-mailed is the administrators' business."""

    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "text", "url", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkedSerializer(Serializer):
    marked = serializers.IntegerField(help_text="How many unread notifications were marked read.")


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, newest first. Listing them does not
    mark them read; ``read`` marks one, ``read-all`` all of them."""

    queryset = Notification.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    permission_classes = [permissions.IsAuthenticated]
    ordering_fields = ["created_at"]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {
        None: ("-created_at", "-pk"),
        "-created_at": ("-created_at", "-pk"),
        "created_at": ("created_at", "pk"),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a user
            return Notification.objects.none()
        return self.request.user.notifications.order_by("-created_at", "-pk")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        """Mark this notification read (one read already keeps its time)."""
        notification = self.get_object()
        mark_read(self.get_queryset().filter(pk=notification.pk))
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def read_all(self, request):
        """Mark all of the user's unread notifications read, as the page's button does."""
        return Response(MarkedSerializer({"marked": mark_read(self.get_queryset())}).data)
