"""The OpenAPI schema says every answer an operation can give, errors included.

drf-spectacular documents the success answer of each operation; this
AutoSchema adds the error answers our API really gives (see
``oia/api/exceptions.py``), with their bodies, so a client generated from the
schema, and schemathesis in CI, know what to expect.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, append_meta
from rest_framework import serializers

# DRF writes times as "10:00:00" and reads "10:00" too; OpenAPI's ``format: time``
# would demand a UTC offset, which the API neither sends nor needs.
TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "10:00:00",
}


def choices_component(name: str, choices) -> ResolvedComponent:
    """One named schema component for a set of ``choices`` (a Django
    ``TextChoices``) that several fields share, so drf-spectacular does not
    name it once per field name (which clashes and fails ``--fail-on-warn``)."""
    return ResolvedComponent(
        name=name,
        type=ResolvedComponent.SCHEMA,
        object=name,
        schema={
            "type": "string",
            "enum": choices.values,
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.choices),
        },
    )


ERROR_DETAIL = ResolvedComponent(
    name="ErrorDetail",
    type=ResolvedComponent.SCHEMA,
    object="ErrorDetail",
    schema={
        "type": "object",
        "description": "Why the request was refused, in the user's language.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": (
            "What is wrong with the request: each field name (or `non_field_errors`) with its messages, "
            "or a `detail` message for the request as a whole."
        ),
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "string"},
                {"type": "object"},
            ]
        },
        "example": {"end_on": ["The end date must not be before the start date."]},
    },
)


def decimal_schema(field: serializers.DecimalField) -> dict:
    """Amounts travel as strings ("1250.00"); the pattern says which strings
    the field accepts: at least one digit, no sign where amounts cannot be negative."""
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    whole = f"{{1,{field.max_whole_digits}}}" if field.max_whole_digits else "+"
    places = rf"(\.[0-9]{{1,{field.decimal_places}}})?" if field.decimal_places else ""
    return {"type": "string", "format": "decimal", "pattern": f"^{sign}[0-9]{whole}{places}$", "example": "1250.00"}


DESCRIPTIONS = {
    "400": "The request is invalid; the body says what is wrong, field by field.",
    "401": "No valid credentials were sent.",
    "403": "The signed-in user's role does not allow this.",
    "404": "No such record (or the user may not see it), or no such page of a list.",
    "409": "The record is referenced by other records or is in a state that does not allow this.",
    "414": "The query string is longer than the server accepts (about 4,000 characters).",
    "429": "Too many requests from this client or user (the API's request limits) or, signing in, too many "
    "failed sign-ins for this username from this address; Retry-After says for how long.",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds 400, 401, 403, 404, 409, 414 and 429 answers where the API can give them,
    and describes times as the API writes them."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            return append_meta(dict(TIME_SCHEMA), self._get_serializer_field_meta(field, direction))
        if isinstance(field, serializers.DecimalField) and getattr(field, "coerce_to_string", None) is not False:
            return append_meta(decimal_schema(field), self._get_serializer_field_meta(field, direction))
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def get_response_serializers(self):
        """The schema served to a club leader documents what a leader receives:
        an action whose GET lists other fields to club leaders names both
        serializers in ``list_serializers_by_role = {action: (office, leader)}``."""
        by_role = getattr(self.view, "list_serializers_by_role", {}).get(getattr(self.view, "action", None))
        if by_role is not None and self.method == "GET":
            office, leader = by_role
            return (leader if self.view.serves_club_leader() else office)(many=True)
        return super().get_response_serializers()

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        # An action declared (extend_schema) to answer with the viewset's
        # serializer answers a club leader with the leader's (get_serializer picks it).
        leader = getattr(self.view, "leader_serializer_class", None)
        if leader is not None and serializer is getattr(self.view, "serializer_class", None):
            if self.view.serves_club_leader():
                serializer = leader
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._error_response(code)
        return responses

    def _error_codes(self) -> list[str]:
        has_path_parameters = "{" in self.path
        is_list = self.method == "GET" and self._is_list_view()
        codes = []
        if self.method != "GET" or is_list or self._get_filter_parameters():
            codes.append("400")
        codes += ["401", "403"]
        if has_path_parameters or is_list:
            codes.append("404")
        if self.method == "DELETE" or (self.method == "POST" and has_path_parameters):
            codes.append("409")
        if self.method == "GET" and (is_list or self._get_filter_parameters()):
            codes.append("414")
        # Every request counts against the request limits (oia.api.throttling); a sign-in also against the lockout.
        codes.append("429")
        return codes

    def _error_response(self, code: str) -> dict:
        if code == "414":  # answered by the web server in front of Django, as a short HTML page
            return {"content": {"text/html": {"schema": {"type": "string"}}}, "description": DESCRIPTIONS[code]}
        component = VALIDATION_ERROR if code == "400" else ERROR_DETAIL
        self.registry.register_on_missing(component)
        return {"content": {"application/json": {"schema": component.ref}}, "description": DESCRIPTIONS[code]}
