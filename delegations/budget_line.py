"""A trip's budget line: which lines fit a delegation is the budget's rule, and
the budget sits above delegations, which may not import it. So the budget
plugs its rule in here (``BudgetConfig.ready``) and the delegations app asks
it by name: ``Delegation.clean()`` for the refusal (one place, so the form and
the API refuse the same lines) and the delegation form for the lines it
offers. Without a rule plugged in, any line goes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LineRule:
    """``choices(delegation)``: the lines offered for ``delegation`` (a
    queryset); ``refusal(delegation)``: why its ``budget_line`` does not fit,
    or None."""

    choices: Callable[[Any], Any]
    refusal: Callable[[Any], str | None]


_rules: list[LineRule] = []


def plug_in(rule: LineRule) -> None:
    """Set the rule (plugging in again replaces it)."""
    _rules[:] = [rule]


def line_choices(delegation, default):
    """The lines to offer for ``delegation``; ``default`` without a rule."""
    return _rules[0].choices(delegation) if _rules else default


def line_refusal(delegation) -> str | None:
    """Why the delegation's budget line does not fit it, or None."""
    if not delegation.budget_line_id or not _rules:
        return None
    return _rules[0].refusal(delegation)
