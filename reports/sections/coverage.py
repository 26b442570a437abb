"""Whether the office recorded its work in oia in a year at all. The report
compares each year with the one before; a year before the office used oia
has no data, not zero of everything, and the renderers print "no data"
instead of 0 and a change equal to the whole year ("+19")."""

from budget.models import Expense
from delegations.models import Delegation
from networks.models import NetworkActivity
from partners.models import Exchange
from protocol.models import Event


def year_recorded(year: int) -> bool:
    """True when any piece of the office's dated work falls in ``year``: a
    delegation starting in it (its counting year, whatever its status), a
    club exchange, an event, a network activity or an expense. Partnerships
    and memberships are lasting states, not work of a year, and do not count.
    One query."""
    found = [
        Delegation.objects.in_years(year),
        Exchange.objects.filter(starts_on__year=year),
        Event.objects.filter(starts_at__year=year),
        NetworkActivity.objects.filter(date__year=year),
        Expense.objects.filter(date__year=year),
    ]
    first, *others = (queryset.order_by().values("pk")[:1] for queryset in found)
    return first.union(*others, all=True).exists()
