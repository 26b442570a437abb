"""Build the world outlines of static/vendor/world/ from world-atlas's countries-110m.json.

Run once, by hand, when the outline should change; the app only reads the SVGs.
The TopoJSON comes from the npm package world-atlas (ISC licence, Natural
Earth public-domain data), fetched without installing it into the project:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_world_map.py /tmp/package/countries-110m.json

It writes two files: world-110m.svg, every point of the source (the partner
map on screen), and world-110m-print.svg for the council report's map, whose
arcs are simplified (Douglas-Peucker, PRINT_TOLERANCE): printed 178 mm wide, a
tenth of a degree is 0.05 mm, and WeasyPrint parses and draws every point of
the outline on each print. Each arc is simplified once, before the land and
the borders are put together from the arcs, so they still meet exactly.

The output is equirectangular in tenths of a degree (x = (lon + 180) * 10,
y = (90 - lat) * 10, viewBox 0 0 3600 1800) so every coordinate is a small
integer; paths use relative moves, which keeps the file small enough to inline
into the map page. Two paths: ``land`` (the merged land polygons, filled) and
``borders`` (each border between two countries once, stroked).
"""

import argparse
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "static" / "vendor" / "world" / "world-110m.svg"
PRINT_SUFFIX = "-print"
UNITS_PER_DEGREE = 10
# Degrees a simplified arc may stray from the source: 0.1 mm on the printed map.
PRINT_TOLERANCE = 0.2


def decode_arcs(topology):
    """Absolute (lon, lat) points of every arc: TopoJSON stores quantised deltas."""
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def simplified(points, tolerance):
    """Douglas-Peucker: the fewest points of the line (its ends kept) from which
    no dropped point is farther than ``tolerance`` degrees. Longitudes are made
    continuous first, so an arc across the antimeridian is measured as one line."""
    points = unwrap(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    pending = [(0, len(points) - 1)]
    while pending:
        first, last = pending.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                away = abs(dy * (x - x0) - dx * (y - y0)) / length
            else:  # a closed arc: measured from its end
                away = math.hypot(x - x0, y - y0)
            if away > distance:
                farthest, distance = index, away
        if farthest is not None:
            keep[farthest] = True
            pending += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def grid(lon, lat):
    return round((lon + 180) * UNITS_PER_DEGREE), round((90 - lat) * UNITS_PER_DEGREE)


def arc_points(arcs, index):
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs, ring):
    points = []
    for index in ring:
        segment = arc_points(arcs, index)
        points.extend(segment if not points else segment[1:])
    return points


def unwrap(points):
    """Make longitudes continuous where a line crosses the antimeridian (Fiji,
    Chukotka, Antarctica): the result may run past +-180."""
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        unwrapped.append((lon, lat))
    return unwrapped


def close_around_pole(ring):
    """A ring that goes once around the globe (Antarctica) encloses a pole:
    close it along the map's top or bottom edge."""
    if abs(ring[-1][0] - ring[0][0]) < 180:
        return ring
    pole = -90 if sum(lat for _, lat in ring) < 0 else 90
    return [*ring, (ring[-1][0], pole), (ring[0][0], pole)]


def copies_on_map(points):
    """The points, shifted by a full turn where needed, for each copy that shows on the map."""
    lons = [lon for lon, _ in points]
    return [
        [(lon + offset, lat) for lon, lat in points]
        for offset in (-360, 0, 360)
        if min(lons) + offset < 180 and max(lons) + offset > -180
    ]


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def number_pair(dx, dy):
    """Deltas as SVG path numbers; a minus sign is its own separator."""
    text = str(dx)
    return text + (str(dy) if dy < 0 else f" {dy}")


def path_segment(points, close):
    """``M x y l dx dy …`` on the integer grid, without repeated points."""
    cells = []
    for lon, lat in points:
        cell = grid(lon, lat)
        if not cells or cell != cells[-1]:
            cells.append(cell)
    if close and len(cells) > 1 and cells[0] == cells[-1]:
        cells.pop()
    if len(cells) < (3 if close else 2):
        return ""
    start_x, start_y = cells[0]
    deltas = []
    for (x0, y0), (x1, y1) in zip(cells, cells[1:], strict=False):
        pair = number_pair(x1 - x0, y1 - y0)
        deltas.append(pair if not deltas or pair.startswith("-") else " " + pair)
    return f"M{start_x} {start_y}l" + "".join(deltas).lstrip() + ("z" if close else "")


def land_path(topology, arcs):
    segments = []
    for geometry in topology["objects"]["land"]["geometries"]:
        for polygon in polygons_of(geometry):
            for ring in polygon:
                ring = close_around_pole(unwrap(ring_points(arcs, ring)))
                segments.extend(path_segment(copy, close=True) for copy in copies_on_map(ring))
    return "".join(segments)


def borders_path(topology, arcs):
    """Arcs shared by two different countries: the land borders, each once."""
    users = {}
    for number, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        for polygon in polygons_of(geometry):
            for ring in polygon:
                for index in ring:
                    users.setdefault(index if index >= 0 else ~index, set()).add(number)
    shared = sorted(index for index, countries in users.items() if len(countries) > 1)
    return "".join(path_segment(copy, close=False) for index in shared for copy in copies_on_map(unwrap(arcs[index])))


def build(source: Path, output: Path, tolerance: float = 0):
    topology = json.loads(source.read_text())
    arcs = decode_arcs(topology)
    if tolerance:
        arcs = [simplified(arc, tolerance) for arc in arcs]
    width, height = 360 * UNITS_PER_DEGREE, 180 * UNITS_PER_DEGREE
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">\n'
        "<!-- Natural Earth 1:110m (public domain) via world-atlas 2.0.2 (ISC), see README. "
        "Equirectangular, tenths of a degree: x = (lon + 180) * 10, y = (90 - lat) * 10. "
        + (f"Arcs simplified to within {tolerance} degrees. " if tolerance else "")
        + "Built by scripts/build_world_map.py. -->\n"
        f'<path id="land" fill="#d3d9df" d="{land_path(topology, arcs)}"/>\n'
        f'<path id="borders" fill="none" stroke="#fff" d="{borders_path(topology, arcs)}"/>\n'
        "</svg>\n"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(svg)
    return len(svg.encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="world-atlas countries-110m.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    printed = args.output.with_stem(args.output.stem + PRINT_SUFFIX)
    for output, tolerance in ((args.output, 0), (printed, PRINT_TOLERANCE)):
        size = build(args.source, output, tolerance)
        print(f"Wrote {output} ({size} bytes)")


if __name__ == "__main__":
    main()
