"""The report as an A4 PDF, printed by WeasyPrint from the same sections and
SVG charts as the web page. WeasyPrint is imported only here, when a PDF is
made, so the web app starts without it; a missing library or a failed print
fails the request with the reason in words.

The worker is a long-running process: the font configuration (Fontconfig and
Pango's font map) and the parsed print stylesheet are made once per process
and reused by every report. Nothing is fetched over the network: the report
links to no outside resource, and the fetcher serves our own static files
from disk and refuses anything else."""

import contextlib
import functools
import gc
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .html import present
from .tables import with_column_widths

STYLESHEET = "css/report-print.css"
# WeasyPrint's own stylesheet for HTML gives ::marker and the footnote and note
# pseudo-elements to every element, so its cascade computes six pseudo-element
# styles for each element of the report: 7,600 of its 8,400 computed styles.
# The report's only list items are the contents' <li>, and it has no notes.
EVERY_ELEMENT_MARKER = "\n::marker {"
EVERY_ELEMENT_NOTES = re.compile(r"^::(?:footnote|note)-[a-z-]+ \{[^}]*\}$", re.MULTILINE)


class RenderingError(Exception):
    """A rendering failed; the message is shown to the user as the reason."""


def static_file(url: str) -> Path:
    """The file on disk behind a ``file:`` URL inside our static folders;
    ValueError for any other address (http, data, a file elsewhere)."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ValueError(f"The report fetches no {parts.scheme or 'relative'} address: {url}")
    path = Path(unquote(parts.path)).resolve()
    folders = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
    if not any(path.is_relative_to(folder) for folder in folders) or not path.is_file():
        raise ValueError(f"The report fetches only its own static files: {url}")
    return path


@functools.cache
def _document_class():
    """weasyprint.HTML with its user-agent stylesheet limited to what the report
    uses (see EVERY_ELEMENT_MARKER): the same PDF, a faster cascade. Should a
    WeasyPrint upgrade reword those rules, its own stylesheet is kept."""
    import weasyprint
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    if EVERY_ELEMENT_MARKER not in UA or not EVERY_ELEMENT_NOTES.search(UA):
        return weasyprint.HTML
    lean = EVERY_ELEMENT_NOTES.sub("", UA.replace(EVERY_ELEMENT_MARKER, "\nli::marker {"))
    # Its @counter-style rules are in weasyprint.html.UA_COUNTER_STYLE already.
    stylesheet = weasyprint.CSS(string=lean, counter_style=CounterStyle())

    class ReportHTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

    return ReportHTML


@functools.cache
def _printer():
    """The font configuration, the print stylesheet and the fetcher, made once
    per process (the first report pays for loading the fonts)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, static_file(url).read_bytes())

    fonts = FontConfiguration()
    fetcher = StaticFileFetcher()
    stylesheet = weasyprint.CSS(filename=finders.find(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    return fonts, stylesheet, fetcher


@contextlib.contextmanager
def _cycle_collector_paused():
    """Python's cycle collector paused while WeasyPrint prints. A report makes
    some 200,000 objects that live until the PDF is written, and the collector
    walked them over and over (about 200 ms a report, one whole-heap pass near
    190 ms); paused, it sweeps them once afterwards (about 50 ms). Only the
    caller that paused it resumes it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_pdf(figures: dict) -> bytes:
    try:
        import weasyprint  # noqa: F401 (a worker without WeasyPrint or Pango fails here, with the reason)
    except (ImportError, OSError) as exc:
        raise RenderingError(
            _("The PDF could not be printed: WeasyPrint or the Pango library is missing on the worker (%(error)s).")
            % {"error": exc}
        ) from exc
    from PIL import ImageFile

    # WeasyPrint lets Pillow load truncated images, for the whole process, on
    # import; the report has only our own images, and uploaded photos must be whole.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    fonts, stylesheet, fetcher = _printer()
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": with_column_widths(present(figures)), "home_city": settings.OIA_HOME_CITY},
    )
    try:
        with _cycle_collector_paused():
            return _document_class()(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
                stylesheets=[stylesheet], font_config=fonts
            )
    except Exception as exc:
        raise RenderingError(_("The PDF could not be printed: %(error)s") % {"error": exc}) from exc
