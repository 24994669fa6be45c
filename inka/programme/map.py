"""The map of Thuringia: district boundaries and sites as inline SVG, in pure Python.

The boundaries come from BKG's VG5000 (see data/thueringen-kreise.LICENSE.md for the licence and
the attribution the map must show). The map is small (about 2,400 vertices), so a plain
equirectangular projection and ray casting are precise and fast enough; no GIS library needed.
"""

import bisect
import json
import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

DATA_DIR = Path(__file__).parent / "data"
GEOJSON_PATH = DATA_DIR / "thueringen-kreise.geojson"

MAP_WIDTH = 600.0
MAP_PADDING = 8.0
SITE_RADIUS = 5.0

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, closed or not
Polygon = tuple[Ring, ...]  # exterior ring first, then holes
Box = tuple[float, float, float, float]  # left, top, right, bottom (SVG units)


@dataclass(frozen=True)
class MapPoint:
    """A site to draw: where it is and where its marker links to.

    A coloured map (the programme dashboard) gives each site the `fill` of its value class
    ("#rrggbb") and the value as text for the marker's title.
    """

    code: str
    name: str
    url: str
    latitude: float | Decimal
    longitude: float | Decimal
    status: str = "active"
    fill: str = ""
    value_label: str = ""

    def __post_init__(self) -> None:
        if self.fill and not _COLOUR.fullmatch(self.fill):
            raise ValueError(f"fill must be a colour like #1a2b3c, got {self.fill!r}")


_COLOUR = re.compile(r"#[0-9a-f]{6}")


@dataclass(frozen=True)
class MapDistrict:
    key: str
    name: str
    d: str
    label_x: float
    label_y: float
    has_site: bool


@dataclass(frozen=True)
class MapSite:
    x: float
    y: float
    code: str
    name: str
    url: str
    status: str
    label_x: float
    label_y: float
    label_anchor: str  # SVG text-anchor: start, middle or end
    fill: str = ""
    value_label: str = ""


@dataclass(frozen=True)
class ThuringiaMap:
    view_box: str
    width: float
    height: float
    districts: tuple[MapDistrict, ...]
    points: tuple[MapSite, ...]


@dataclass(frozen=True)
class _District:
    key: str
    name: str
    kind: str
    polygons: tuple[Polygon, ...]


# --- Loading -------------------------------------------------------------------------------


@cache
def load_geojson() -> dict[str, Any]:
    """The raw GeoJSON feature collection of the 22 districts (read once per process)."""
    with GEOJSON_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def _polygons(geometry: dict[str, Any]) -> tuple[Polygon, ...]:
    if geometry["type"] == "Polygon":
        parts = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']!r}")
    return tuple(
        tuple(tuple((float(lon), float(lat)) for lon, lat, *_ in ring) for ring in polygon)
        for polygon in parts
    )


@cache
def _districts() -> tuple[_District, ...]:
    return tuple(
        _District(
            key=feature["properties"]["ags"],
            name=feature["properties"]["name"],
            kind=feature["properties"]["type"],
            polygons=_polygons(feature["geometry"]),
        )
        for feature in load_geojson()["features"]
    )


# --- Geometry ------------------------------------------------------------------------------


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    """Ray casting (even-odd rule) for one ring."""
    inside = False
    count = len(ring)
    j = count - 1
    for i in range(count):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_polygon(x: float, y: float, polygon: Polygon) -> bool:
    exterior, *holes = polygon
    return _in_ring(x, y, exterior) and not any(_in_ring(x, y, hole) for hole in holes)


def district_key_at(longitude: float, latitude: float) -> str | None:
    """The official key (AGS) of the district that contains the point, or None outside Thuringia."""
    lon, lat = float(longitude), float(latitude)
    for district in _districts():
        if any(_in_polygon(lon, lat, polygon) for polygon in district.polygons):
            return district.key
    return None


