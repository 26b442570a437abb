"""The order of precedence as CSV and XLSX, for seating plans and invitations,
through the project's spreadsheet writer (``oia.spreadsheets``: text that a
spreadsheet would run as a formula is defused)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oia import spreadsheets

COLUMNS = [
    gettext_lazy("Rank"),
    gettext_lazy("Head of post"),
    gettext_lazy("Head's title"),
    gettext_lazy("Class"),
    gettext_lazy("Career or honorary"),
    gettext_lazy("Acting"),
    gettext_lazy("Admitted on"),
    gettext_lazy("Post"),
    gettext_lazy("Country"),
    gettext_lazy("Kind of post"),
    gettext_lazy("Address"),
]


def header() -> list[str]:
    return [str(label) for label in COLUMNS]


def rows(ranked):
    """One row per post of ``ranked`` ((rank or None, post) pairs), in the order of COLUMNS."""
    yes, no = _("yes"), _("no")
    for rank, post in ranked:
        admitted = post.precedence_admitted
        yield [
            "" if rank is None else str(rank),
            post.head.name if post.head_id else "",
            post.head_title,
            post.get_head_class_display() if post.head_class else "",
            post.get_head_category_display(),
            yes if post.head_is_acting else no,
            admitted.isoformat() if admitted else "",
            post.name,
            str(post.country.name),
            post.get_kind_display(),
            post.address,
        ]


def to_csv(ranked) -> bytes:
    return spreadsheets.to_csv([header(), *rows(ranked)])


def to_xlsx(ranked) -> bytes:
    return spreadsheets.to_xlsx([header(), *rows(ranked)], str(_("Order of precedence")))
