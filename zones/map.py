"""The zone map: Pakistan's provinces as SVG path data, and zones placed on them as markers.

Drawn on the server from Natural Earth boundaries shipped in zones/data (see its README), so the
public pages need no tile server, no script and nothing from elsewhere (CSP stays 'self').
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from .choices import ZoneStatus

BOUNDARIES = Path(__file__).resolve().parent / "data" / "pakistan-admin1.geojson"

# The SVG's user units: a fixed width, the height follows the country's shape.
VIEW_WIDTH = 1000
PADDING = 24

# What a map marker needs from a zone; views load only these (one query, no annotations).
MAP_ZONE_FIELDS = ("name", "name_ur", "slug", "city", "province", "status", "latitude", "longitude")


@dataclass(frozen=True)
class Province:
    name: str
    code: str
    path: str
    # (min x, min y, max x, max y) of the drawn shape, in SVG units.
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Marker:
    zone: Any
    x: float
    y: float
    highlighted: bool


@dataclass(frozen=True)
class ZoneMap:
    """Everything the _zone_map partial draws: the frame, the provinces, the zones."""

    width: int
    height: int
    provinces: tuple[Province, ...]
    markers: tuple[Marker, ...]
    # Zones without coordinates, or outside the map: listed in words, never drawn.
    not_drawn: tuple[Any, ...]
    highlighted: Any

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(status, label) of every status drawn, in rollout order."""
        drawn = {marker.zone.status for marker in self.markers}
        return [(value, label) for value, label in ZoneStatus.choices if value in drawn]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=1)
def _features() -> tuple[dict, ...]:
    with BOUNDARIES.open(encoding="utf-8") as handle:
        return tuple(json.load(handle)["features"])


@lru_cache(maxsize=1)
def bounds() -> tuple[float, float, float, float]:
    """(west, south, east, north) of the boundary data, in degrees."""
    points = [
        point for feature in _features() for ring in _rings(feature["geometry"]) for point in ring
    ]
    lons = [point[0] for point in points]
    lats = [point[1] for point in points]
    return min(lons), min(lats), max(lons), max(lats)


@lru_cache(maxsize=1)
def _frame() -> tuple[float, float, int]:
    """(x scale, scale to SVG units, SVG height) of the equirectangular projection."""
    west, south, east, north = bounds()
    # Equirectangular with the x axis shrunk by cos(mid-latitude): shapes keep their
    # proportions at Pakistan's latitudes, and the sums stay simple enough to test by hand.
    x_scale = math.cos(math.radians((south + north) / 2))
    scale = (VIEW_WIDTH - 2 * PADDING) / ((east - west) * x_scale)
    height = math.ceil((north - south) * scale + 2 * PADDING)
    return x_scale, scale, height


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """SVG (x, y) of a point: west to east is left to right, north is up."""
    west, _south, _east, north = bounds()
    x_scale, scale, _height = _frame()
    x = PADDING + (longitude - west) * x_scale * scale
    y = PADDING + (north - latitude) * scale
    return round(x, 1), round(y, 1)


def view_size() -> tuple[int, int]:
    return VIEW_WIDTH, _frame()[2]


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The provinces as SVG path data, computed once per process."""
    shapes = []
    for feature in _features():
        parts, xs, ys = [], [], []
        for ring in _rings(feature["geometry"]):
            points = [project(lon, lat) for lon, lat in ring]
            xs += [x for x, _ in points]
            ys += [y for _, y in points]
            parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in points) + " Z")
        shapes.append(
            Province(
                name=feature["properties"]["name"],
                code=feature["properties"]["iso_3166_2"],
                path=" ".join(parts),
                box=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return tuple(shapes)


def _degrees(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def position(zone: Any) -> tuple[float, float] | None:
    """Where a zone is drawn, or None when it has no coordinates or lies outside the map."""
    latitude, longitude = _degrees(zone.latitude), _degrees(zone.longitude)
    if latitude is None or longitude is None:
        return None
    west, south, east, north = bounds()
    if not (west <= longitude <= east and south <= latitude <= north):
        return None
    return project(longitude, latitude)


def zone_map(zones: Iterable[Any], highlight: Any = None) -> ZoneMap:
    """The map of these zones; with highlight (a zone), only that zone stands out."""
    markers, not_drawn = [], []
    highlight_pk = getattr(highlight, "pk", None)
    for zone in zones:
        point = position(zone)
        if point is None:
            not_drawn.append(zone)
            continue
        is_highlighted = highlight_pk is not None and zone.pk == highlight_pk
        markers.append(Marker(zone=zone, x=point[0], y=point[1], highlighted=is_highlighted))
    # The highlighted marker last, so no other marker is drawn over it.
    markers.sort(key=lambda marker: marker.highlighted)
    width, height = view_size()
    return ZoneMap(
        width=width,
        height=height,
        provinces=provinces(),
        markers=tuple(markers),
        not_drawn=tuple(not_drawn),
        highlighted=highlight,
    )
