"""Serializer pieces shared by the apps' APIs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class VersionedModelSerializer(serializers.ModelSerializer):
    """For models edited with optimistic locking: an update must send the
    ``version`` it read, and the service refuses a stale one, so no edit
    silently overwrites another."""

    version = serializers.IntegerField(
        required=False, help_text="Required when updating: the version you read. A stale version is refused."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("Send the version you read, so no edit is lost.")})
        return attrs
