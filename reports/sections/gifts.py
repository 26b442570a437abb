"""Section "Gifts": the gifts given and received on the year's delegations,
and those worth more than the declaration threshold, listed one by one.

Counting rules: a gift belongs to its delegation's year (the year the
delegation starts in) and counts only when the delegation was completed, as
trips and visits do. A gift is above the threshold when its recorded value is
more than ``OIA_GIFT_DECLARATION_THRESHOLD``; one without a value is not. The
person a gift went to or came from is not printed: the report is public."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from delegations.choices import GiftDirection
from delegations.models import Delegation, Gift, above_threshold_q, counting_year, declaration_threshold
from oia.money import format_money

from .common import column, figure, money, table

KEY = "gifts"


NO_GIFTS = {"given": 0, "received": 0, "above": 0}


def _counted(first: int, last: int):
    return Gift.objects.filter(delegation__in=Delegation.objects.counted_in(first, last))


def _totals(year: int) -> dict:
    """Both years' counts in one query grouped by the delegation's year."""
    rows = (
        _counted(year - 1, year)
        .annotate(y=counting_year("delegation__"))
        .order_by()
        .values("y")
        .annotate(
            given=Count("pk", filter=Q(direction=GiftDirection.GIVEN)),
            received=Count("pk", filter=Q(direction=GiftDirection.RECEIVED)),
            above=Count("pk", filter=above_threshold_q()),
        )
    )
    by_year = {row.pop("y"): row for row in rows}
    totals = {}
    for suffix, y in (("", year), ("_before", year - 1)):
        totals |= {f"{name}{suffix}": value for name, value in by_year.get(y, NO_GIFTS).items()}
    return totals


def _above_threshold(year: int) -> list:
    """The listed gifts as plain rows: only the columns the table prints."""
    return list(
        _counted(year, year)
        .filter(above_threshold_q())
        .order_by("delegation__start_on", "delegation__title", "delegation_id", "direction", "pk")
        .values("description", "direction", "value", title=F("delegation__title"), start_on=F("delegation__start_on"))
    )


def build(year: int) -> dict:
    totals = _totals(year)
    listed = _above_threshold(year)
    directions = {value: str(label) for value, label in GiftDirection.choices}  # translated once
    return {
        "key": KEY,
        "title": _("Gifts"),
        "intro": _(
            "Gifts given and received on the completed delegations of the year. Gifts worth more than "
            "%(threshold)s must be declared; they are listed below."
        )
        % {"threshold": format_money(declaration_threshold())},
        "figures": [
            figure("given", _("Gifts given"), totals["given"], totals["given_before"]),
            figure("received", _("Gifts received"), totals["received"], totals["received_before"]),
            figure(
                "above_threshold", _("Gifts above the declaration threshold"), totals["above"], totals["above_before"]
            ),
        ],
        "tables": [
            table(
                "above_threshold",
                _("Gifts to declare"),
                [
                    column("gift", _("Gift")),
                    column("direction", _("Given or received")),
                    column("delegation", _("Delegation")),
                    column("date", _("Starts on"), "date"),
                    column("value", _("Value"), "money"),
                ],
                [
                    [
                        gift["description"],
                        directions.get(gift["direction"], gift["direction"]),
                        gift["title"],
                        gift["start_on"].isoformat(),
                        money(gift["value"]),
                    ]
                    for gift in listed
                ],
            ),
        ],
        "charts": [],
    }
