"""Writes of the budget, one module per concept: ``budgets`` (adoption,
lines, changes after adoption), ``bookings`` (commitments and expenses) and
``grants`` (trip grants to clubs, from the application to the report).

The public writes of the first two are importable from here, so callers say
``services.expense_book(...)`` without knowing which module holds it.
"""

from .bookings import (
    EVENT_COST,
    EXPENSE,
    TRIP_APPROVAL,
    Booking,
    Charge,
    ChargeWords,
    commitment_open,
    commitment_release,
    delegation_commit,
    delegation_release,
    delegation_status_changed_received,
    expense_book,
    line_charge,
    require_adopted,
)
from .budgets import (
    amendment_record,
    available,
    budget_adopt,
    budget_close,
    convert,
    line_save,
    lines_split_evenly,
    lock_line,
    money,
    require_admin,
    supplementary_request_decide,
    transfer_record,
)

__all__ = [
    "EVENT_COST",
    "EXPENSE",
    "TRIP_APPROVAL",
    "Booking",
    "Charge",
    "ChargeWords",
    "amendment_record",
    "available",
    "budget_adopt",
    "budget_close",
    "commitment_open",
    "commitment_release",
    "convert",
    "delegation_commit",
    "delegation_release",
    "delegation_status_changed_received",
    "expense_book",
    "line_save",
    "line_charge",
    "lines_split_evenly",
    "lock_line",
    "money",
    "require_admin",
    "require_adopted",
    "supplementary_request_decide",
    "transfer_record",
]
