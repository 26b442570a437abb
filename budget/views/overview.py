"""Budget years, the overview of one year, its lines and the exports. Writes
go through budget.services; a refusal comes back on the form in words."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, ListView, TemplateView

from oia import spreadsheets
from oia.filters import InvalidFilterAnswers400Mixin, invalid_filter_response
from oia.forms import add_validation_errors
from oia.money import format_money
from oia.permissions import AdminRequiredMixin, OfficeRequiredMixin
from oia.roles import ADMINS, has_role
from partners.models import Partnership

from .. import exports, selectors, services
from ..filters import BudgetLineFilter
from ..forms import BudgetForm, BudgetLineForm, SplitEvenlyForm
from ..models import Budget, BudgetLine, BudgetMode, BudgetStatus

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def overview_url(budget):
    return reverse("budget:budget-overview", kwargs={"year": budget.year})


def line_url(line):
    return reverse("budget:line-detail", kwargs={"pk": line.pk})


def export_response(rows, fmt, filename, title):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    content = spreadsheets.to_csv(rows) if fmt == "csv" else spreadsheets.to_xlsx(rows, title)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class BudgetYearMixin:
    """For views under /budget/<year>/."""

    @cached_property
    def budget(self):
        return get_object_or_404(Budget.objects.select_related("adopted_by"), year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        is_admin = has_role(self.request.user, ADMINS)
        return super().get_context_data(budget=self.budget, is_admin=is_admin, **kwargs)


class BudgetListView(OfficeRequiredMixin, ListView):
    template_name = "budget/budget_list.html"
    context_object_name = "budgets"

    def get_queryset(self):
        return Budget.objects.annotate(line_count=Count("lines"), planned=Sum("lines__planned")).order_by("-year")

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_admin=has_role(self.request.user, ADMINS), **kwargs)


class BudgetCreateView(AdminRequiredMixin, CreateView):
    """A new fiscal year starts as a draft; its lines are added before adoption."""

    form_class = BudgetForm
    template_name = "budget/budget_form.html"

    def form_valid(self, form):
        budget = form.save()
        messages.success(self.request, _("The budget %(year)s was created as a draft.") % {"year": budget.year})
        return redirect(overview_url(budget))


class BudgetOverviewView(OfficeRequiredMixin, BudgetYearMixin, InvalidFilterAnswers400Mixin, TemplateView):
    """Every line with its amounts and warnings, the totals and the burn chart,
    in a fixed number of queries however many lines and expenses."""

    template_name = "budget/budget_overview.html"

    def get_context_data(self, **kwargs):
        budget = self.budget
        line_filter = BudgetLineFilter(self.request.GET or None, budget=budget)
        overview = selectors.budget_overview(budget, lines=line_filter.qs)
        query = self.request.GET.urlencode()
        return super().get_context_data(
            overview=overview,
            filter=line_filter,
            filtered=bool(self.request.GET),
            querystring=query,
            chart=burn_chart(overview.burn, budget.currency),
            nearly_used_text=selectors.NEARLY_USED_TEXT,
            can_edit_lines=budget.status == BudgetStatus.DRAFT,
            can_transfer=budget.status == BudgetStatus.ADOPTED and budget.mode == BudgetMode.DISCRETIONARY,
            **kwargs,
        )


# The burn chart's drawing area, in SVG user units.
CHART = {"width": 640, "height": 260, "left": 96, "right": 16, "top": 16, "bottom": 40}


def burn_chart(burn, currency):
    """Coordinates for the inline SVG: the planned pace (dashed) and what was
    actually spent (solid, with a dot per month), cumulated from 1 January."""
    left, top = CHART["left"], CHART["top"]
    plot_w = CHART["width"] - left - CHART["right"]
    plot_h = CHART["height"] - top - CHART["bottom"]
    bottom = top + plot_h
    values = [month.planned for month in burn] + [month.actual for month in burn if month.actual is not None]
    highest = max([value for value in values if value > 0], default=0) or 1

    def x(index):
        return round(left + plot_w * index / 12, 1)

    def y(value):
        return round(bottom - float(value) / float(highest) * plot_h, 1)

    planned = [(x(0), y(0))] + [(x(i + 1), y(month.planned)) for i, month in enumerate(burn)]
    known = [(i, month) for i, month in enumerate(burn) if month.actual is not None]
    actual = [(x(0), y(0))] + [(x(i + 1), y(month.actual)) for i, month in known] if known else []
    return {
        **CHART,
        "plot_right": left + plot_w,
        "bottom_y": bottom,
        "planned_points": " ".join(f"{px},{py}" for px, py in planned),
        "actual_points": " ".join(f"{px},{py}" for px, py in actual),
        "dots": [{"x": px, "y": py} for px, py in actual[1:]],
        "months": [
            {"x": round(x(i + 0.5), 1), "label": formats.date_format(month.month, "M")} for i, month in enumerate(burn)
        ],
        "ticks": [
            {"y": y(highest * share), "label": format_money(highest * share, currency)}
            for share in (Decimal(0), Decimal("0.5"), Decimal(1))
        ],
        "last": burn[known[-1][0]] if known else None,
    }


class BudgetAdoptView(AdminRequiredMixin, BudgetYearMixin, TemplateView):
    """GET asks for confirmation; POST adopts the draft."""

    template_name = "budget/budget_adopt.html"

    def get_context_data(self, **kwargs):
        budget = self.budget
        return super().get_context_data(
            line_count=budget.lines.count(),
            total=budget.lines.aggregate(total=Sum("planned"))["total"],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            budget = services.budget_adopt(budget=self.budget, by=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("The budget %(year)s is adopted.") % {"year": budget.year})
        return redirect(overview_url(budget))


class BudgetCloseView(AdminRequiredMixin, BudgetYearMixin, TemplateView):
    """GET asks for confirmation; POST closes an adopted budget at the end of the year."""

    template_name = "budget/budget_close.html"

    def post(self, request, *args, **kwargs):
        try:
            budget = services.budget_close(budget=self.budget, by=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("The budget %(year)s is closed.") % {"year": budget.year})
        return redirect(overview_url(budget))


class BudgetExportView(OfficeRequiredMixin, BudgetYearMixin, View):
    """The overview's (filtered) lines and the budget total as CSV or XLSX."""

    def get(self, request, year, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        budget = self.budget
        line_filter = BudgetLineFilter(request.GET or None, budget=budget)
        if refused := invalid_filter_response(line_filter):
            return refused
        overview = selectors.budget_overview(budget, lines=line_filter.qs)
        title = _("Budget %(year)s") % {"year": budget.year}
        return export_response(exports.overview_rows(overview), fmt, f"budget-{budget.year}", title)


class LineFormMixin(BudgetYearMixin):
    """Lines are created and edited only while the budget is a draft: the
    service refuses otherwise, and the form shows its reason."""

    form_class = BudgetLineForm
    template_name = "budget/line_form.html"

    def form_valid(self, form):
        try:
            line = services.line_save(line=form.save(commit=False))
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The line “%(line)s” was saved.") % {"line": line.name})
        return redirect(line_url(line))


class LineCreateView(OfficeRequiredMixin, LineFormMixin, FormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": BudgetLine(budget=self.budget)}


class LineUpdateView(OfficeRequiredMixin, LineFormMixin, FormView):
    @cached_property
    def line(self):
        return get_object_or_404(BudgetLine.objects.select_related("budget"), pk=self.kwargs["pk"])

    @cached_property
    def budget(self):
        return self.line.budget

    def get_form_kwargs(self):
        # A fresh copy: the form writes the typed values into its instance,
        # the heading keeps the saved name.
        instance = BudgetLine.objects.select_related("budget").get(pk=self.line.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(line=self.line, **kwargs)


class LineSplitView(OfficeRequiredMixin, BudgetYearMixin, FormView):
    """One line per active partnership sharing a total (Frankfurt: €208,000 over 16)."""

    form_class = SplitEvenlyForm
    template_name = "budget/line_split.html"

    def partnerships(self):
        return Partnership.objects.not_ended().select_related("partner_city").order_by("partner_city__name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership_count=self.partnerships().count(), **kwargs)

    def form_valid(self, form):
        try:
            lines = services.lines_split_evenly(
                budget=self.budget,
                total=form.cleaned_data["total"],
                category=form.cleaned_data["category"],
                partnerships=self.partnerships(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(count)s lines were created, adding up to %(total)s.")
            % {"count": len(lines), "total": format_money(form.cleaned_data["total"], self.budget.currency)},
        )
        return redirect(overview_url(self.budget))


class LineDetailView(OfficeRequiredMixin, TemplateView):
    """A line's amounts, commitments, expenses, changes and requests."""

    template_name = "budget/line_detail.html"

    @cached_property
    def line(self):
        try:
            return selectors.line_detail(self.kwargs["pk"])
        except BudgetLine.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        line = self.line
        budget = line.budget
        return super().get_context_data(
            line=line,
            budget=budget,
            is_admin=has_role(self.request.user, ADMINS),
            can_edit=budget.status == BudgetStatus.DRAFT,
            can_book=budget.status != BudgetStatus.CLOSED,
            can_amend=budget.status == BudgetStatus.ADOPTED and budget.mode == BudgetMode.LINE_ITEM,
            can_transfer=budget.status == BudgetStatus.ADOPTED and budget.mode == BudgetMode.DISCRETIONARY,
            **kwargs,
        )


class LineExportView(OfficeRequiredMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        try:
            line = selectors.line_detail(pk)
        except BudgetLine.DoesNotExist as exc:
            raise Http404 from exc
        return export_response(exports.line_rows(line), fmt, f"budget-line-{line.pk}", line.name)
