"""Writes of the budget, one module per concept: ``budgets`` (adoption,
lines, changes after adoption), ``bookings`` (commitments and expenses) and
``grants`` (trip grants to clubs, from the application to the report).

The public writes of the first two are importable from here, so callers say
``services.expense_book(...)`` without knowing which module holds it.
"""

from .bookings import (
    Booking,
    commitment_open,
    commitment_release,
    delegation_commit,
    delegation_release,
    delegation_status_changed_received,
    expense_book,
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
    "Booking",
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
    "lines_split_evenly",
    "lock_line",
    "money",
    "require_admin",
    "supplementary_request_decide",
    "transfer_record",
]
