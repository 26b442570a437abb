"""Serializer pieces shared by the apps' APIs: the base classes every
serializer of the API derives from."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from oia.text import control_character_validator


class RefusesControlCharacters:
    """Every writable text field refuses control characters, declared fields
    (a reason, a comment) as well as those built from the model. Text shown as
    a text area (a model's TextField) or without a length limit may hold line
    breaks and tabs; text with a limit is a single line: the rule of the forms
    (oia.forms), so the API and the pages accept the same text."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField) and not field.read_only:
                field.validators.append(
                    control_character_validator(
                        max_length=field.max_length, text_area=field.style.get("base_template") == "textarea.html"
                    )
                )
        return fields


class Serializer(RefusesControlCharacters, serializers.Serializer):
    """The base of every plain serializer of the API."""


class ModelSerializer(RefusesControlCharacters, serializers.ModelSerializer):
    """The base of every model serializer of the API."""


class VersionedModelSerializer(ModelSerializer):
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
