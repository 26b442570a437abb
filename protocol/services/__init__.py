"""Writes of the protocol app that touch more than one row or follow a rule,
one module per concept: ``consular`` (posts opened, closed and reopened on
record; national days), ``events`` (events, their costs committed and booked on
a budget line by the budget's own rules, guests, invitation links and answers)
and ``ambassadors`` (appointments, activities; a delegation an ambassador
organised becomes an official one). Each write checks the version it was
given, so two people editing at once never overwrite each other.

The public writes are importable from here: callers say
``services.event_cost_book(...)`` without knowing which module holds it.
"""

from .ambassadors import (
    ACTIVITY_FIELDS,
    AMBASSADOR_FIELDS,
    NOT_TAKING_PLACE,
    activity_create,
    activity_delete,
    activity_stale_message,
    activity_update,
    ambassador_create,
    ambassador_end,
    ambassador_stale_message,
    ambassador_update,
    delegation_make_official,
)
from .consular import (
    POST_FIELDS,
    observance_record,
    observance_update,
    post_close,
    post_create,
    post_reopen,
    post_update,
)
from .events import (
    EVENT_FIELDS,
    GUEST_FIELDS,
    AnswersClosed,
    CostSaving,
    event_cancel,
    event_cost_add,
    event_cost_book,
    event_cost_update,
    event_create,
    event_lines,
    event_mark_held,
    event_update,
    guest_add,
    guest_for_token,
    guest_issue_token,
    guest_remove,
    guest_update,
    guests_in_seating_order,
    guests_invite_ambassadors,
    guests_invite_consular_heads,
    guests_send_invitations,
    rsvp_answer,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "AMBASSADOR_FIELDS",
    "EVENT_FIELDS",
    "GUEST_FIELDS",
    "NOT_TAKING_PLACE",
    "POST_FIELDS",
    "AnswersClosed",
    "CostSaving",
    "activity_create",
    "activity_delete",
    "activity_stale_message",
    "activity_update",
    "ambassador_create",
    "ambassador_end",
    "ambassador_stale_message",
    "ambassador_update",
    "delegation_make_official",
    "event_cancel",
    "event_cost_add",
    "event_cost_book",
    "event_cost_update",
    "event_create",
    "event_lines",
    "event_mark_held",
    "event_update",
    "guest_add",
    "guest_for_token",
    "guest_issue_token",
    "guest_remove",
    "guest_update",
    "guests_in_seating_order",
    "guests_invite_ambassadors",
    "guests_invite_consular_heads",
    "guests_send_invitations",
    "observance_record",
    "observance_update",
    "post_close",
    "post_create",
    "post_reopen",
    "post_update",
    "rsvp_answer",
]
