"""API representations of partner cities. Writes go through partners.services,
so the API refuses exactly what the forms refuse."""

import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from oia.api.serializers import ModelSerializer, Serializer, VersionedModelSerializer
from oia.text import control_character_validator

from ..anniversaries import next_anniversary
from ..choices import ReviewStatus, Status
from ..models import (
    AreaOfCooperation,
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
from ..selectors import visible_to
from ..services import EXCHANGE_FIELDS


class CitySerializer(ModelSerializer):
    country = CountryField()
    geonames_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1, allow_null=True, required=False)
    alternative_names = serializers.ListField(
        child=serializers.CharField(
            max_length=200, allow_blank=False, validators=[control_character_validator(max_length=200)]
        ),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "Exonyms and other spellings, from the gazetteer or typed in; search finds any of them."
        ),
    )

    def validate_alternative_names(self, value):
        """Each name once, in the order given."""
        return list(dict.fromkeys(value))

    class Meta:
        model = City
        fields = [
            "id",
            "name",
            "local_name",
            "country",
            "region",
            "latitude",
            "longitude",
            "population",
            "geonames_id",
            "alternative_names",
        ]
        read_only_fields = ["region"]


class StatusChangeSerializer(ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "status",
            "effective_on",
            "reason",
            "institutional_contacts_continue",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]


class AnniversarySerializer(Serializer):
    years = serializers.IntegerField()
    date = serializers.DateField()
    year_only = serializers.BooleanField()


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A twinning formalised in 1960",
            request_only=True,
            value={
                "partner_city_id": 1,
                "kind": "twinning",
                "formalised_on": "1960-10-15",
                "formalised_year_only": False,
                "notes": "Signed in the town hall.",
            },
        )
    ]
)
class PartnershipSerializer(VersionedModelSerializer):
    partner_city = CitySerializer(read_only=True)
    partner_city_id = serializers.PrimaryKeyRelatedField(
        source="partner_city", queryset=City.objects.all(), write_only=True
    )
    areas = serializers.SlugRelatedField(
        slug_field="name", many=True, queryset=AreaOfCooperation.objects.all(), required=False
    )
    responsible_officer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    # A nested field, built once for the whole list (a serializer made per row would introspect the model per row).
    current_status = StatusChangeSerializer(source="current_status_change", read_only=True, allow_null=True)
    next_anniversary = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "partner_city",
            "partner_city_id",
            "kind",
            "formalised_on",
            "formalised_year_only",
            "ends_on",
            "areas",
            "responsible_officer",
            "notes",
            "current_status",
            "next_anniversary",
            "version",
        ]

    @extend_schema_field(AnniversarySerializer(allow_null=True))
    def get_next_anniversary(self, partnership) -> dict | None:
        anniversary = next_anniversary(partnership)
        return AnniversarySerializer(anniversary).data if anniversary else None


