"""What the budget shows on the pages of lower apps (see ``oia.panels``):
the money of a partnership and of a delegation, a club's grant
applications on its portal page, and each jubilee's plan (or "Plan this
jubilee") on the jubilees page. Registered in ``BudgetConfig.ready``."""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import CharField, JSONField, OuterRef, Subquery
from django.db.models.functions import Cast, JSONObject
from django.utils.translation import gettext_lazy as _

from oia.panels import Panel, register

from .models import GrantApplication, JubileePlan
from .selectors import delegation_money, partnership_money

# The club page lists the newest few applications; a club sends a handful a year.
APPLICATIONS_ON_CLUB_PAGE = 50


def _delegation_with_money(queryset):
    """Money booked and committed as annotations: no query of its own."""
    return queryset.annotate(**delegation_money()).select_related("budget_line__budget")


def _club_applications(club) -> dict:
    return {"applications": list(GrantApplication.objects.for_list().filter(club=club)[:APPLICATIONS_ON_CLUB_PAGE])}


def _partnerships_with_jubilee_plans(queryset):
    """Each partnership's standing jubilee plans as a list (year, id, estimate,
    currency) in one annotation: the jubilees page costs no query more."""
    plans = (
        JubileePlan.objects.not_cancelled()
        .filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(
            rows=JSONBAgg(
                JSONObject(
                    id="pk",
                    year="year",
                    estimate=Cast("estimate", CharField()),
                    currency="line__budget__currency",
                )
            )
        )
        .values("rows")
    )
    return queryset.annotate(jubilee_plan_rows=Subquery(plans, output_field=JSONField()))


def register_panels() -> None:
    register(
        "partnership-detail",
        Panel(
            name="budget-money",
            template="budget/panels/partnership_money.html",
            # Two queries: this year's budget lines of the partnership with their amounts,
            # and its trips of the year with the money booked and committed for them.
            context=lambda partnership: {"money": partnership_money(partnership)},
        ),
    )
    register(
        "delegation-detail",
        Panel(name="budget-money", template="budget/panels/delegation_money.html", prepare=_delegation_with_money),
    )
    register(
        "anniversary-list",
        Panel(
            name="jubilee-plans",
            template="budget/panels/anniversary_jubilee_plan.html",
            column_heading=_("Jubilee plan"),
            prepare=_partnerships_with_jubilee_plans,
        ),
    )
    register(
        "club-page",
        Panel(
            name="grants",
            template="budget/panels/club_grants.html",
            actions_template="budget/panels/club_grants_actions.html",
            context=_club_applications,
        ),
    )
