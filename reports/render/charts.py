"""Charts of the report as SVG drawn on the server, so the web page and the
PDF show the very same images, with no JavaScript and no CDN. Each chart has
a title and a description for screen readers (``role="img"``), and the same
numbers are in a data table next to it. Bars carry their number as text, so
no information is given by colour alone."""

from html import escape

from partners import map_geometry as geo

CURRENT_COLOUR = "#0b5cad"
PREVIOUS_COLOUR = "#8a96a3"
TEXT_COLOUR = "#1b1f24"
MONTH_LABELS = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"]
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _svg(chart_id: str, width: int, height: int, title: str, description: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="report-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{body}</svg>'
    )


def _legend(x: float, top: float, year: int, previous_label: str | None) -> str:
    """The key above a chart: a swatch for the year and one for the year
    before; ``previous_label`` instead of the second swatch when the year
    before has no data (it is not drawn, so no swatch stands for it)."""
    legend = (
        f'<rect x="{x}" y="{top}" width="12" height="12" fill="{CURRENT_COLOUR}"/>'
        f'<text x="{x + 16}" y="{top + 10}" font-size="12" fill="{TEXT_COLOUR}">{year}</text>'
    )
    if previous_label is not None:
        return (
            legend
            + f'<text x="{x + 70}" y="{top + 10}" font-size="12" fill="{TEXT_COLOUR}">{escape(previous_label)}</text>'
        )
    return legend + (
        f'<rect x="{x + 70}" y="{top}" width="12" height="12" fill="{PREVIOUS_COLOUR}" stroke="{TEXT_COLOUR}" '
        f'stroke-dasharray="2 2"/>'
        f'<text x="{x + 86}" y="{top + 10}" font-size="12" fill="{TEXT_COLOUR}">{year - 1}</text>'
    )


def _no_data_label(year: int, previous_missing: bool, labels: dict) -> str | None:
    return labels["no_data"] % {"year": year - 1} if previous_missing else None


def months_chart(
    chart_id: str, title: str, year: int, series: dict, labels: dict, *, previous_missing: bool = False
) -> str:
    """Grouped bars per month: the year and the year before. A year before
    without data (``html.previous_year_missing``) gets no bars, not bars of
    0, and the key says it has no data; the year's bars then stand alone."""
    current, previous = series["current"], series["previous"]
    width, height, left, bottom, top = 640, 240, 36, 36, 28
    peak = max([1, *current, *([] if previous_missing else previous)])
    plot_height = height - bottom - top
    slot = (width - left - 8) / 12
    bar = slot * 0.36
    bars = [(bar / 2, current, CURRENT_COLOUR, False)]
    if not previous_missing:
        bars = [(0, previous, PREVIOUS_COLOUR, True), (bar, current, CURRENT_COLOUR, False)]
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="{TEXT_COLOUR}"/>',
        _legend(left, 6, year, _no_data_label(year, previous_missing, labels)),
    ]
    for month in range(12):
        x = left + month * slot + slot * 0.12
        for offset, values, colour, dashed in bars:
            value = values[month]
            if not value:  # a bar of no height is not drawn (nor printed)
                continue
            h = plot_height * value / peak
            y = height - bottom - h
            stroke = f' stroke="{TEXT_COLOUR}" stroke-dasharray="2 2"' if dashed else ""
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"{stroke}/>'
                f'<text x="{x + offset + bar / 2:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{value}</text>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{MONTH_LABELS[month]}</text>'
        )
    if previous_missing:
        description = labels["description_no_previous"] % {
            "year": year,
            "values": ", ".join(f"{MONTH_NAMES[m]} {current[m]}" for m in range(12)),
            "previous": year - 1,
        }
    else:
        description = labels["description"] % {
            "year": year,
            "values": ", ".join(f"{MONTH_NAMES[m]} {current[m]} ({previous[m]})" for m in range(12)),
            "previous": year - 1,
        }
    return _svg(chart_id, width, height, title, description, "".join(parts))