class StatusChangeCreateSerializer(Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    effective_on = serializers.DateField()
    reason = serializers.CharField()
    institutional_contacts_continue = serializers.BooleanField(default=True)


def refuse_move(serializer, attrs) -> None:
    """A record under a partnership's umbrella stays there, as on its page
    (whose edit form has no partnership): an update naming another one is refused."""
    instance = serializer.instance
    if instance is not None and "partnership" in attrs and attrs["partnership"].pk != instance.partnership_id:
        raise serializers.ValidationError(
            {"partnership": _("This record stays with its partnership. Record a new one under the other partnership.")}
        )


def full_clean(instance) -> None:
    """The model's own checks (``clean()`` and its constraints), as a 400 with the fields' messages."""
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        key = api_settings.NON_FIELD_ERRORS_KEY
        raise serializers.ValidationError(
            {key if name == NON_FIELD_ERRORS else name: messages for name, messages in errors.items()}
        ) from error


class SubPartnershipSerializer(VersionedModelSerializer):
    class Meta:
        model = SubPartnership
        fields = [
            "id",
            "partnership",
            "kind",
            "local_institution",
            "partner_institution",
            "since",
            "active",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refuse_move(self, attrs)
        return attrs


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Two partners sharing a third (Köln–Bethlehem–Tel Aviv)",
            request_only=True,
            value={"partnership": 1, "linked_partnership": 2, "note": "Youth orchestra of the three cities."},
        )
    ]
)
class TrilateralLinkSerializer(VersionedModelSerializer):
    """A partnership linked with another partnership or with a third city (one
    of the two). It is listed under both partnerships it joins."""

    partnership_city = serializers.CharField(source="partnership.partner_city.name", read_only=True)
    linked_partnership_city = serializers.CharField(
        source="linked_partnership.partner_city.name", read_only=True, allow_null=True
    )
    third_city_name = serializers.CharField(source="third_city.name", read_only=True, allow_null=True)

    class Meta:
        model = TrilateralLink
        fields = [
            "id",
            "partnership",
            "partnership_city",
            "linked_partnership",
            "linked_partnership_city",
            "third_city",
            "third_city_name",
            "note",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refuse_move(self, attrs)
        link = copy.copy(self.instance) if self.instance is not None else TrilateralLink()
        for name, value in attrs.items():
            if name != "version":  # the service checks the version, on the locked row
                setattr(link, name, value)
        full_clean(link)  # one target, not both, and not the partnership itself
        return attrs


class DocumentSerializer(ModelSerializer):
    """A document's facts. The file is sent once, on upload (multipart form
    data), and read back through ``download``, never from a public address."""

    file = serializers.FileField(
        write_only=True,
        max_length=Document._meta.get_field("file").max_length,
        help_text="A PDF, PNG or JPEG file (.pdf, .png, .jpg, .jpeg) whose content matches its name, "
        "within the upload limit; its name at most 100 characters.",
    )
    file_name = serializers.SerializerMethodField()
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who uploaded it (null: account deleted)."
    )
    download = serializers.HyperlinkedIdentityField(view_name="api:document-download")

    class Meta:
        model = Document
        fields = [
            "id",
            "partnership",
            "kind",
            "title",
            "signed_on",
            "file",
            "file_name",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]

    def validate_file(self, upload):
        """The upload form's checks, from the model field: extension, content matching it, size."""
        Document._meta.get_field("file").run_validators(upload)
        return upload

    def get_file_name(self, document) -> str:
        return document.file_name


class AnniversaryRowSerializer(Serializer):
    """One jubilee of a partnership (the same rows as the anniversaries page)."""

    partnership = serializers.IntegerField(source="partnership.pk")
    partner_city = serializers.CharField(source="partnership.partner_city.name")
    country = serializers.CharField(source="partnership.partner_city.country.code")
    years = serializers.IntegerField()
    date = serializers.DateField()
    year_only = serializers.BooleanField(help_text="Only the year of the agreement is known: the date is 1 January.")


class ContactSerializer(ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "partnership", "name", "role", "organisation", "email", "phone", "language"]


class ClubLeaderSerializer(ModelSerializer):
    """A club leader's account as administrators see it in the list of accounts."""

    full_name = serializers.CharField(source="get_full_name", read_only=True)
    clubs = serializers.SlugRelatedField(source="clubs_led", slug_field="name", many=True, read_only=True)
    anonymised = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name", "email", "is_active", "clubs", "anonymised"]
        read_only_fields = fields

    def get_anonymised(self, user) -> bool:
        return hasattr(user, "anonymisation")


# Whether a club belongs to an umbrella association: ``association`` is not null.
IN_UMBRELLA_ALLIANCE = {"read_only": True, "help_text": "Whether the club belongs to an umbrella association."}


class ClubSerializer(ModelSerializer):
    leaders = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    in_umbrella_alliance = serializers.BooleanField(**IN_UMBRELLA_ALLIANCE)

    class Meta:
        model = Club
        fields = [
            "id",
            "name",
            "partnerships",
            "founded_on",
            "member_count",
            "contact_email",
            "contact_phone",
            "leaders",
            "association",
            "in_umbrella_alliance",
            "is_community_group",
        ]