def _ring_area_and_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace formula)."""
    area = cx = cy = 0.0
    count = len(ring)
    for i in range(count):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % count]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / count, sum(ys) / count
    return area, cx / (6 * area), cy / (6 * area)


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


_DISTRICT_CHAR_WIDTH = 3.9  # 7px district labels, roughly
_DISTRICT_LABEL_HEIGHT = 7.0


def _district_label_box(x: float, y: float, name: str) -> Box:
    """Bounding box of a district label centred on x with its baseline at y + 2.5."""
    half = len(name) * _DISTRICT_CHAR_WIDTH / 2
    return (x - half, y - _DISTRICT_LABEL_HEIGHT / 2, x + half, y + _DISTRICT_LABEL_HEIGHT / 2)


def _crossings(polygon: Polygon, y: float) -> list[float]:
    """Sorted x positions where the horizontal line at y crosses the polygon's rings."""
    xs = []
    for ring in polygon:
        count = len(ring)
        for i in range(count):
            (x0, y0), (x1, y1) = ring[i - 1], ring[i]
            if (y0 > y) != (y1 > y):
                xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return sorted(xs)


def _label_candidates_in(polygon: Polygon, name: str, limit: int = 40) -> tuple[tuple[float, float], ...]:
    """Label centres inside a projected polygon, best first.

    The best candidates keep the whole label inside the polygon and lie far from its edges and
    close to its centroid; `thuringia_map` takes the first one that no site marker covers. A grid
    with scanline tests keeps this fast (it runs once per process).
    """
    exterior = polygon[0]
    _, cx, cy = _ring_area_and_centroid(exterior)
    xs = [x for x, _ in exterior]
    ys = [y for _, y in exterior]
    step, cap = 4.0, 12.0
    half_height = _DISTRICT_LABEL_HEIGHT / 2
    segments = [(*ring[i - 1], *ring[i]) for ring in polygon for i in range(len(ring))]
    crossing_cache: dict[float, list[float]] = {}

    def inside(x: float, y: float) -> bool:
        y = round(y, 3)
        if y not in crossing_cache:
            crossing_cache[y] = _crossings(polygon, y)
        return bisect.bisect_left(crossing_cache[y], x) % 2 == 1

    scored = []
    y = min(ys) + step / 2
    while y < max(ys):
        near = [seg for seg in segments if min(seg[1], seg[3]) - cap <= y <= max(seg[1], seg[3]) + cap]
        x = min(xs) + step / 2
        while x < max(xs):
            if inside(x, y):
                left, _, right, _ = _district_label_box(x, y, name)
                fits = all(
                    inside(px, py) for px in (left, right) for py in (y - half_height, y, y + half_height)
                )
                clearance = cap
                for ax, ay, bx, by in near:
                    if min(ax, bx) - cap <= x <= max(ax, bx) + cap:
                        clearance = min(clearance, _segment_distance(x, y, ax, ay, bx, by))
                scored.append((not fits, -clearance + 0.08 * math.hypot(x - cx, y - cy), x, y))
            x += step
        y += step
    scored.sort()
    chosen: list[tuple[float, float]] = []
    for _, _, x, y in scored:
        if all(math.hypot(x - ox, y - oy) >= 2 * step for ox, oy in chosen):
            chosen.append((round(x, 1), round(y, 1)))
        if len(chosen) == limit:
            break
    return tuple(chosen) or ((round(cx, 1), round(cy, 1)),)


# --- Projection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Projection:
    min_lon: float
    max_lat: float
    scale: float
    x_factor: float
    width: float
    height: float

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = MAP_PADDING + (longitude - self.min_lon) * self.x_factor * self.scale
        y = MAP_PADDING + (self.max_lat - latitude) * self.scale
        return x, y


@cache
def _projection() -> _Projection:
    """Equirectangular projection, x scaled by cos(mean latitude), fitted to MAP_WIDTH."""
    lons: list[float] = []
    lats: list[float] = []
    for district in _districts():
        for polygon in district.polygons:
            for lon, lat in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    x_factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = (MAP_WIDTH - 2 * MAP_PADDING) / ((max(lons) - min(lons)) * x_factor)
    height = math.ceil((max(lats) - min(lats)) * scale + 2 * MAP_PADDING)
    return _Projection(min(lons), max(lats), scale, x_factor, MAP_WIDTH, float(height))


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _path(polygons: Sequence[Polygon], project: _Projection) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            coordinates: list[str] = []
            for x, y in points:
                pair = f"{_fmt(x)},{_fmt(y)}"
                if not coordinates or coordinates[-1] != pair:
                    coordinates.append(pair)
            parts.append("M" + " L".join(coordinates) + " Z")
    return " ".join(parts)


