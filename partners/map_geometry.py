"""Geometry and styling of the partner-city world map, drawn server-side as SVG.

The projection is equirectangular: simple, good enough for dots on a world
map, and it matches the shipped country outline (static/vendor/world/).
Colours live here rather than in CSS so a test can hold them to WCAG 1.4.11
(3:1 against the map's land and sea).
"""

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.contrib.staticfiles import finders

from .choices import Status

MAP_WIDTH = 1000
MAP_HEIGHT = 500
SCALE = MAP_WIDTH / 360
WORLD_OUTLINE = "vendor/world/world-110m.svg"
# The same outline with its arcs simplified to 0.1 mm at the council report's
# printed size (scripts/build_world_map.py): 40 % fewer points for WeasyPrint to
# parse and draw on every print.
PRINT_OUTLINE = "vendor/world/world-110m-print.svg"

SEA_COLOUR = "#f4f7fa"
LAND_COLOUR = "#d3d9df"
BORDER_COLOUR = "#ffffff"
LINE_COLOUR = "#5a6b7b"
HOME_COLOUR = "#a4161a"


@dataclass(frozen=True)
class MarkerStyle:
    shape: str
    colour: str


STATUS_STYLES = {
    Status.ACTIVE: MarkerStyle("circle", "#1a7f37"),
    Status.DORMANT: MarkerStyle("square", "#9a5b00"),
    Status.FROZEN: MarkerStyle("triangle", "#0b5cad"),
    Status.ENDED: MarkerStyle("cross", "#5c5c5c"),
}
UNKNOWN_STYLE = MarkerStyle("diamond", "#6a3d9a")
HOME_STYLE = MarkerStyle("star", HOME_COLOUR)

# Drawn first to last, so active partners end up on top where markers overlap.
DRAWING_ORDER = [Status.ENDED, Status.FROZEN, Status.DORMANT, Status.ACTIVE]


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def project(longitude, latitude) -> Point:
    """Map coordinates of a place: (0, 0) at the centre, (-180, 90) top left."""
    return Point(round((float(longitude) + 180) * SCALE, 1), round((90 - float(latitude)) * SCALE, 1))


def style_for(status) -> MarkerStyle:
    return STATUS_STYLES.get(status, UNKNOWN_STYLE)


def connection_path(start: Point, end: Point) -> str:
    """SVG path data for a gently bowed line, so lines to cities in the same
    direction stay apart and do not hide the land under a straight stroke."""
    dx, dy = end.x - start.x, end.y - start.y
    bend = 0.15
    control_x = (start.x + end.x) / 2 + dy * bend
    control_y = (start.y + end.y) / 2 - abs(dx) * bend
    return f"M{start.x} {start.y}Q{control_x:.1f} {control_y:.1f} {end.x} {end.y}"


@dataclass(frozen=True)
class WorldOutline:
    view_box: str
    land: str
    borders: str


@functools.cache
def world_outline(name: str = WORLD_OUTLINE) -> WorldOutline:
    """A shipped country outline (WORLD_OUTLINE or PRINT_OUTLINE), read once per process."""
    root = ET.parse(finders.find(name)).getroot()
    paths = {path.get("id"): path.get("d") for path in root.iter("{http://www.w3.org/2000/svg}path")}
    return WorldOutline(view_box=root.get("viewBox"), land=paths["land"], borders=paths["borders"])
