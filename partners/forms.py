"""Forms of the partners app. Single-record rules live in the models' clean();
these forms add only what is about input (a year or a full date), and the
forms of the spreadsheet import (upload, then column mapping)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oia.forms import Form, ModelForm, VersionedModelForm
from oia.roles import Role
from oia.text import control_character_validator

from .choices import ReviewStatus
from .filters import office_users
from .import_files import ALLOWED_EXTENSIONS, ImportFileError, read_upload
from .imports import TARGET_FIELDS, mapping_errors, parse_year_or_date
from .models import (
    City,
    Club,
    ClubAssociation,
    Contact,
    Document,
    Exchange,
    Partnership,
    StatusChange,
    SubPartnership,
    TrilateralLink,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YearOrDateField(forms.CharField):
    """Accepts "1991", "1991-05-12" or "12.05.1991"; cleans to (date, year_only)."""

    default_error_messages = {
        "invalid": _("Enter a year (e.g. 1991) or a full date (e.g. 1991-05-12 or 12.05.1991)."),
    }

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        try:
            return parse_year_or_date(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PartnershipForm(VersionedModelForm):
    formalised = YearOrDateField(
        label=_("Formalised"),
        max_length=10,
        help_text=_("The year alone is enough when the exact date of the agreement is not known."),
    )

    class Meta:
        model = Partnership
        fields = ["partner_city", "kind", "formalised", "ends_on", "areas", "responsible_officer", "notes"]
        widgets = {
            "ends_on": DateInput(),
            "areas": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_officer"].queryset = office_users()
        self.fields["partner_city"].queryset = City.objects.order_by("name", "country")
        if self.instance.pk:
            self.initial["formalised"] = self.instance.formalised_value
            self.initial["version"] = self.instance.version

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict") and "formalised_on" in errors.error_dict:
            errors.error_dict["formalised"] = errors.error_dict.pop("formalised_on")
        super()._update_errors(errors)

    def _post_clean(self):
        formalised = self.cleaned_data.get("formalised")
        if formalised:
            self.instance.formalised_on, self.instance.formalised_year_only = formalised
        elif "formalised" not in self._errors:
            self.add_error("formalised", _("This field is required."))
        super()._post_clean()

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        data = {
            name: self.cleaned_data[name]
            for name in ("partner_city", "kind", "ends_on", "responsible_officer", "notes")
        }
        data["formalised_on"] = self.instance.formalised_on
        data["formalised_year_only"] = self.instance.formalised_year_only
        return data


class StatusChangeForm(ModelForm):
    class Meta:
        model = StatusChange
        fields = ["status", "effective_on", "reason", "institutional_contacts_continue"]
        widgets = {"effective_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()


class PartnershipRecordForm(VersionedModelForm):
    """A record under a partnership's umbrella (a sub-partnership, a trilateral
    link): an edit sends back the version it was loaded with; adding one has none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        else:
            del self.fields["version"]

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class SubPartnershipForm(PartnershipRecordForm):
    class Meta:
        model = SubPartnership
        fields = ["kind", "local_institution", "partner_institution", "since", "active"]
        widgets = {"since": DateInput()}


class TrilateralLinkForm(PartnershipRecordForm):
    class Meta:
        model = TrilateralLink
        fields = ["linked_partnership", "third_city", "note"]

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = Partnership.objects.select_related("partner_city").order_by("partner_city__name")
        if partnership is not None:
            others = others.exclude(pk=partnership.pk)
        self.fields["linked_partnership"].queryset = others
        self.fields["third_city"].queryset = City.objects.order_by("name", "country")


class ContactForm(ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "organisation", "email", "phone", "language"]


