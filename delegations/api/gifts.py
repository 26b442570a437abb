"""``/api/gifts/``: the office-wide gift register, read only, on the same
FilterSet and queryset as its page and export. Gifts are written on their
delegation (the page, or the delegation's own API)."""

from rest_framework import serializers, viewsets

from oia.api.filters import DjangoFilterBackend
from oia.api.serializers import ModelSerializer

from ..filters import GiftFilter
from ..models import Gift
from .serializers import DelegationBriefSerializer


class GiftRegisterSerializer(ModelSerializer):
    delegation = DelegationBriefSerializer(read_only=True)
    value = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True, allow_null=True)
    above_threshold = serializers.BooleanField(
        read_only=True, help_text="Worth more than the declaration threshold (OIA_GIFT_DECLARATION_THRESHOLD)."
    )

    class Meta:
        model = Gift
        fields = ["id", "delegation", "direction", "description", "counterpart", "value", "above_threshold"]
        read_only_fields = fields


class GiftViewSet(viewsets.ReadOnlyModelViewSet):
    """Gifts given and received on delegations that take place, newest delegation
    first; ``above_threshold`` flags those to declare."""

    queryset = Gift.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = GiftRegisterSerializer
    filterset_class = GiftFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return Gift.objects.for_register()
