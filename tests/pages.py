"""Reading an object page's parts in view tests (no HTML parser is installed)."""

import re


def section(html: str, element_id: str) -> str:
    """The inside of the ``<section>`` with ``element_id`` (sections on these pages do not nest); '' if absent."""
    match = re.search(rf'<section\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</section>', html, re.S)
    return match.group(1) if match else ""
