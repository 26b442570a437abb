"""Budget lines in the header's site-wide search (``oia.search``): by the
line's name or its partner city's, through the budget overview's own text
filter, the newest budget first. There is no list of every year's lines, so the
group's "more" link is the search page for budget lines alone."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from oia import search

from .filters import BudgetLineFilter
from .models import BudgetLine


def line_matches(text: str):
    lines = BudgetLine.objects.select_related("budget", "partnership__partner_city")
    return BudgetLineFilter({"q": text}, queryset=lines).qs.order_by("-budget__year", "name", "pk")


def describe_line(line: BudgetLine) -> str:
    parts = [str(line.get_category_display())]
    if line.partnership_id:
        parts.append(line.partnership.partner_city.name)
    return " · ".join(parts)


def register_searches() -> None:
    search.register(
        search.Search(
            "budget-lines",
            line_matches,
            heading=gettext_lazy("Budget lines"),
            position=60,
            link=lambda line: reverse("budget:line-detail", args=[line.pk]),
            describe=describe_line,
        )
    )
