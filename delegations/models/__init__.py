"""The models of the delegations app, one module per topic. Everything is
re-exported here, so ``delegations.models.X`` (used by migrations and other
apps) keeps working."""

from .coordination import CoordinationCase
from .delegations import (
    INACTIVE_STATUSES,
    NOT_NEGATIVE,
    Cost,
    Delegation,
    DelegationQuerySet,
    Gift,
    GiftQuerySet,
    Outcome,
    Participant,
    ProgrammeItem,
    Transition,
    above_threshold_q,
    counting_year,
    declaration_threshold,
    named_participants,
)
from .people import Department, Person

__all__ = [
    "INACTIVE_STATUSES",
    "NOT_NEGATIVE",
    "CoordinationCase",
    "Cost",
    "Delegation",
    "DelegationQuerySet",
    "Department",
    "Gift",
    "GiftQuerySet",
    "Outcome",
    "Participant",
    "Person",
    "ProgrammeItem",
    "Transition",
    "above_threshold_q",
    "counting_year",
    "declaration_threshold",
    "named_participants",
]
