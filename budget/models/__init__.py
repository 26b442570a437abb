"""The budget's models: the programme budget with its lines, changes,
commitments and expenses (``budgets``), trip grants (``grants``) and jubilee
plans (``jubilees``); their choices
(``budget.choices``) are re-exported here so older imports and the migrations keep working."""

from ..choices import (
    BudgetMode,
    BudgetStatus,
    ChangeKind,
    CommitmentStatus,
    GrantStatus,
    JubileePlanStatus,
    LineCategory,
    RequestStatus,
)
from .budgets import (
    CURRENCY_CODE,
    MONEY,
    NOT_NEGATIVE,
    ZERO,
    Budget,
    BudgetChange,
    BudgetLine,
    BudgetLineQuerySet,
    Commitment,
    Expense,
    SupplementaryRequest,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    money,
)
from .grants import GRANTED_STATUSES, GrantApplication, GrantApplicationQuerySet, GrantRules
from .jubilees import JubileePlan, JubileePlanQuerySet

__all__ = [
    "CURRENCY_CODE",
    "GRANTED_STATUSES",
    "MONEY",
    "NOT_NEGATIVE",
    "ZERO",
    "Budget",
    "BudgetChange",
    "BudgetLine",
    "BudgetLineQuerySet",
    "BudgetMode",
    "BudgetStatus",
    "ChangeKind",
    "Commitment",
    "CommitmentStatus",
    "Expense",
    "GrantApplication",
    "GrantApplicationQuerySet",
    "GrantRules",
    "GrantStatus",
    "JubileePlan",
    "JubileePlanQuerySet",
    "JubileePlanStatus",
    "LineCategory",
    "RequestStatus",
    "SupplementaryRequest",
    "fiscal_year_end",
    "fiscal_year_of",
    "fiscal_year_start",
    "money",
]
