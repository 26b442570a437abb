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
    Outcome,
    Participant,
    ProgrammeItem,
    Transition,
    counting_year,
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
    "Outcome",
    "Participant",
    "Person",
    "ProgrammeItem",
    "Transition",
    "counting_year",
    "named_participants",
]
