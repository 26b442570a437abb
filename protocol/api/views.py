"""TODO"""

# ----- consular posts and national days -----
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oia.api.mixins import FreshWriteMixin

from .. import services
from ..filters import ConsularPostFilter, NationalDayObservanceFilter
from ..models import ConsularPost, NationalDayObservance
from .serializers import (
    ConsularPostSerializer,
    NationalDayObservanceSerializer,
    PostCloseSerializer,
    PostReopenSerializer,
    PrecedenceEntrySerializer,
    PrecedenceQuerySerializer,
)

POSTS_READ_AND_WRITE = ["get", "post", "put", "patch", "head", "options"]


class ConsularPostViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """The consular posts in our city, with the filters of the HTML list.
    A post is not deleted but closed (``close``), so it stays on record;
    ``precedence/`` ranks the heads of the posts open on a day."""

    queryset = ConsularPost.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ConsularPostSerializer
    filterset_class = ConsularPostFilter
    http_method_names = POSTS_READ_AND_WRITE
    ordering_fields = ["name", "country", "kind", "opened_on", "exequatur_on"]

    def get_queryset(self):
        return ConsularPost.objects.for_list().prefetch_related("contacts").order_by("country", "name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.post_create(**data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.post_update(
            post=serializer.instance, version=data.pop("version"), contacts=data.pop("contacts", None), **data
        )

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="The day (YYYY-MM-DD); today if left out.")],
        responses=PrecedenceEntrySerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def precedence(self, request):
        """The heads of the posts open on ``date`` in the order of precedence
        (Vienna Convention on Consular Relations, Art. 16): by class, career
        before honorary, then by the date of admission and of the commission;
        acting heads after every head; posts without a head last, unranked."""
        query = PrecedenceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        posts = ConsularPost.objects.open_on(day).for_list().prefetch_related("contacts").in_precedence_order()
        rank = 0
        for post in posts:
            if post.head_id is None:
                post.rank = None
            else:
                rank += 1
                post.rank = rank
        return Response(PrecedenceEntrySerializer(posts, many=True).data)

    @extend_schema(request=PostCloseSerializer, responses=ConsularPostSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Record that the post closed, with the day and the reason; refused
        when it is closed already or the day is before its opening."""
        post = self.get_object()
        payload = PostCloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.post_close(post=post, **payload.validated_data)
        return self.fresh_answer(post.pk)

    @extend_schema(request=PostReopenSerializer, responses=ConsularPostSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Undo a closing recorded by mistake, with the reason."""
        post = self.get_object()
        payload = PostReopenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.post_reopen(post=post, **payload.validated_data)
        return self.fresh_answer(post.pk)


class NationalDayObservanceViewSet(FreshWriteMixin, viewsets.ModelViewSet):
    """What the office did on the posts' national days, newest first: once a year per post."""

    queryset = NationalDayObservance.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = NationalDayObservanceSerializer
    filterset_class = NationalDayObservanceFilter
    ordering_fields = ["date"]

    def get_queryset(self):
        return NationalDayObservance.objects.select_related("post").order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.observance_record(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.observance_update(
            observance=serializer.instance, version=data.pop("version"), by=self.request.user, **data
        )


# ----- events and guests -----


# ----- city ambassadors -----
