"""What an upload may be: its size (``OIA_MAX_UPLOAD_MB``), and content that
matches its extension, judged by the first bytes, not by the name or the
Content-Type the browser sends. Also the limit on a whole request's body,
checked from its Content-Length before anything reads it.

The reverse proxy (deploy/nginx.conf) enforces the same body limit in front.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# The first bytes every file of a type starts with.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
# The form fields around a file (title, date, CSRF token …) may add this much to a request's body.
FORM_OVERHEAD_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file any form accepts."""
    return settings.OIA_MAX_UPLOAD_MB * 1024 * 1024


def max_request_bytes() -> int:
    """The largest request body the app reads: the largest file and its form."""
    return max_upload_bytes() + FORM_OVERHEAD_BYTES


def validate_upload_size(file) -> None:
    if file.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": settings.OIA_MAX_UPLOAD_MB}, code="file_too_large"
        )


def leading_bytes(file, count: int = 16) -> bytes:
    """The first ``count`` bytes of an uploaded or stored file, leaving it
    where it was for whoever reads it next."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        return file.read(count)
    finally:
        file.seek(position)


@deconstructible
class FileSignatureValidator:
    """The content must be what the extension says: an HTML or SVG file named
    ``.pdf`` would otherwise be stored and later opened as a PDF. A model field
    validator, so forms, the admin and the API all refuse it the same way."""

    def __init__(self, extensions):
        self.extensions = [extension.lower() for extension in extensions]

    def __call__(self, file):
        extension = Path(file.name or "").suffix.lower().lstrip(".")
        if extension not in self.extensions:
            return  # FileExtensionValidator says which extensions are allowed
        try:
            head = leading_bytes(file)
        except (OSError, ValueError):
            head = b""
        if not head.startswith(SIGNATURES[extension]):
            message = _(
                "This file is not a real %(type)s file: its content does not match its name. Upload the original file."
            )
            raise ValidationError(message % {"type": extension.upper().replace("JPG", "JPEG")}, code="content_mismatch")

    def __eq__(self, other):
        return isinstance(other, FileSignatureValidator) and self.extensions == other.extensions


class RequestBodyLimitMiddleware:
    """Answers 413 to a request whose declared body exceeds what any form
    accepts, before anything reads it. Django limits form fields
    (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files, nor the JSON bodies the API
    reads from the stream."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            return too_large(request)
        return self.get_response(request)


def too_large(request):
    message = _("The request is too large: files may be at most %(mb)s MB.") % {"mb": settings.OIA_MAX_UPLOAD_MB}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)
