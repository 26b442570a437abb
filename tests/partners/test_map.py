"""The world map of partner cities: projection, markers, the text alternative,
the home city and a fixed number of queries."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from partners import map_geometry as geo
from partners.choices import Status
from partners.models import StatusChange
from tests.factories import CityFactory, PartnershipFactory, UserFactory

MAP_URL = reverse("partners:map")
HOME = "Frankfurt am Main"
# Session, user and roles of the signed-in request, then the home city and the partnerships.
MAX_QUERIES = 6  # session, user, roles, unread notifications, home city, partnerships


class Node:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children = []
        self.texts = []

    @property
    def text(self):
        return "".join(self.texts) + "".join(child.text for child in self.children)

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def find_all(self, tag=None, cls=None):
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                found.append(child)
            found.extend(child.find_all(tag, cls))
        return found

    def find(self, tag=None, cls=None):
        return self.find_all(tag, cls)[0]


class TreeBuilder(HTMLParser):
    """Just enough of an HTML tree to look inside the inline SVG."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.root = Node("document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].texts.append(data)


def parse(response):
    assert response.status_code == 200
    builder = TreeBuilder()
    builder.feed(response.content.decode())
    return builder.root


def map_of(document):
    return document.find("svg", "partner-map-svg")


def marker_titles(document):
    return [marker.find("title").text for marker in map_of(document).find_all("g", "map-marker")]


def table_rows(document):
    return [row.text for row in document.find("table", "map-table").find("tbody").find_all("tr")]


def partner(name, status="active", country="FR", latitude=45.0, longitude=5.0):
    city = CityFactory(name=name, country=country, latitude=latitude, longitude=longitude)
    return PartnershipFactory(status=status, partner_city=city)