@dataclass(frozen=True)
class _ProjectedDistrict:
    key: str
    name: str
    d: str
    area: float
    label_candidates: tuple[tuple[float, float], ...]


@cache
def _projected_districts() -> tuple[_ProjectedDistrict, ...]:
    """District paths and label candidates; independent of the sites, so computed once."""
    project = _projection()
    result = []
    for district in _districts():
        projected = [
            tuple(tuple(project(lon, lat) for lon, lat in ring) for ring in p) for p in district.polygons
        ]
        largest = max(projected, key=lambda polygon: abs(_ring_area_and_centroid(polygon[0])[0]))
        result.append(
            _ProjectedDistrict(
                key=district.key,
                name=district.name,
                d=_path(district.polygons, project),
                area=abs(_ring_area_and_centroid(largest[0])[0]),
                label_candidates=_label_candidates_in(largest, district.name),
            )
        )
    return tuple(result)


# --- Site labels ---------------------------------------------------------------------------

_CHAR_WIDTH = 5.6  # bold 8px capitals, roughly
_LABEL_HEIGHT = 8.0
_GAP = SITE_RADIUS + 2.0


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# Label offsets around a marker, in order of preference: (dx, dy of the label's centre, anchor).
_LABEL_OFFSETS = (
    (_GAP, 0.0, "start"),
    (-_GAP, 0.0, "end"),
    (0.0, -_GAP - _LABEL_HEIGHT / 2, "middle"),
    (0.0, _GAP + _LABEL_HEIGHT / 2, "middle"),
    (_GAP * 0.8, -_GAP, "start"),
    (-_GAP * 0.8, -_GAP, "end"),
    (_GAP * 0.8, _GAP, "start"),
    (-_GAP * 0.8, _GAP, "end"),
)


def _label_candidates(x: float, y: float, text: str) -> list[tuple[float, float, str, Box]]:
    """Candidate label positions: (x, baseline y, text-anchor, bounding box)."""
    width = len(text) * _CHAR_WIDTH
    candidates = []
    for dx, dy, anchor in _LABEL_OFFSETS:
        lx, cy = x + dx, y + dy
        left = {"start": lx, "end": lx - width, "middle": lx - width / 2}[anchor]
        box = (left, cy - _LABEL_HEIGHT / 2, left + width, cy + _LABEL_HEIGHT / 2)
        candidates.append((lx, cy + _LABEL_HEIGHT * 0.35, anchor, box))
    return candidates


def _marker_box(x: float, y: float, margin: float = 1.0) -> Box:
    return (
        x - SITE_RADIUS - margin,
        y - SITE_RADIUS - margin,
        x + SITE_RADIUS + margin,
        y + SITE_RADIUS + margin,
    )


def _place_district_labels(
    districts: Sequence[_ProjectedDistrict], marker_boxes: Sequence[Box]
) -> dict[str, tuple[float, float]]:
    """Each district's label centre: its first candidate that covers no marker and no other
    district label (small districts choose first, they have the fewest candidates)."""
    placed: list[Box] = []
    result = {}
    for district in sorted(districts, key=lambda district: district.area):
        best: tuple[int, int] | None = None
        chosen = district.label_candidates[0]
        for index, (x, y) in enumerate(district.label_candidates):
            box = _district_label_box(x, y, district.name)
            score = (sum(_overlaps(box, other) for other in [*marker_boxes, *placed]), index)
            if best is None or score < best:
                best, chosen = score, (x, y)
            if score[0] == 0:
                break
        placed.append(_district_label_box(*chosen, district.name))
        result[district.key] = chosen
    return result


