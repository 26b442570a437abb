"""API viewsets of the programme budget. Office staff read and book
(the default permission); what the services reserve for administrators
(creating and adopting a budget, amendments, transfers, the council's
decision on a supplementary request) is refused to everyone else with 403
before the service is reached. Overdrawing a line-item line is the one
admin-only act decided by the amounts: the service refuses it with 400.

Every list runs a fixed number of queries: the amounts of a line are
computed in SQL (``with_amounts()``), related rows are joined."""

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oia.api.mixins import FreshAnswerMixin, FreshCreateModelMixin, FreshUpdateModelMixin
from oia.api.pagination import PageOrCursorPagination
from oia.permissions import IsOfficeAdmin, IsOfficeStaff

from .. import selectors, services
from ..filters import (
    BudgetChangeFilter,
    BudgetFilter,
    BudgetLineFilter,
    CommitmentFilter,
    ExpenseFilter,
    SupplementaryRequestFilter,
)
from ..models import (
    MONEY,
    ZERO,
    Budget,
    BudgetChange,
    BudgetLine,
    ChangeKind,
    Commitment,
    Expense,
    SupplementaryRequest,
)
from .serializers import (
    BudgetAdoptSerializer,
    BudgetChangeCreateSerializer,
    BudgetChangeSerializer,
    BudgetLineSerializer,
    BudgetSerializer,
    CommitmentSerializer,
    ExpenseBookedSerializer,
    ExpenseSerializer,
    SupplementaryDecideSerializer,
    SupplementaryRequestSerializer,
)

REFUSED = OpenApiResponse(description="The budget rules refuse this; the body names the field and says why.")


class AdminWritesMixin:
    """Office staff read; only administrators may use ``admin_actions``."""

    admin_actions: tuple[str, ...] = ()

    def get_permissions(self):
        if self.action in self.admin_actions:
            return [IsOfficeAdmin()]
        return [IsOfficeStaff()]


# --- viewsets ----------------------------------------------------------------