class DocumentForm(ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file", "signed_on"]
        widgets = {"signed_on": DateInput(), "file": forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, PNG or JPEG, at most %(mb)s MB.") % {"mb": settings.OIA_MAX_UPLOAD_MB}


class CityForm(ModelForm):
    class Meta:
        model = City
        fields = ["name", "local_name", "country", "latitude", "longitude", "population"]


class OtherNamesField(forms.CharField):
    """A city's other names, one per line: blank lines and repeats dropped,
    each name on one line of at most 200 characters, at most 500 names."""

    widget = forms.Textarea(attrs={"rows": 6})
    max_names = 500
    max_name_length = 200

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        names = []
        text = (super().to_python(value) or "").replace("\r\n", "\n").replace("\r", "\n")
        for line in text.split("\n"):
            name = " ".join(part for part in line.split(" ") if part)
            if name and name not in names:
                names.append(name)
        return names

    def validate(self, value):
        if len(value) > self.max_names:
            raise forms.ValidationError(
                _("Give at most %(count)s other names.") % {"count": self.max_names}, code="max_names"
            )
        for name in value:
            if len(name) > self.max_name_length:
                raise forms.ValidationError(
                    _("Each name may have at most %(length)s characters: %(name)s")
                    % {"length": self.max_name_length, "name": name[:40] + "…"},
                    code="name_length",
                )

    def run_validators(self, value):
        """Each name is one line: a tab or an invisible character is refused."""
        super().run_validators("\n".join(value))
        for name in value:
            control_character_validator(max_length=self.max_name_length)(name)


class CityEditForm(VersionedModelForm):
    """The office's edit of a city: its names, coordinates and population;
    the GeoNames id comes with a place chosen from the gazetteer."""

    alternative_names = OtherNamesField(
        label=_("Other names"),
        required=False,
        help_text=_("One per line: exonyms (Krakau, Mailand) and other spellings. Search finds any of them."),
    )
    geonames_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = City
        fields = ["name", "local_name", "country", "latitude", "longitude", "population", "geonames_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version
        self.initial.setdefault("alternative_names", list(self.instance.alternative_names or []))

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for ``services.city_update``."""
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "alternative_names"]}


class ClubForm(ModelForm):
    class Meta:
        model = Club
        fields = [
            "name",
            "partnerships",
            "founded_on",
            "member_count",
            "contact_email",
            "contact_phone",
            "leaders",
            "association",
            "is_community_group",
        ]
        widgets = {
            "founded_on": DateInput(),
            "partnerships": forms.CheckboxSelectMultiple,
            "leaders": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = Partnership.objects.select_related("partner_city")
        self.fields["leaders"].queryset = club_leader_accounts()
        self.fields["association"].queryset = ClubAssociation.objects.order_by("name")


def club_leader_accounts():
    """The accounts that may lead a club or an umbrella association: those with the club leader role."""
    return get_user_model().objects.filter(groups__name=Role.CLUB_LEADER).order_by("last_name", "username")


class ClubAssociationForm(VersionedModelForm):
    """An umbrella association with its member clubs; a club already in
    another association is not offered (take it out there first)."""

    clubs = forms.ModelMultipleChoiceField(
        label=_("Member clubs"), queryset=Club.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ClubAssociation
        fields = ["name", "contact_email", "contact_phone", "postal_address", "leaders"]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3}), "leaders": forms.CheckboxSelectMultiple}
        help_texts = {
            "leaders": _(
                "Club leaders' accounts. They read the member clubs' exchanges in the portal; they change none."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = club_leader_accounts()
        free = Q(association__isnull=True)
        if self.instance.pk:
            free |= Q(association=self.instance)
            self.initial["clubs"] = list(self.instance.clubs.values_list("pk", flat=True))
            self.initial["version"] = self.instance.version
        self.fields["clubs"].queryset = Club.objects.filter(free).order_by("name")

    def model_fields(self) -> dict:
        """The cleaned values as keyword arguments for the services."""
        return {name: self.cleaned_data[name] for name in (*self.Meta.fields, "clubs")}


class ExchangeForm(VersionedModelForm):
    """Logging an exchange: the partnership is one of the club's."""

    class Meta:
        model = Exchange
        fields = [
            "partnership",
            "title",
            "kind",
            "direction",
            "starts_on",
            "ends_on",
            "participants_local",
            "participants_partner",
            "young_participants",
            "reciprocity",
            "partner_organisations",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "kind": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "partner_organisations": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.club = club
        self.fields["partnership"].queryset = club.partnerships.select_related("partner_city").order_by(
            "partner_city__name"
        )
        self.fields["partnership"].empty_label = None
        for name in ("participants_local", "participants_partner", "young_participants"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ExchangeReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewStatus.ACCEPTED, _("Accept: it counts in the report")),
            (ReviewStatus.RETURNED, _("Return to the club for changes")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the club"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the exchange: say what to change."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExchangePhotoForm(Form):
    """The file is checked by services.resized_jpeg (type by content, size, pixels)."""

    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _(
            "A JPEG or PNG image, at most %(mb)s MB and %(megapixels)s megapixels. It is made smaller when uploaded."
        ) % {"mb": settings.OIA_MAX_UPLOAD_MB, "megapixels": settings.OIA_PHOTO_MAX_PIXELS // 1_000_000}


class LeaderInviteForm(Form):
    """A club's new leader; whether the user name is free is ``oia.people``'s rule."""

    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), max_length=150, required=False, help_text=_("The set-password link is sent here.")
    )


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