def bars_chart(
    chart_id: str, title: str, year: int, rows: list[list], labels: dict, *, previous_missing: bool = False
) -> str:
    """Horizontal bars by category (e.g. world region): the year and the year
    before; as ``months_chart``, a year before without data gets no bars."""
    rows = rows[:12]
    width, row_height, label_width = 640, 34, 210
    height = 30 + row_height * max(1, len(rows))
    compared = [] if previous_missing else [int(r[2] or 0) for r in rows]
    peak = max([1, *(int(r[1] or 0) for r in rows), *compared])
    span = width - label_width - 50
    parts = [_legend(label_width, 4, year, _no_data_label(year, previous_missing, labels))]
    for index, row in enumerate(rows):
        y = 26 + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 16}" font-size="12" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(str(row[0]))}</text>"
        )
        bars = [(6, int(row[1] or 0), CURRENT_COLOUR, False)]
        if not previous_missing:
            bars = [(0, int(row[1] or 0), CURRENT_COLOUR, False), (14, int(row[2] or 0), PREVIOUS_COLOUR, True)]
        for offset, value, colour, dashed in bars:
            w = span * value / peak
            stroke = f' stroke="{TEXT_COLOUR}" stroke-dasharray="2 2"' if dashed else ""
            if value:  # a bar of no width is not drawn (nor printed); its 0 is
                parts.append(
                    f'<rect x="{label_width}" y="{y + offset}" width="{w:.1f}" height="12" fill="{colour}"{stroke}/>'
                )
            parts.append(
                f'<text x="{label_width + w + 4:.1f}" y="{y + offset + 10}" font-size="10" fill="{TEXT_COLOUR}">{value}</text>'  # noqa: E501
            )
    if previous_missing:
        description = labels["description_no_previous"] % {
            "year": year,
            "previous": year - 1,
            "values": ", ".join(f"{r[0]} {r[1]}" for r in rows),
        }
    else:
        description = labels["description"] % {
            "year": year,
            "previous": year - 1,
            "values": ", ".join(f"{r[0]} {r[1]} ({r[2]})" for r in rows),
        }
    return _svg(chart_id, width, height, title, description, "".join(parts))


def map_chart(chart_id: str, title: str, destinations: list[dict], origins: list[dict], labels: dict) -> str:
    """The world map of partners/map_geometry with circles for destinations
    (filled) and squares for origins (outlined), sized by the count. It is
    drawn at most page-wide, so it takes the outline simplified for print."""
    outline = geo.world_outline(geo.PRINT_OUTLINE)
    parts = [
        f'<rect width="{geo.MAP_WIDTH}" height="{geo.MAP_HEIGHT}" fill="{geo.SEA_COLOUR}"/>',
        f'<svg width="{geo.MAP_WIDTH}" height="{geo.MAP_HEIGHT}" viewBox="{outline.view_box}" preserveAspectRatio="none">'  # noqa: E501
        f'<path d="{outline.land}" fill="{geo.LAND_COLOUR}"/>'
        f'<path d="{outline.borders}" fill="none" stroke="{geo.BORDER_COLOUR}" stroke-width="1.5"/></svg>',
    ]
    for place in origins:
        point = geo.project(place["longitude"], place["latitude"])
        size = 4 + min(place["count"], 10) * 1.2
        parts.append(
            f'<rect x="{point.x - size / 2:.1f}" y="{point.y - size / 2:.1f}" width="{size:.1f}" height="{size:.1f}" '
            f'fill="none" stroke="{geo.HOME_COLOUR}" stroke-width="2"/>'
        )
    for place in destinations:
        point = geo.project(place["longitude"], place["latitude"])
        parts.append(
            f'<circle cx="{point.x}" cy="{point.y}" r="{3 + min(place["count"], 10) * 0.7:.1f}" '
            f'fill="{CURRENT_COLOUR}" fill-opacity="0.85" stroke="#fff" stroke-width="1"/>'
        )
    legend_y = geo.MAP_HEIGHT - 40
    parts.append(
        f'<rect x="10" y="{legend_y}" width="300" height="32" fill="#fff" fill-opacity="0.9"/>'
        f'<circle cx="24" cy="{legend_y + 16}" r="6" fill="{CURRENT_COLOUR}"/>'
        f'<text x="36" y="{legend_y + 21}" font-size="14" fill="{TEXT_COLOUR}">{escape(labels["destinations"])}</text>'
        f'<rect x="150" y="{legend_y + 10}" width="12" height="12" fill="none" stroke="{geo.HOME_COLOUR}" stroke-width="2"/>'  # noqa: E501
        f'<text x="168" y="{legend_y + 21}" font-size="14" fill="{TEXT_COLOUR}">{escape(labels["origins"])}</text>'
    )
    description = labels["description"] % {
        "destinations": ", ".join(f"{p['city']} ({p['count']})" for p in destinations) or "—",
        "origins": ", ".join(f"{p['city']} ({p['count']})" for p in origins) or "—",
    }
    return _svg(chart_id, geo.MAP_WIDTH, geo.MAP_HEIGHT, title, description, "".join(parts))
