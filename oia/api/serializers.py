"""Serializer pieces shared by the apps' APIs: the base classes every
serializer of the API derives from."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import relations, serializers

from oia.bounds import INTEGER_MAX
from oia.text import control_character_validator

from .schema import TIME_SCHEMA

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME = re.compile(TIME_SCHEMA["pattern"])
AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def json_type_error(field, value) -> str | None:
    """Why ``value`` in a JSON body is not of the type the schema gives ``field``.

    DRF converts generously (``"12"`` for 12, ``"yes"`` for true, 12.5 for
    "12.50"). A JSON body must send what the schema says: a client that sends
    a number as text has a bug worth hearing about, and an amount sent as a
    JSON number may already have been rounded on its way (0.1 + 0.2)."""
    if value is None:
        return None  # the field itself says whether it may be empty
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Send true or false.")
    if isinstance(field, serializers.DecimalField):
        if isinstance(value, str) and AMOUNT.fullmatch(value):
            return None  # its own validators then say whether it is in range
        return _("Send the amount as text, for example “1250.00”.")
    if isinstance(field, serializers.IntegerField | relations.PrimaryKeyRelatedField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("Send a whole number.")
    if isinstance(field, serializers.DateField):
        return None if isinstance(value, str) and DATE.fullmatch(value) else _("Send a date as YYYY-MM-DD.")
    if isinstance(field, serializers.TimeField):
        return None if isinstance(value, str) and TIME.fullmatch(value) else _("Send a time as HH:MM or HH:MM:SS.")
    if isinstance(field, serializers.MultipleChoiceField):
        return None if isinstance(value, list) and all(isinstance(item, str) for item in value) else _("Send a list.")
    if isinstance(field, serializers.CharField | serializers.ChoiceField | relations.SlugRelatedField):
        return None if isinstance(value, str) else _("Send text.")
    if isinstance(field, relations.ManyRelatedField):
        if not isinstance(value, list):
            return _("Send a list.")
        return next(filter(None, (json_type_error(field.child_relation, item) for item in value)), None)
    return None


class RefusesWrongJSONTypes:
    """A JSON body sends each field in the type of the schema (see
    ``json_type_error``); form data, which is all text, is read as before."""

    def to_internal_value(self, data):
        if type(data) is dict:
            errors = {}
            for field in self._writable_fields:
                if field.field_name in data:
                    message = json_type_error(field, data[field.field_name])
                    if message:
                        errors[field.field_name] = [message]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


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


class Serializer(RefusesWrongJSONTypes, RefusesControlCharacters, serializers.Serializer):
    """The base of every plain serializer of the API."""


class ModelSerializer(RefusesWrongJSONTypes, RefusesControlCharacters, serializers.ModelSerializer):
    """The base of every model serializer of the API."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        """DRF drops ``allow_blank`` from a field made read-only; an empty
        e-mail address is still answered, so the schema must allow it."""
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


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


class VersionQuerySerializer(Serializer):
    """``?version=``: removing a versioned record names the version the client read."""

    version = serializers.IntegerField(
        min_value=1, max_value=INTEGER_MAX, help_text="The version you read. A stale version is refused."
    )


class HistoryChangeSerializer(Serializer):
    """One field of a record changed: ``old`` and ``new`` as shown (null: no value)."""

    field = serializers.CharField(help_text=_("The field's name."))
    label = serializers.CharField(help_text=_("The field's label, in the language asked for."))
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(Serializer):
    """One change of a record in the audit trail (``oia.audit.Entry``)."""

    id = serializers.CharField()
    when = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=["insert", "update", "delete"])
    action_label = serializers.CharField()
    model = serializers.CharField(help_text=_("The kind of record, as app_label.Model."))
    object_id = serializers.CharField()
    user_id = serializers.IntegerField(allow_null=True, help_text=_("Who made the change (null: nobody signed in)."))
    username = serializers.CharField(help_text=_("Their username, kept after the account is deleted."))
    where = serializers.CharField(help_text=_("Where the change came from: a request, a task or a command."))
    source = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text=_("path, method and address of a request; task and task_id of a task; command of a command."),
    )
    previous_known = serializers.BooleanField(
        help_text=_("False for the first change of a record older than the audit trail: its old values are unknown.")
    )
    changes = HistoryChangeSerializer(many=True)
