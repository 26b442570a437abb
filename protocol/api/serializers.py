"""TODO"""

# ----- consular posts and national days -----
from django.utils.translation import gettext as _
from rest_framework import serializers

from delegations.models import Person
from oia.api.serializers import Serializer, VersionedModelSerializer
from oia.bounds import INTEGER_MAX, YEAR_MAX, YEAR_MIN

from ..models import ConsularPost, NationalDayObservance


class ConsularPostSerializer(VersionedModelSerializer):
    """A consular post. ``closed_on`` is read-only: the ``close`` and
    ``reopen`` actions record it, with the reason in the notes."""

    head = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)
    head_name = serializers.CharField(source="head.name", read_only=True, allow_null=True, default=None)
    deputy = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)
    contacts = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50, allow_blank=False), max_length=20, required=False
    )

    class Meta:
        model = ConsularPost
        fields = [
            "id",
            "country",
            "kind",
            "name",
            "address",
            "phone",
            "email",
            "website",
            "jurisdiction",
            "languages",
            "head",
            "head_name",
            "head_title",
            "head_class",
            "head_category",
            "head_is_acting",
            "exequatur_on",
            "provisional_admission_on",
            "commission_presented_on",
            "deputy",
            "contacts",
            "national_day_month",
            "national_day_day",
            "national_day_name",
            "opened_on",
            "closed_on",
            "notes",
            "version",
        ]
        read_only_fields = ["closed_on"]


class PrecedenceEntrySerializer(ConsularPostSerializer):
    """A post in the order of precedence: its rank (null: no head of post) and
    the date its head's precedence counts from."""

    rank = serializers.IntegerField(read_only=True, allow_null=True)
    admitted_on = serializers.DateField(source="precedence_admitted", read_only=True, allow_null=True)

    class Meta(ConsularPostSerializer.Meta):
        fields = ["rank", "admitted_on", *ConsularPostSerializer.Meta.fields]


class PrecedenceQuerySerializer(Serializer):
    """``?date=``: the day (today if left out)."""

    date = serializers.DateField(required=False, help_text="The day the order is asked for; today if left out.")

    def validate_date(self, value):
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            raise serializers.ValidationError(
                _("Enter a day from %(first)s to %(last)s.") % {"first": YEAR_MIN, "last": YEAR_MAX}
            )
        return value


class PostCloseSerializer(Serializer):
    closed_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX, help_text="The version you read.")


class PostReopenSerializer(Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, max_value=INTEGER_MAX, help_text="The version you read.")


class NationalDayObservanceSerializer(VersionedModelSerializer):
    """What the office did on a post's national day: once a year per post."""

    post = serializers.PrimaryKeyRelatedField(queryset=ConsularPost.objects.all())
    post_name = serializers.CharField(source="post.name", read_only=True)
    represented_by = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)

    class Meta:
        model = NationalDayObservance
        fields = ["id", "post", "post_name", "date", "kind", "represented_by", "note", "recorded_by", "version"]
        read_only_fields = ["recorded_by"]
        validators = []  # the service refuses a second record of the year, with its message


# ----- events and guests -----


# ----- city ambassadors -----