class BudgetViewSet(
    AdminWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    FreshCreateModelMixin,
    viewsets.GenericViewSet,
):
    """The programme budget of each fiscal year. Creating one (as a draft)
    and adopting it are the administrator's."""

    queryset = Budget.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BudgetSerializer
    filterset_class = BudgetFilter
    ordering_fields = ["year"]
    admin_actions = ("create", "adopt", "close")

    def get_queryset(self):
        planned = (
            BudgetLine.objects.filter(budget=OuterRef("pk"))
            .order_by()
            .values("budget")
            .annotate(total=Sum("planned"))
            .values("total")
        )
        return (
            Budget.objects.select_related("adopted_by")
            .annotate(planned_total=Coalesce(Subquery(planned, output_field=DecimalField(**MONEY)), Value(ZERO)))
            .order_by("-year")
        )

    def perform_create(self, serializer):
        # No service creates a budget: a new one is always a draft, checked like a form would.
        budget = Budget(**serializer.validated_data)
        budget.full_clean()
        budget.save()
        serializer.instance = budget

    @extend_schema(request=BudgetAdoptSerializer, responses={200: BudgetSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        """Adopt a draft budget: from now on its lines change only through
        amendments (line-item) or transfers (discretionary)."""
        budget = self.get_object()
        payload = BudgetAdoptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.budget_adopt(budget=budget, by=request.user, **payload.validated_data)
        return self.fresh_answer(budget.pk)

    @extend_schema(request=None, responses={200: BudgetSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an adopted budget: no more expenses, amendments or transfers."""
        budget = self.get_object()
        services.budget_close(budget=budget, by=request.user)
        return self.fresh_answer(budget.pk)


class BudgetLineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    FreshCreateModelMixin,
    FreshUpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The lines with their amounts. Lines are created and edited only while
    the budget is a draft; after adoption use amendments or transfers."""

    queryset = BudgetLine.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["name", "category", "planned", "current", "committed", "spent", "available"]

    def get_queryset(self):
        return selectors.budget_lines()

    def perform_create(self, serializer):
        serializer.instance = services.line_save(line=BudgetLine(**serializer.validated_data))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        line = serializer.instance
        if "budget" in data and data.pop("budget").pk != line.budget_id:
            raise serializers.ValidationError({"budget": _("A line cannot move to another budget.")})
        for name, value in data.items():
            setattr(line, name, value)
        serializer.instance = services.line_save(line=line)


class ExpenseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Money spent. Booking checks what is available on the line: a
    line-item line is not overdrawn unless an administrator gives an
    ``override_reason``; a discretionary one is, with a ``warning``."""

    queryset = Expense.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ExpenseSerializer
    filterset_class = ExpenseFilter
    ordering_fields = ["date", "amount", "booked_at"]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {None: ("-date", "-pk"), "-date": ("-date", "-pk"), "date": ("date", "pk")}

    def get_queryset(self):
        return Expense.objects.select_related("line__budget", "booked_by").order_by("-date", "-pk")

    @extend_schema(request=ExpenseSerializer, responses={201: ExpenseBookedSerializer, 400: REFUSED})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        booking = services.expense_book(by=request.user, **data)
        expense = self.get_queryset().get(pk=booking.expense.pk)
        expense.warning = booking.warning
        return Response(ExpenseBookedSerializer(expense).data, status=status.HTTP_201_CREATED)


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Money promised but not yet paid (an approved trip's estimate …).
    Opened, released and replaced by the workflow and the bookings."""

    queryset = Commitment.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    ordering_fields = ["created_at", "amount"]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {
        None: ("-created_at", "-pk"),
        "-created_at": ("-created_at", "-pk"),
        "created_at": ("created_at", "pk"),
    }

    def get_queryset(self):
        return Commitment.objects.select_related("line__budget", "delegation").order_by("-created_at", "-pk")


class BudgetChangeViewSet(AdminWritesMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Changes of lines after adoption. POST records an amendment (a council
    decision on a line-item budget) or a transfer between two lines of a
    discretionary budget (two changes): administrators only."""

    queryset = BudgetChange.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BudgetChangeSerializer
    filterset_class = BudgetChangeFilter
    ordering_fields = ["decided_on", "amount"]
    pagination_class = PageOrCursorPagination
    cursor_orderings = {
        None: ("-decided_on", "-pk"),
        "-decided_on": ("-decided_on", "-pk"),
        "decided_on": ("decided_on", "pk"),
    }
    admin_actions = ("create",)

    def get_queryset(self):
        return BudgetChange.objects.select_related("line__budget", "counterpart", "recorded_by").order_by(
            "-decided_on", "-pk"
        )

    @extend_schema(
        request=BudgetChangeCreateSerializer,
        responses={201: BudgetChangeSerializer(many=True), 400: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        """Answers with the changes recorded: one for an amendment, two for a transfer."""
        payload = BudgetChangeCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data["kind"] == ChangeKind.AMENDMENT:
            changes = [
                services.amendment_record(
                    line=data["line"],
                    amount=data["amount"],
                    council_reference=data["council_reference"],
                    decided_on=data["decided_on"],
                    reason=data["reason"],
                    by=request.user,
                )
            ]
        else:
            changes = services.transfer_record(
                source=data["source"],
                target=data["target"],
                amount=data["amount"],
                reason=data["reason"],
                decided_on=data.get("decided_on"),
                by=request.user,
            )
        fresh = self.get_queryset().filter(pk__in=[change.pk for change in changes]).order_by("pk")
        return Response(self.get_serializer(fresh, many=True).data, status=status.HTTP_201_CREATED)


class SupplementaryRequestViewSet(
    AdminWritesMixin,
    FreshAnswerMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests to the council for extra money (a jubilee year …). Office
    staff draft and submit them; an administrator records the decision."""

    queryset = SupplementaryRequest.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SupplementaryRequestSerializer
    filterset_class = SupplementaryRequestFilter
    ordering_fields = ["created_at", "amount_requested"]
    admin_actions = ("decide",)

    def get_queryset(self):
        return SupplementaryRequest.objects.select_related("line__budget", "created_by").order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        # No service creates a request: it changes no amount until the council grants it.
        supplementary = SupplementaryRequest(**serializer.validated_data, created_by=self.request.user)
        supplementary.full_clean()
        supplementary.save()
        serializer.instance = supplementary

    @extend_schema(request=SupplementaryDecideSerializer, responses={200: SupplementaryRequestSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the council's answer; a grant raises the line by the granted amount."""
        supplementary = self.get_object()
        payload = SupplementaryDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decided = services.supplementary_request_decide(
            request=supplementary, by=request.user, **payload.validated_data
        )
        return self.fresh_answer(decided.pk)
