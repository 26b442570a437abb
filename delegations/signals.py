"""What the delegations app tells higher apps, which it may not import.

``delegation_status_changed`` is sent inside the transaction of
``services.delegation_transition`` with ``delegation``, ``from_status``,
``to_status``, ``by`` (who takes the step) and ``override_reason`` (an
administrator's reason to approve beyond what a budget line has available, or
""): the budget commits an approved trip's estimate and releases it when the
trip is cancelled. A receiver that raises rolls the step back; one that raises
a ValidationError refuses the step with its message. A receiver may return a
warning (text) for the person who took the step.
"""

from django.dispatch import Signal

delegation_status_changed = Signal()
