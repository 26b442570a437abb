"""The report as an A4 PDF, printed by WeasyPrint from the same sections and
SVG charts as the web page. WeasyPrint is imported only here, when a PDF is
made, so the web app starts without it; a missing library or a failed print
fails the request with the reason in words."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .html import present


class RenderingError(Exception):
    """A rendering failed; the message is shown to the user as the reason."""


def render_pdf(figures: dict) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise RenderingError(
            _("The PDF could not be printed: WeasyPrint or the Pango library is missing on the worker (%(error)s).")
            % {"error": exc}
        ) from exc
    from PIL import ImageFile

    # WeasyPrint lets Pillow load truncated images, for the whole process, on
    # import; the report has only our own images, and uploaded photos must be whole.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    stylesheet = finders.find("css/report-print.css")
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": present(figures), "home_city": settings.OIA_HOME_CITY, "stylesheet": stylesheet},
    )
    try:
        return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[weasyprint.CSS(filename=stylesheet)]
        )
    except Exception as exc:
        raise RenderingError(_("The PDF could not be printed: %(error)s") % {"error": exc}) from exc
