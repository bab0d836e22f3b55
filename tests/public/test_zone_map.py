"""The server-drawn zone map on the home page, the zone list and a zone's page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ZoneFactory
from zones import map as zone_map_module

pytestmark = pytest.mark.django_db


def marker_links(html):
    """The hrefs of the map's marker links (the <a> elements inside the SVG)."""
    svg = re.search(r"<svg class=\"zone-map-svg\".*?</svg>", html, re.S).group(0)
    return re.findall(r'<a class="map-marker[^"]*" href="([^"]+)"', svg), svg


def test_projection_puts_the_corners_inside_the_view_box():
    west, south, east, north = zone_map_module.bounds()
    width, height = zone_map_module.view_size()
    for lon, lat in [(west, south), (west, north), (east, south), (east, north)]:
        x, y = zone_map_module.project(lon, lat)
        assert 0 <= x <= width
        assert 0 <= y <= height
    # North is up, west is left.
    assert zone_map_module.project(west, north)[1] < zone_map_module.project(west, south)[1]
    assert zone_map_module.project(west, north)[0] < zone_map_module.project(east, north)[0]


def test_karachi_falls_inside_sindh():
    provinces = {province.code: province for province in zone_map_module.provinces()}
    assert len(provinces) == 7
    x, y = zone_map_module.project(67.0011, 24.8607)
    min_x, min_y, max_x, max_y = provinces["PK-SD"].box
    assert min_x <= x <= max_x and min_y <= y <= max_y
    min_x, min_y, max_x, max_y = provinces["PK-GB"].box
    assert not (min_x <= x <= max_x and min_y <= y <= max_y)


def test_zones_without_coordinates_or_off_the_map_are_not_drawn():
    class Stub:
        def __init__(self, pk, lat, lon):
            self.pk, self.latitude, self.longitude, self.status = pk, lat, lon, "approved"

    drawn = Stub(1, Decimal("24.86"), Decimal("67.0"))
    result = zone_map_module.zone_map(
        [drawn, Stub(2, None, None), Stub(3, Decimal("-6.2"), Decimal("106.8")), Stub(4, "x", 1)]
    )
    assert [marker.zone.pk for marker in result.markers] == [1]
    assert [zone.pk for zone in result.not_drawn] == [2, 3, 4]


@pytest.fixture
def zones(db):
    karachi = ZoneFactory(name="Karachi Technology Zone", slug="karachi-tz", status="operational")
    lahore = ZoneFactory(
        name="Lahore Technology Park",
        slug="lahore-tp",
        city="Lahore",
        province="Punjab",
        latitude=Decimal("31.5204"),
        longitude=Decimal("74.3587"),
        status="approved",
    )
    nowhere = ZoneFactory(
        name="Gwadar Digital Zone", slug="gwadar-dz", latitude=None, longitude=None
    )
    return karachi, lahore, nowhere


@pytest.mark.parametrize("url", ["/", "/zones/"])
def test_pages_draw_each_zone_as_a_link_and_list_it(client, zones, url):
    karachi, lahore, nowhere = zones
    html = client.get(url).text
    links, svg = marker_links(html)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert sorted(links) == sorted([karachi.get_absolute_url(), lahore.get_absolute_url()])
    assert "<title>Sindh</title>" in svg
    # The list for screen readers: name, city and status in words.
    assert 'class="map-list"' in html
    assert ">Lahore Technology Park</a>, Lahore: Approved" in html
    assert ">Karachi Technology Zone</a>, Karachi: Operational" in html
    # Listed, never drawn.
    assert nowhere.get_absolute_url() not in svg
    assert ">Gwadar Digital Zone</a>" in html.split("Not on the map")[1]
    # The legend says each drawn status in words.
    legend = html.split('class="legend map-legend"')[1].split("</ul>")[0]
    assert "Operational" in legend and "Approved" in legend


def test_zone_page_highlights_only_its_zone(client, zones):
    karachi, lahore, _ = zones
    html = client.get(karachi.get_absolute_url()).text
    links, svg = marker_links(html)
    assert links == [karachi.get_absolute_url()]
    assert svg.count("is-highlighted") == 1
    assert lahore.get_absolute_url() not in svg


def test_zone_without_coordinates_page_says_it_is_not_on_the_map(client, zones):
    _, _, nowhere = zones
    html = client.get(nowhere.get_absolute_url()).text
    links, _ = marker_links(html)
    assert links == []
    assert "Not on the map" in html


def test_zone_names_are_escaped_on_the_map(client, db):
    ZoneFactory(name="<script>alert(1)</script> Zone", slug="evil")
    for url in ["/", "/zones/", reverse("public:zone-detail", kwargs={"slug": "evil"})]:
        html = client.get(url).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Zone" in html


def test_filtered_list_maps_only_matching_zones(client, zones):
    _, lahore, _ = zones
    links, _ = marker_links(client.get("/zones/", {"province": "Punjab"}).text)
    assert links == [lahore.get_absolute_url()]


def test_map_query_counts(client, zones, django_assert_max_num_queries):
    for number in range(10):
        ZoneFactory(name=f"Zone {number}")
    # The home page's map is one query over every programme zone (13 before plus one).
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200
    # The list's map reuses the page of zones; the zone page's map draws the zone it has.
    with django_assert_max_num_queries(5):
        assert client.get("/zones/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(zones[0].get_absolute_url()).status_code == 200


def test_overdue_target_is_marked_in_words(client, db):
    import datetime

    from tests.factories import TargetFactory

    TargetFactory(
        name="Zones opened by 2020",
        metric="zones_operational",
        target_value=Decimal("50"),
        start_date=datetime.date(2019, 1, 1),
        due_date=datetime.date(2020, 12, 31),
    )
    html = client.get("/").text
    assert "badge-overdue" in html
    assert "overdue since" in html
