"""Rendering a version's figures as an HTML page, a PDF (WeasyPrint, A4, page
numbers, table of contents) and an XLSX workbook (one sheet per section).

All three iterate over ``figures["sections"]``: a section added to
``reports.sections.SECTION_BUILDERS`` shows up everywhere without changes here.
"""

from .html import present, render_html
from .pdf import RenderingError, render_pdf
from .xlsx import render_xlsx

__all__ = ["RenderingError", "present", "render_html", "render_pdf", "render_xlsx"]