class ClubAssociationSerializer(VersionedModelSerializer):
    """An umbrella association and its member clubs (``clubs``: writing the
    list makes those clubs its members; a club of another association is refused)."""

    clubs = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Club.objects.all(),
        required=False,
        help_text="The member clubs' ids. A club belongs to at most one umbrella association.",
    )
    leaders = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = ClubAssociation
        fields = ["id", "name", "contact_email", "contact_phone", "postal_address", "clubs", "leaders", "version"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A school exchange logged by a club",
            request_only=True,
            value={
                "club": 1,
                "partnership": 1,
                "kind": "school",
                "direction": "outgoing",
                "starts_on": "2026-05-04",
                "ends_on": "2026-05-11",
                "title": "Pupils of the Goethe-Gymnasium abroad",
                "participants_local": 24,
                "participants_partner": 0,
                "young_participants": 22,
                "reciprocity": False,
            },
        )
    ]
)
class ExchangeSerializer(VersionedModelSerializer):
    """Leaders write the facts; the review state changes only through the
    ``submit`` and ``review`` actions, never by writing the field."""

    club = serializers.PrimaryKeyRelatedField(queryset=Club.objects.all())

    class Meta:
        model = Exchange
        fields = [
            "id",
            "club",
            *EXCHANGE_FIELDS,
            "review_status",
            "review_comment",
            "version",
        ]
        read_only_fields = ["review_status", "review_comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # A leader may only name clubs they lead: another club is "does not exist".
            self.fields["club"].queryset = visible_to(request.user, Club.objects.all(), club_lookup="")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "club" in attrs and attrs["club"] != self.instance.club:
            raise serializers.ValidationError({"club": _("An exchange cannot move to another club.")})
        return attrs


class ExchangeReviewSerializer(Serializer):
    decision = serializers.ChoiceField(choices=[ReviewStatus.ACCEPTED, ReviewStatus.RETURNED])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The version you reviewed; refused if it changed."
    )


# --- what club leaders read ---------------------------------------------------
# Explicit, reviewed field lists (tests/partners/test_leader_fields.py): no
# internal notes, no responsible officer, no status-change reasons, no staff
# usernames. A field added to a model or to the office's serializer does not
# reach leaders until it is added here and to that test.


class LeaderStatusChangeSerializer(ModelSerializer):
    """The status and since when, without the office's reason or who recorded it."""

    class Meta:
        model = StatusChange
        fields = ["status", "effective_on"]
        read_only_fields = fields


class LeaderPartnershipSerializer(ModelSerializer):
    partner_city = CitySerializer(read_only=True)
    areas = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    current_status = LeaderStatusChangeSerializer(source="current_status_change", read_only=True, allow_null=True)
    next_anniversary = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "partner_city",
            "kind",
            "formalised_on",
            "formalised_year_only",
            "ends_on",
            "areas",
            "current_status",
            "next_anniversary",
        ]
        read_only_fields = fields

    @extend_schema_field(AnniversarySerializer(allow_null=True))
    def get_next_anniversary(self, partnership) -> dict | None:
        anniversary = next_anniversary(partnership)
        return AnniversarySerializer(anniversary).data if anniversary else None


class LeaderClubSerializer(ModelSerializer):
    """The club's own facts, without the usernames of its leaders."""

    in_umbrella_alliance = serializers.BooleanField(**IN_UMBRELLA_ALLIANCE)

    class Meta:
        model = Club
        fields = [
            "id",
            "name",
            "partnerships",
            "founded_on",
            "member_count",
            "contact_email",
            "contact_phone",
            "in_umbrella_alliance",
        ]
        read_only_fields = fields


class MemberClubSerializer(ModelSerializer):
    class Meta:
        model = Club
        fields = ["id", "name"]
        read_only_fields = fields


class LeaderClubAssociationSerializer(ModelSerializer):
    """The association its leaders lead: its contact and the names of its
    member clubs, without the usernames of its leaders."""

    clubs = MemberClubSerializer(many=True, read_only=True)

    class Meta:
        model = ClubAssociation
        fields = ["id", "name", "contact_email", "contact_phone", "postal_address", "clubs"]
        read_only_fields = fields


class LeaderExchangeSerializer(ExchangeSerializer):
    """Leaders write their exchanges; the office's comment is addressed to them."""

    class Meta(ExchangeSerializer.Meta):
        fields = [
            "id",
            "club",
            "partnership",
            "kind",
            "direction",
            "starts_on",
            "ends_on",
            "title",
            "description",
            "participants_local",
            "participants_partner",
            "young_participants",
            "partner_organisations",
            "reciprocity",
            "review_status",
            "review_comment",
            "version",
        ]
