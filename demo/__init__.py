"""The demo data set for `make run`: one user per role, then each app's demo records.

Demo loading is part of the composition root: it is the only code besides the
URL confs that knows every app. The rows are data files in ``demo/data/``; each
module here is the small loader of one app's rows, going through that app's
services so the rules hold. Loading is idempotent: running it twice changes nothing.
"""

from django.db import transaction


def load_demo() -> list[tuple[str, str, str]]:
    """Users first: the partner demo names club leaders and a responsible officer;
    the delegations demo travels to the partner cities. Imported here, not at the
    top, because Django imports this package before the apps' models are ready."""
    from .budget import load_demo_budget
    from .delegations import load_demo_delegations
    from .grants import load_demo_grants
    from .networks import load_demo_networks
    from .partners import load_demo_exchanges, load_demo_partners
    from .past_delegations import load_demo_past_delegations
    from .past_years import load_demo_past_years
    from .protocol import load_demo_protocol
    from .users import load_demo_users

    with transaction.atomic():  # all of the demo or nothing, committed once
        logins = load_demo_users()
        load_demo_partners()
        load_demo_exchanges()
        load_demo_delegations()
        load_demo_past_delegations()  # before the networks, which link their meetings to the trips
        load_demo_networks()
        load_demo_budget()  # books the delegations' costs and the networks' fees
        load_demo_grants()  # decides the clubs' applications on the budget's grants line
        load_demo_protocol()  # after the delegations (an ambassador organised one) and the budget (events' line)
        load_demo_past_years()  # the earlier years' money, exchanges and grants, after this year's
    return logins
