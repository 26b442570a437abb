"""PDFs printed by WeasyPrint: the council report, the record of processing
activities and a person's data export. WeasyPrint is imported only when a PDF
is made, so the web app starts without it.

A worker or web process is long-running: the font configuration (Fontconfig
and Pango's font map) and each parsed print stylesheet are made once per
process and reused by every PDF. Nothing is fetched over the network: the
fetcher serves our own static files from disk and refuses anything else, so
no text in a PDF (names, notes, an uploaded caption) can make the server
fetch an address.

HTML that is also well-formed XML (the council report's: void elements
closed, only XML's own entities, which is what Django's escaping writes) is
parsed by the standard library's expat instead of WeasyPrint's HTML parser,
written in Python: the same tree and the same PDF, byte for byte (tested),
in 4 ms instead of about 120. Any other HTML goes through WeasyPrint's parser.

pydyf, WeasyPrint's PDF writer, deflates every stream at zlib's level 9; the
printer has it use zlib's default level 6 instead (see DEFLATE_LEVEL). And a
long SVG path (the council report's world map) is drawn once per process:
its drawing operators are kept and written again into the next PDF, the same
bytes, without parsing its thousands of points again (see REUSED_PATH_LENGTH)."""

import contextlib
import functools
import gc
import re
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint's own stylesheet for HTML gives ::marker and the footnote and note
# pseudo-elements to every element, so its cascade computes six pseudo-element
# styles for each element of the report: 7,600 of its 8,400 computed styles.
# Our PDFs' only list markers are those of <li>, and they have no notes.
EVERY_ELEMENT_MARKER = "\n::marker {"
EVERY_ELEMENT_NOTES = re.compile(r"^::(?:footnote|note)-[a-z-]+ \{[^}]*\}$", re.MULTILINE)
# zlib's default level. pydyf asks for level 9, which took 70 ms of the council
# report's PDF for its 105 streams (1 MB of drawing operators and structure)
# against 20 ms at level 6, for a file 3 % larger (175 kB instead of 169 kB).
DEFLATE_LEVEL = 6
# An SVG path with a "d" this long or longer is drawn once per process; its
# drawing operators are reused by every later PDF (WeasyPrint parses a path in
# Python, point by point, on every print). The report's world map has two such
# paths, 5,600 points: about 5 % of the report's PDF. At most REUSED_PATHS kept.
REUSED_PATH_LENGTH = 2000
REUSED_PATHS = 8


def static_file(url: str) -> Path:
    """The file on disk behind a ``file:`` URL inside our static folders;
    ValueError for any other address (http, data, a file elsewhere)."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ValueError(f"A PDF fetches no {parts.scheme or 'relative'} address: {url}")
    path = Path(unquote(parts.path)).resolve()
    folders = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
    if not any(path.is_relative_to(folder) for folder in folders) or not path.is_file():
        raise ValueError(f"A PDF fetches only our own static files: {url}")
    return path


@functools.cache
def _document_class():
    """weasyprint.HTML with its user-agent stylesheet limited to what our PDFs
    use (see EVERY_ELEMENT_MARKER), parsing well-formed XML with expat: the
    same PDF, a faster cascade and parse. Should a WeasyPrint upgrade reword
    those rules, its own class is kept."""
    import cssselect2
    import weasyprint
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    if EVERY_ELEMENT_MARKER not in UA or not EVERY_ELEMENT_NOTES.search(UA):
        return weasyprint.HTML
    lean = EVERY_ELEMENT_NOTES.sub("", UA.replace(EVERY_ELEMENT_MARKER, "\nli::marker {"))
    # Its @counter-style rules are in weasyprint.html.UA_COUNTER_STYLE already.
    stylesheet = weasyprint.CSS(string=lean, counter_style=CounterStyle())

    class LeanHTML(weasyprint.HTML):
        def __init__(self, *, string, base_url, url_fetcher):
            try:
                root = ElementTree.fromstring(string)
            except (ElementTree.ParseError, ValueError):
                root = None
            if root is None or next(root.iter("base"), None) is not None:
                super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                return
            # WeasyPrint's own set-up on an empty document, then expat's tree.
            super().__init__(string="", base_url=base_url, url_fetcher=url_fetcher)
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

    return LeanHTML


class _DeflateAtDefaultLevel:
    """zlib as pydyf sees it: every ``compressobj`` at DEFLATE_LEVEL,
    whatever level it asks for; everything else is zlib's own."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(DEFLATE_LEVEL, *args, **kwargs)


