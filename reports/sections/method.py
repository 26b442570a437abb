"""Section "Method": how each figure is counted, when the data was read and
the checksum of the figures, so a reader can tell two versions apart and
check that a report was rebuilt from unchanged data."""

from django.conf import settings
from django.utils.translation import gettext as _

from oia.money import format_money

from .common import column, table

KEY = "method"


def rules(*, previous_year_recorded: bool = True) -> list[list[str]]:
    """How each figure is counted; what "no data" means only in a report
    that prints it, when the year before has none (``coverage``)."""
    mayor_titles = ", ".join(settings.OIA_MAYOR_TITLES)
    found = [
        [
            _("Year"),
            _(
                "A delegation belongs to the year its start date falls in; a trip over New Year counts once, in the year it started."
            ),
        ],
        [
            _("Which delegations count"),
            _("Only completed delegations count; cancelled, rejected and planned ones never do."),
        ],
        [_("Visits abroad"), _("The number of completed outbound delegations.")],
        [
            _("People involved"),
            _(
                "Distinct named people across those trips (someone on five trips counts once) plus the unnamed members of each trip (head-count)."
            ),
        ],
        [_("Visitors received"), _("Named participants plus head-count of each completed inbound delegation.")],
        [_("Official guests"), _("Inbound delegations hosted by the city, and their size.")],
        [
            _("The mayor's trips"),
            _("Trips with a named participant whose title is one of: %(titles)s.") % {"titles": mayor_titles},
        ],
        [_("Cost of trips"), _("Costs paid by the city: the actual amount where booked, else the estimate.")],
        [_("World region"), _("Derived from the country of the destination or origin.")],
        [
            _("Partnership status"),
            _(
                "The latest status change effective on or before 31 December; a change dated 1 January counts for the next year."
            ),
        ],
        [
            _("Activity of a partnership"),
            _(
                "Completed delegations linked to it in either direction, club exchanges accepted by the office and expenses booked in the year on its budget lines; none of these means no activity."
            ),
        ],
        [
            _("Jubilees"),
            _(
                "Anniversaries in the coming year by the office's jubilee rule. A jubilee the office has planned counts with the estimate of its plan (committed to the budget); one not yet planned with a flat estimate of %(amount)s, marked as such. Supplementary requests already filed are shown beside them."
            )
            % {"amount": settings.OIA_JUBILEE_BUDGET},
        ],
        [
            _("Club exchanges"),
            _(
                "An exchange counts in the year it starts, once the office has accepted it; participants are those from both cities, of whom students and young people are a part. A reciprocity event is an accepted exchange with a public event in both cities."
            ),
        ],
        [
            _("Trip grants"),
            _(
                "Grants count as approved in the year their trip starts (approved, paid or reported), with the amount approved; grants paid are the expenses booked for grants in the year."
            ),
        ],
        [
            _("Networks"),
            _(
                "Memberships and roles that overlap the year by at least one day; meetings and outcomes dated in the year."
            ),
        ],
        [
            _("Gifts"),
            _(
                "Gifts on completed delegations, in the delegation's year. Above the declaration threshold: a recorded value of more than %(threshold)s."
            )
            % {"threshold": format_money(settings.OIA_GIFT_DECLARATION_THRESHOLD)},
        ],
        [
            _("Budget"),
            _(
                "The programme budget of the year: planned amounts, changes after adoption, expenses and open commitments on its lines."
            ),
        ],
        [
            _("Consular Corps"),
            _(
                "Posts open on 31 December: opened on or before that day (or on an unknown date) and not closed by then; a post closed on 31 December no longer counts, one closed on 1 January still does. Posts opened and closed are those with the date in the year."
            ),
        ],
        [
            _("National days"),
            _(
                "National days of posts open on the day (29 February falls on 28 February in other years); observed when the office sent a greeting, attended the reception or was represented, on a date in the year."
            ),
        ],
        [
            _("Events"),
            _(
                "Events held, in the year they start; cancelled events are counted apart. Guests are those on the lists of the events held, companions of those who accepted in addition. Costs are the estimated and actual costs of the events held; booked are those booked as expenses on a budget line."
            ),
        ],
        [
            _("City ambassadors"),
            _(
                "Ambassadors serving on 31 December, appointed or ended in the year; activities dated in the year; a delegation organised by an ambassador counts in the year the delegation starts. Ambassadors and guests are not named."
            ),
        ],
        [
            _("Previous year"),
            _("Every figure is shown beside the previous year's, counted by the same rules, and the change."),
        ],
    ]
    if not previous_year_recorded:
        found.append(
            [
                _("No data"),
                _(
                    'A previous year reads "%(no_data)s" when the office recorded no work of that year in this application at all: no delegation, club exchange, event, network activity or expense dated in it, as before the office used the application. Its figures are unknown, not zero: neither they nor the changes are given, and the charts draw no bars for that year.'
                )
                % {"no_data": _("no data")},
            ]
        )
    return found


def build(*, cut_off: str, checksum: str, previous_year_recorded: bool = True) -> dict:
    return {
        "key": KEY,
        "title": _("Method"),
        "intro": _("How the figures are counted and which data they were built from."),
        "figures": [],
        "facts": [
            {"key": "cut_off", "label": _("Data read at"), "value": cut_off},
            {"key": "checksum", "label": _("Checksum of the figures (SHA-256)"), "value": checksum},
        ],
        "tables": [
            table(
                "rules",
                _("How each figure is counted"),
                [column("figure", _("Figure")), column("rule", _("Rule"))],
                rules(previous_year_recorded=previous_year_recorded),
            ),
        ],
        "charts": [],
    }
