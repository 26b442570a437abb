"""The report as an A4 PDF, printed by WeasyPrint (``oia.pdf``: fonts and the
print stylesheet made once per process, nothing fetched over the network) from
the same sections and SVG charts as the web page. A missing library or a
failed print fails the request with the reason in words.

The PDF is tagged (PDF/UA-1), so a screen reader reads its headings, tables
and the charts' text alternatives; its bookmarks follow the headings. The
cover names the year, the version and the data cut-off, and a draft says
DRAFT on the cover and at the head of every page."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from oia.pdf import print_pdf

from .html import present
from .tables import with_column_widths

STYLESHEET = "css/report-print.css"
# WeasyPrint's variant for PDF/UA-1: a structure tree, marked content, the language and title.
VARIANT = "pdf/ua-1"


class RenderingError(Exception):
    """A rendering failed; the message is shown to the user as the reason."""


def pdf_html(
    figures: dict, *, number: int | None = None, cut_off: datetime.datetime | None = None, draft: bool = False
) -> str:
    """The HTML that is printed. It is well-formed XML as well (void elements
    closed, text escaped by Django), so oia.pdf parses it with expat."""
    return render_to_string(
        "reports/report_pdf.html",
        {
            "report": with_column_widths(present(figures)),
            "home_city": settings.OIA_HOME_CITY,
            "number": number,
            "cut_off": cut_off,
            "draft": draft,
        },
    )


def render_pdf(
    figures: dict, *, number: int | None = None, cut_off: datetime.datetime | None = None, draft: bool = False
) -> bytes:
    """The PDF of version ``number`` read at ``cut_off``, with the DRAFT mark if ``draft``."""
    try:
        import weasyprint  # noqa: F401 (a worker without WeasyPrint or Pango fails here, with the reason)
    except (ImportError, OSError) as exc:
        raise RenderingError(
            _("The PDF could not be printed: WeasyPrint or the Pango library is missing on the worker (%(error)s).")
            % {"error": exc}
        ) from exc
    html = pdf_html(figures, number=number, cut_off=cut_off, draft=draft)
    try:
        return print_pdf(html, STYLESHEET, variant=VARIANT)
    except Exception as exc:
        raise RenderingError(_("The PDF could not be printed: %(error)s") % {"error": exc}) from exc