@functools.cache
def _deflate_at_default_level() -> None:
    """Once per process, pydyf deflates at DEFLATE_LEVEL (its only use of
    zlib is writing streams, so nothing else changes)."""
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _DeflateAtDefaultLevel()


@functools.cache
def _reuse_long_svg_paths() -> None:
    """Once per process, WeasyPrint's drawing of an SVG path goes through
    ``_drawn_path``. Should a WeasyPrint upgrade draw paths differently, its
    own drawing is kept."""
    from weasyprint import svg
    from weasyprint.svg.path import path

    if svg.TAGS.get("path") is path:
        svg.TAGS["path"] = functools.partial(_drawn_path, path, {})


def _drawn_path(draw, drawn: dict, svg, node, font_size) -> None:
    """Draw a path, or write again the operators it was drawn with before.

    What a path draws depends on its "d", the font size and the size of its
    viewport (for lengths in em or %); the operators go to the page's stream
    as one piece, which the PDF joins with the same line breaks as the
    separate ones. Short paths and those with markers (which need the points
    WeasyPrint records while it parses) are simply drawn."""
    d = node.get("d", "")
    if len(d) < REUSED_PATH_LENGTH or any(name.startswith("marker") for name in node.attrib):
        draw(svg, node, font_size)
        return
    key = (d, font_size, svg.inner_width, svg.inner_height)
    operators = drawn.get(key)
    if operators is None:
        stream = svg.stream.stream
        start = len(stream)
        draw(svg, node, font_size)
        pieces = stream[start:]
        if not all(isinstance(piece, bytes) for piece in pieces):
            return
        if len(drawn) >= REUSED_PATHS:
            drawn.pop(next(iter(drawn)))
        drawn[key] = b"\n".join(pieces)
        return
    svg.stream.stream.append(operators)


@functools.cache
def _printer():
    """The font configuration and the fetcher, made once per process (the
    first PDF pays for loading the fonts)."""
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, static_file(url).read_bytes())

    return FontConfiguration(), StaticFileFetcher()


@functools.cache
def _stylesheet(name: str):
    """A print stylesheet of static/ (e.g. ``css/report-print.css``), parsed once per process."""
    import weasyprint

    fonts, fetcher = _printer()
    return weasyprint.CSS(filename=finders.find(name), font_config=fonts, url_fetcher=fetcher)


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


def print_pdf(html: str, stylesheet: str, *, variant: str | None = None) -> bytes:
    """``html`` printed as a PDF with the print stylesheet ``stylesheet`` (a
    path under static/), as WeasyPrint's PDF ``variant`` if given (the council
    report is "pdf/ua-1": tagged, for screen readers). Raises ImportError or OSError when WeasyPrint or
    Pango is missing, and whatever WeasyPrint raises when printing fails."""
    import weasyprint  # noqa: F401 (a process without WeasyPrint or Pango fails here)
    from PIL import ImageFile

    # WeasyPrint lets Pillow load truncated images, for the whole process, on
    # import; our PDFs have only our own images, and uploaded photos must be whole.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    _deflate_at_default_level()
    _reuse_long_svg_paths()
    fonts, fetcher = _printer()
    with _cycle_collector_paused():
        return _document_class()(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
            stylesheets=[_stylesheet(stylesheet)], font_config=fonts, pdf_variant=variant
        )
