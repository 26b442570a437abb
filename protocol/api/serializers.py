"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----

# ----- city ambassadors -----
# Written through protocol.services, so the API refuses what the forms refuse.
from django.utils.translation import gettext as _  # noqa: E402
from rest_framework import serializers  # noqa: E402

from delegations.models import Delegation, Person  # noqa: E402
from oia.api.serializers import VersionedModelSerializer  # noqa: E402
from partners.models import City  # noqa: E402

from ..choices import AmbassadorArea  # noqa: E402
from ..models import Ambassador, AmbassadorActivity  # noqa: E402


class AmbassadorSerializer(VersionedModelSerializer):
    """A city ambassador: the person, the city abroad they live in, their tie,
    the term (``until`` null: open-ended) and the areas they work in."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    city = serializers.PrimaryKeyRelatedField(queryset=City.objects.all())
    city_name = serializers.CharField(source="city.name", read_only=True)
    country = serializers.CharField(source="city.country.code", read_only=True)
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=AmbassadorArea.choices), required=False, max_length=len(AmbassadorArea)
    )
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Ambassador
        fields = [
            "id",
            "person",
            "person_name",
            "city",
            "city_name",
            "country",
            "tie",
            "appointed_on",
            "until",
            "areas",
            "notes",
            "activity_count",
            "version",
        ]

    def validate_areas(self, value):
        return list(dict.fromkeys(value))  # each area once, in the order given

    def validate(self, attrs):
        attrs = super().validate(attrs)
        appointed_on = attrs.get("appointed_on", getattr(self.instance, "appointed_on", None))
        until = attrs.get("until", getattr(self.instance, "until", None))
        if appointed_on and until and until < appointed_on:
            raise serializers.ValidationError({"until": _("The appointment cannot end before it starts.")})
        return attrs


class AmbassadorActivitySerializer(VersionedModelSerializer):
    """One thing an ambassador did. ``delegation`` only with the kind
    ``delegation`` (and then required): an inbound delegation becomes an
    official guest of the city."""

    ambassador_name = serializers.CharField(source="ambassador.person.name", read_only=True)
    delegation = serializers.PrimaryKeyRelatedField(queryset=Delegation.objects.all(), allow_null=True, required=False)
    delegation_title = serializers.CharField(source="delegation.title", read_only=True, allow_null=True)

    class Meta:
        model = AmbassadorActivity
        fields = [
            "id",
            "ambassador",
            "ambassador_name",
            "date",
            "kind",
            "description",
            "delegation",
            "delegation_title",
            "version",
        ]
