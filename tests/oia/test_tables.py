"""Wide tables: each scroll region is named after its own table (its caption or
heading), never by a generic "Table (scrolls sideways)" that tells a screen
reader's list of regions nothing."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REGION = re.compile(r'<div class="table-scroll"[^>]*>')


def scroll_regions():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in REGION.finditer(text):
            yield path.relative_to(TEMPLATES), text, match


def test_no_template_uses_the_generic_label():
    templates = sorted(TEMPLATES.rglob("*.html"))
    generic = [str(path) for path in templates if "Table (scrolls sideways)" in path.read_text()]

    assert generic == []


def test_every_scroll_region_is_a_focusable_region_named_by_its_table():
    """``aria-labelledby`` names an id written in the same template (the caption's,
    or the heading the table itself is labelled by); an ``aria-label`` is the caption's text."""
    unnamed = []
    for path, text, match in scroll_regions():
        tag = match.group(0)
        assert 'tabindex="0"' in tag, f"{path}: {tag}"
        assert 'role="region"' in tag, f"{path}: {tag}"
        labelledby = re.search(r'aria-labelledby="([^"]+)"', tag)
        label = re.search(r'aria-label="\{% translate \'([^\']+)\' %\}"', tag)
        if labelledby:
            if f'id="{labelledby.group(1)}"' not in text:
                unnamed.append(f"{path}: no element with id {labelledby.group(1)}")
        elif label:
            table = text[match.end() : text.index("</table>", match.end())]
            if f'{{% translate "{label.group(1)}" %}}</caption>' not in table:
                unnamed.append(f"{path}: aria-label {label.group(1)!r} is not the table's caption")
        else:
            unnamed.append(f"{path}: {tag}")

    assert unnamed == []
