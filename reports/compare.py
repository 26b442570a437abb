"""Which figures changed between two versions of a year's report: key
figures by key, table rows by their first cell."""

from django.utils.translation import gettext as _


def _items(figures: dict) -> dict:
    items = {}
    for section in figures["sections"]:
        if section["key"] == "method":
            continue
        for f in section.get("figures", []):
            items[(section["title"], f["label"])] = str(f["value"])
        for t in section.get("tables", []):
            for row in t["rows"]:
                label = f"{t['caption']}: {row[0]}" if row else t["caption"]
                items[(section["title"], label)] = " · ".join(str(cell) for cell in row[1:])
    return items


def compare_versions(older: dict, newer: dict) -> list[dict]:
    before, after = _items(older), _items(newer)
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old != new:
            changes.append(
                {
                    "section": key[0],
                    "item": key[1],
                    "old": old if old is not None else _("(absent)"),
                    "new": new if new is not None else _("(absent)"),
                }
            )
    return changes
