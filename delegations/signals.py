"""What the delegations app tells higher apps, which it may not import.

``delegation_status_changed`` is sent inside the transaction of
``services.delegation_transition`` with ``delegation``, ``from_status`` and
``to_status``: the budget commits an approved trip's estimate and releases it
when the trip is cancelled. A receiver that raises rolls the step back.
"""

from django.dispatch import Signal

delegation_status_changed = Signal()