def relative_luminance(colour):
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    lighter, darker = sorted([relative_luminance(one), relative_luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def office_client(client, db):
    client.force_login(UserFactory(role="oia_staff"))
    return client


@pytest.fixture
def home_city(settings, db):
    settings.OIA_HOME_CITY = HOME
    return CityFactory(name=HOME, country="DE", latitude=50.110924, longitude=8.682127)


# Projection


def test_the_origin_is_the_centre_of_the_map():
    assert geo.project(0, 0) == geo.Point(geo.MAP_WIDTH / 2, geo.MAP_HEIGHT / 2)


def test_the_north_west_corner_is_the_top_left_of_the_map():
    assert geo.project(-180, 90) == geo.Point(0, 0)


def test_the_south_east_corner_is_the_bottom_right_of_the_map():
    assert geo.project(180, -90) == geo.Point(geo.MAP_WIDTH, geo.MAP_HEIGHT)


def test_the_shipped_outline_covers_the_whole_map():
    outline = geo.world_outline()

    assert outline.view_box == "0 0 3600 1800"
    assert outline.land.startswith("M")
    assert outline.borders.startswith("M")


def test_the_outline_for_print_is_the_same_map_with_fewer_points():
    def points(outline):
        return len(re.findall(r"-?\d+", outline.land + outline.borders)) // 2

    full, printed = geo.world_outline(), geo.world_outline(geo.PRINT_OUTLINE)

    assert printed.view_box == full.view_box
    assert printed.land.startswith("M")
    assert printed.borders.startswith("M")
    assert points(printed) < 0.7 * points(full)


# Markers and the table


def test_every_partner_with_coordinates_gets_a_marker_titled_with_its_name(office_client):
    partner("Lyon", country="FR", latitude=45.76, longitude=4.84)
    partner("Kraków", country="PL", latitude=50.06, longitude=19.94)
    partner("Guangzhou", country="CN", latitude=23.13, longitude=113.26)

    titles = marker_titles(parse(office_client.get(MAP_URL)))

    assert sorted(titles) == ["Guangzhou, China: Active", "Kraków, Poland: Active", "Lyon, France: Active"]


def test_each_status_has_its_own_shape_and_legend_entry(office_client):
    for status in Status:
        partner(f"City {status}", status=status)

    document = parse(office_client.get(MAP_URL))

    shapes = {
        marker.attrs["data-status"]: marker.attrs["data-shape"] for marker in document.find_all("g", "map-marker")
    }
    assert shapes.keys() == set(Status.values)
    assert len(set(shapes.values())) == len(Status)
    legend = document.find("ul", "map-legend").text
    for status in Status:
        assert str(status.label) in legend


def test_a_partner_without_coordinates_is_listed_but_not_drawn(office_client):
    partner("Lyon")
    partner("Atlantis", latitude=None, longitude=None)

    document = parse(office_client.get(MAP_URL))

    assert marker_titles(document) == ["Lyon, France: Active"]
    rows = table_rows(document)
    assert len(rows) == 2
    atlantis = next(row for row in rows if "Atlantis" in row)
    assert "no coordinates" in atlantis
    assert "no coordinates" not in next(row for row in rows if "Lyon" in row)


def test_the_table_links_every_partner_to_its_page(office_client):
    lyon = partner("Lyon")
    atlantis = partner("Atlantis", status="ended", latitude=None, longitude=None)

    document = parse(office_client.get(MAP_URL))

    links = {a.text: a.attrs["href"] for a in document.find("table", "map-table").find_all("a")}
    assert links == {
        "Lyon": reverse("partners:partnership-detail", args=[lyon.pk]),
        "Atlantis": reverse("partners:partnership-detail", args=[atlantis.pk]),
    }


def test_a_partnership_without_any_status_is_still_drawn(office_client):
    StatusChange.objects.filter(partnership=partner("Lyon")).delete()

    document = parse(office_client.get(MAP_URL))

    assert marker_titles(document) == ["Lyon, France: No status recorded"]
    assert "No status recorded" in document.find("ul", "map-legend").text


def test_the_home_city_gets_a_marker_and_a_line_to_each_drawn_partner(office_client, home_city):
    partner("Lyon")
    partner("Kraków", country="PL", latitude=50.06, longitude=19.94)
    partner("Atlantis", latitude=None, longitude=None)

    svg = map_of(parse(office_client.get(MAP_URL)))

    home = svg.find_all("g", "map-home")
    assert [marker.find("title").text for marker in home] == ["Frankfurt am Main (home city)"]
    assert home[0].attrs["data-shape"] not in {style.shape for style in geo.STATUS_STYLES.values()}
    home_point = geo.project(home_city.longitude, home_city.latitude)
    lines = svg.find_all("path", "map-line")
    assert len(lines) == 2
    assert all(line.attrs["d"].startswith(f"M{home_point.x} {home_point.y}Q") for line in lines)


def test_without_the_home_city_as_a_city_there_is_no_home_marker_and_no_lines(office_client, settings):
    settings.OIA_HOME_CITY = HOME
    partner("Lyon")

    svg = map_of(parse(office_client.get(MAP_URL)))

    assert not svg.find_all("g", "map-home")
    assert not svg.find_all("path", "map-line")
    assert len(svg.find_all("g", "map-marker")) == 1


def test_coordinates_are_not_localised_in_german(office_client):
    partner("Lyon", latitude=45.76, longitude=4.84)

    document = parse(office_client.get(MAP_URL, headers={"accept-language": "de"}))

    assert document.find("html").attrs["lang"] == "de"
    marker = map_of(document).find("g", "map-marker")
    expected = geo.project(4.84, 45.76)
    assert marker.attrs["transform"] == f"translate({expected.x} {expected.y})"


def test_the_map_is_an_image_named_by_its_title_and_description(office_client):
    partner("Lyon")

    svg = map_of(parse(office_client.get(MAP_URL)))

    assert svg.attrs["role"] == "img"
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    assert svg.find("title").attrs["id"] == title_id
    assert svg.find("desc").attrs["id"] == desc_id
    assert "1 of 1 partner city" in svg.find("desc").text


@pytest.mark.parametrize("partner_count", [1, 100])
def test_the_number_of_queries_does_not_grow_with_the_partners(
    office_client, home_city, django_assert_max_num_queries, partner_count
):
    for number in range(partner_count):
        partner(f"Partner {number}", status=list(Status)[number % len(Status)], latitude=number % 80)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = office_client.get(MAP_URL)

    assert len(marker_titles(parse(response))) == partner_count


# Colours


@pytest.mark.parametrize(
    "style", [*geo.STATUS_STYLES.values(), geo.UNKNOWN_STYLE, geo.HOME_STYLE], ids=lambda style: style.shape
)
@pytest.mark.parametrize("background", [geo.SEA_COLOUR, geo.LAND_COLOUR], ids=["sea", "land"])
def test_markers_stand_out_from_land_and_sea(style, background):
    assert contrast(style.colour, background) >= 3


def test_the_lines_stand_out_from_land_and_sea():
    assert contrast(geo.LINE_COLOUR, geo.SEA_COLOUR) >= 3
    assert contrast(geo.LINE_COLOUR, geo.LAND_COLOUR) >= 3
