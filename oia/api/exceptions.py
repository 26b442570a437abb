"""Every API error is JSON: ``{"detail": ...}`` or ``{"field": ["message"]}``.

Model ``clean()`` and services raise Django's ``ValidationError``; it is turned
into a 400 with the same field messages the HTML forms show.
"""

import math

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, RequestDataTooBig):
        # Django's multipart parser refused form data over DATA_UPLOAD_MAX_MEMORY_SIZE.
        return Response(
            {"detail": _("The request is too large. Send less data or a smaller file.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return Response(
            {"detail": _("The request holds too many fields or files. Send fewer.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, exceptions.Throttled):
        # Past OIA_THROTTLE_ANON or OIA_THROTTLE_USER (oia.api.throttling).
        seconds = max(1, math.ceil(exc.wait or 1))
        detail = ngettext(
            "Too many requests. Try again in %(seconds)s second.",
            "Too many requests. Try again in %(seconds)s seconds.",
            seconds,
        ) % {"seconds": seconds}
        return Response(
            {"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(seconds)}
        )
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("This record is still referenced by other records and cannot be deleted.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
