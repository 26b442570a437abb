"""Forms of the partnership import: the upload, and the column mapping."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from oia.forms import Form

from .imports import ALLOWED_EXTENSIONS, TARGET_FIELDS, ImportFileError, mapping_errors, read_upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportUploadForm(Form):
    """Checks type and size first, then reads the file; ``cleaned_data["table"]``
    holds what was read."""

    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("A CSV file (UTF-8, separated by commas or semicolons) or an Excel .xlsx file, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(_("This is not a .csv or .xlsx file. Upload a CSV or Excel (.xlsx) file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."))
        try:
            self.cleaned_data["table"] = read_upload(upload)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ImportMappingForm(Form):
    """One select per target field; the choices are the file's columns."""

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("— not in the file —"))] + [
            (str(index), name or _("Column %(number)s") % {"number": index + 1}) for index, name in enumerate(headers)
        ]
        for name, label, required in TARGET_FIELDS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=columns,
                required=required,
                coerce=int,
                empty_value=None,
                error_messages={"required": _("Choose the column that holds this field.")},
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for error in mapping_errors(self.mapping()):
                self.add_error(None, error)
        return cleaned

    def mapping(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name, _label, _required in TARGET_FIELDS}