def _place_site_labels(
    markers: Sequence[tuple[float, float, str]], obstacles: Sequence[Box], width: float, height: float
) -> list[tuple[float, float, str]]:
    """Greedy label placement next to each marker: the first candidate that overlaps no marker, no
    placed label and no district label and stays inside the map; else the least bad one."""
    marker_boxes = [_marker_box(x, y, margin=0) for x, y, _ in markers]
    placed: list[Box] = []
    result = []
    for x, y, text in markers:
        best: tuple[int, int] | None = None
        chosen = None
        for index, (lx, ly, anchor, box) in enumerate(_label_candidates(x, y, text)):
            outside = box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height
            collisions = (
                3 * sum(_overlaps(box, other) for other in [*marker_boxes, *placed])
                + sum(_overlaps(box, other) for other in obstacles)
                + 10 * outside
            )
            score = (collisions, index)
            if best is None or score < best:
                best, chosen = score, (lx, ly, anchor, box)
            if collisions == 0:
                break
        assert chosen is not None
        lx, ly, anchor, box = chosen
        placed.append(box)
        result.append((round(lx, 1), round(ly, 1), anchor))
    return result


# --- The map -------------------------------------------------------------------------------


def thuringia_map(
    points: Iterable[MapPoint], *, highlight_districts: Iterable[str] = frozenset()
) -> ThuringiaMap:
    """Everything `programme/_map.html` needs to draw the districts and the given sites.

    A district is marked as having a site when one of the points lies in it or when its key is in
    `highlight_districts` (e.g. the districts of sites without coordinates).
    """
    project = _projection()
    points = list(points)
    highlighted = set(highlight_districts)
    projected = []
    for point in points:
        lon, lat = float(point.longitude), float(point.latitude)
        key = district_key_at(lon, lat)
        if key:
            highlighted.add(key)
        x, y = project(lon, lat)
        projected.append((round(x, 1), round(y, 1), point.code))

    projected_districts = _projected_districts()
    district_labels = _place_district_labels(
        projected_districts, [_marker_box(x, y) for x, y, _ in projected]
    )
    district_boxes = [
        _district_label_box(*district_labels[district.key], district.name) for district in projected_districts
    ]
    site_labels = _place_site_labels(projected, district_boxes, project.width, project.height)

    sites = tuple(
        MapSite(
            x=x,
            y=y,
            code=point.code,
            name=point.name,
            url=point.url,
            status=point.status,
            label_x=label_x,
            label_y=label_y,
            label_anchor=anchor,
            fill=point.fill,
            value_label=point.value_label,
        )
        for point, (x, y, _), (label_x, label_y, anchor) in zip(points, projected, site_labels, strict=True)
    )
    districts = tuple(
        MapDistrict(
            key=district.key,
            name=district.name,
            d=district.d,
            label_x=district_labels[district.key][0],
            # The label is centred on the candidate point: its baseline lies a bit below.
            label_y=round(district_labels[district.key][1] + _DISTRICT_LABEL_HEIGHT * 0.35, 1),
            has_site=district.key in highlighted,
        )
        for district in projected_districts
    )
    return ThuringiaMap(
        view_box=f"0 0 {_fmt(project.width)} {_fmt(project.height)}",
        width=project.width,
        height=project.height,
        districts=districts,
        points=sites,
    )


# --- Colouring the sites by a value ----------------------------------------------------------

# Five sequential classes, light to dark (viridis): distinguishable with the common colour vision
# deficiencies and ordered in lightness, so a print in grey keeps the order. Sites without a
# comparable figure are drawn hollow (white).
CLASS_COLOURS = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
NO_CLASS_COLOUR = "#ffffff"


Value = int | float | Decimal
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ValueClass:
    """One class of the legend: its colour and the smallest and largest value in it."""

    colour: str
    low: Value
    high: Value


def value_classes(
    values: Mapping[K, Value], *, colours: Sequence[str] = CLASS_COLOURS
) -> tuple[dict[K, str], tuple[ValueClass, ...]]:
    """Quantile classes: each key's colour, and the classes that occur (lowest first).

    A value's class is its share of smaller values, so classes hold about equally many sites and
    equal values always share a class; with fewer different values than colours the classes used
    spread over the scale (two sites: the lightest and the middle colour).
    """
    ordered = sorted(values.values())
    count = len(ordered)
    colour_of: dict[K, str] = {}
    ranges: dict[int, list[Value]] = {}
    for key, value in values.items():
        index = len(colours) * bisect.bisect_left(ordered, value) // count
        colour_of[key] = colours[index]
        ranges.setdefault(index, []).append(value)
    classes = tuple(
        ValueClass(colours[index], min(found), max(found)) for index, found in sorted(ranges.items())
    )
    return colour_of, classes
