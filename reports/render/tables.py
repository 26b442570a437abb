"""Column widths of the PDF's tables, worked out here instead of by WeasyPrint.

WeasyPrint's automatic table layout lays every cell out twice before the real
layout (its narrowest and its widest width, word by word), which was a sixth to
a quarter of the time of a whole PDF. The PDF's tables are printed with fixed columns
instead, whose widths this module computes the way the automatic layout of
CSS does (https://www.w3.org/TR/css-tables-3/#width-distribution-algorithm):
from the text widths of DejaVu Sans, the report's font, read once per process.
On the demo years the columns come out within 2 mm of WeasyPrint's own,
and every table on the same page.
"""

import functools
import itertools
import re
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The print stylesheet (static/css/report-print.css): A4 less 16 mm margins on
# each side, 1.5 mm padding on each side of a cell, 9 pt in a section's
# tables, 10 pt in the key figures.
PAGE_WIDTH_MM = 210 - 2 * 16
CELL_PADDING_MM = 2 * 1.5
TABLE_FONT_PT = 9
FIGURES_FONT_PT = 10
MM_PER_PT = 25.4 / 72
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_FOLDERS = ["/usr/share/fonts", "/usr/local/share/fonts"]
# Where the font file is missing: an average advance of DejaVu Sans, in em.
AVERAGE_ADVANCE = 0.6
# A line may break at a space, after a dash or a slash, and after a hyphen
# unless a digit follows (a date such as 2026-03-26 stays whole).
BREAK_AFTER = re.compile(r"(?<=[\u2010\u2013\u2014/])|(?<=-)(?!\d)")


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width of each character in em, and the fallback for others."""
    try:
        from fontTools.ttLib import TTFont

        path = next(
            (found for folder in FONT_FOLDERS for found in Path(folder).rglob(FONT_FILES[bold])),
            None,
        )
        if path is None:
            return {}, AVERAGE_ADVANCE
        font = TTFont(path, lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
        font.close()
    except (ImportError, OSError, KeyError):
        return {}, AVERAGE_ADVANCE
    return widths, AVERAGE_ADVANCE


def text_width(text: str, *, size_pt: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in millimetres."""
    widths, fallback = _advances(bold)
    return sum(widths.get(ord(character), fallback) for character in text) * size_pt * MM_PER_PT


@functools.cache
def _hyphenation(language: str):
    """Pyphen's dictionary for the language, or None (WeasyPrint's own rule:
    words of five letters or more, two letters at least on each side)."""
    import pyphen

    found = pyphen.language_fallback(language)
    return pyphen.Pyphen(lang=found, left=2, right=2) if found else None


def _pieces(word: str, hyphenate: bool) -> list[str]:
    """The word as it may be broken: whole, or at each hyphenation point
    (with the hyphen printed at the end of a line)."""
    dictionary = _hyphenation(get_language() or "en") if hyphenate and len(word) >= 5 else None
    if dictionary is None:
        return [word]
    points = [0, *dictionary.positions(word), len(word)]
    return [word[start:end] + ("-" if end < len(word) else "") for start, end in itertools.pairwise(points)]


def _cell_widths(text: str, *, size_pt: float, bold: bool, wraps: bool, hyphenate: bool) -> tuple[float, float]:
    """The narrowest and widest width of a cell (padding included): a cell
    that wraps is as narrow as its longest word (or piece of a hyphenated
    word), one that does not is one line."""
    widest = text_width(text, size_pt=size_pt, bold=bold) + CELL_PADDING_MM
    if not wraps:
        return widest, widest
    words = [part for word in text.split() for part in BREAK_AFTER.split(word) if part]
    pieces = [piece for word in words for piece in _pieces(word, hyphenate)] or [""]
    narrowest = max(text_width(piece, size_pt=size_pt, bold=bold) for piece in pieces) + CELL_PADDING_MM
    return narrowest, widest


def column_widths(
    header: list[tuple[str, bool]], rows: list[list[tuple[str, bool, bool]]], *, size_pt: float
) -> list[str]:
    """Percentages of the table's width, one per column.

    ``header`` holds (text, numeric) per column, heads are bold and wrap;
    ``rows`` hold (text, bold, numeric) per cell; numbers do not wrap."""
    narrowest = [0.0] * len(header)
    widest = [0.0] * len(header)
    # The heads of number columns wrap and hyphenate (th.num in the stylesheet).
    heads = [[(text, True, False, numeric) for text, numeric in header]]
    cells = [*heads, *([(text, bold, numeric, False) for text, bold, numeric in row] for row in rows)]
    for row in cells:
        for index, (text, bold, numeric, hyphenate) in enumerate(row[: len(header)]):
            low, high = _cell_widths(text, size_pt=size_pt, bold=bold, wraps=not numeric, hyphenate=hyphenate)
            narrowest[index] = max(narrowest[index], low)
            widest[index] = max(widest[index], high)
    available = PAGE_WIDTH_MM
    if sum(widest) <= available:
        # Every column gets its widest width and a share of the rest in proportion to it.
        widths = [width + (available - sum(widest)) * width / sum(widest) for width in widest]
    elif sum(narrowest) < available:
        # Between the narrowest and the widest, in proportion to the difference.
        ratio = (available - sum(narrowest)) / (sum(widest) - sum(narrowest))
        widths = [low + (high - low) * ratio for low, high in zip(narrowest, widest, strict=True)]
    else:
        widths = narrowest
    total = sum(widths)
    return [f"{100 * width / total:.3f}" for width in widths]


def with_column_widths(report: dict) -> dict:
    """The presented report (``html.present``) with the column widths of
    each table and of each section's key figures, for the PDF."""
    for section in report["sections"]:
        if section["figures"]:
            year = report["year"]
            header = [(_("Figure"), False), (str(year), True), (str(year - 1), True), (_("Change"), True)]
            rows = [
                [(f["label"], True, False), *((f[key], False, True) for key in ("value", "previous", "change"))]
                for f in section["figures"]
            ]
            section["figure_widths"] = column_widths(header, rows, size_pt=FIGURES_FONT_PT)
        for table in section["tables"]:
            header = [(column["label"], column["numeric"]) for column in table["columns"]]
            rows = [
                [(cell["text"], index == 0, cell["numeric"] and index > 0) for index, cell in enumerate(row)]
                for row in table["rows"]
            ]
            table["widths"] = column_widths(header, rows, size_pt=TABLE_FONT_PT)
    return report
