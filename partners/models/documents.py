"""The documents of a partnership: signed agreements and MoUs, kept out of
MEDIA_URL and downloaded only through a view that checks the role."""

from pathlib import Path

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oia.text import fold
from oia.uploads import FileSignatureValidator, validate_upload_size

from ..choices import DocumentKind
from .partnerships import Partnership

DOCUMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]
# What a download is sent as, by extension (the upload checked that the content matches).
DOCUMENT_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def validate_document_size(file):
    """At most OIA_MAX_UPLOAD_MB (a setting, so no migration when it changes)."""
    validate_upload_size(file)


def document_path(instance, filename):
    suffix = Path(filename).suffix.lower()
    return (
        f"partnerships/{instance.partnership_id}/{timezone.now():%Y%m%d%H%M%S}-{fold(Path(filename).stem)[:60]}{suffix}"
    )


class Document(models.Model):
    """A signed agreement or MoU. Not served from MEDIA_URL: staff download it
    through a view that checks the role."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="documents", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.AGREEMENT)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        # The size limit is a setting (OIA_MAX_UPLOAD_MB); the content must match the extension.
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            FileSignatureValidator(DOCUMENT_EXTENSIONS),
            validate_document_size,
        ],
        help_text=_("PDF, PNG or JPEG."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    @property
    def file_name(self) -> str:
        """The stored file's name, as a download is called."""
        return Path(self.file.name).name

    @property
    def content_type(self) -> str:
        return DOCUMENT_CONTENT_TYPES.get(Path(self.file.name).suffix.lower().lstrip("."), "application/octet-stream")
