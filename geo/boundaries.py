"""Municipality boundaries as compact SVG paths (docs/decisions/0033-municipality-map.md). Pure Python.

Reads GeoJSON (PDOK's OGC API or WFS output, a FeatureCollection) or TopoJSON (a Topology), in RD New
(EPSG:28992, metres) or WGS84 (degrees), projects every point into one map frame, simplifies the lines and writes
each municipality's rings as the ``d`` of an SVG path.

The map frame: hectometres, x to the east, y to the south (SVG's direction). RD New is already a planar projection
of the Netherlands, so RD coordinates are used as they are (x / 100, (625 000 - y) / 100). WGS84 coordinates go
through a simple equirectangular projection anchored at RD's origin (longitude scaled by cos 52°), close enough to RD at
the scale of a country map; one import uses one projection for every municipality, so they always fit together.

Simplification: coordinates are rounded to whole hectometres (100 m), then Douglas-Peucker with a tolerance in
hectometres. TopoJSON is simplified per arc, so two neighbours keep exactly the same shared border; GeoJSON per
ring."""

from __future__ import annotations

import math
from dataclasses import dataclass

RD_TOP = 625_000  # metres: north of the northernmost RD y of the Netherlands
# RD's origin, the tower of Amersfoort: RD (155 000, 463 000) is 5.38721° E, 52.15517° N. The equirectangular
# projection of WGS84 is anchored there, so its frame lies close to RD's (within a few kilometres at the borders).
AMERSFOORT_RD = (155_000, 463_000)
AMERSFOORT_WGS84 = (5.38721, 52.15517)
HM_PER_DEGREE_LAT = 1111.95  # hectometres per degree of latitude
HM_PER_DEGREE_LON = HM_PER_DEGREE_LAT * math.cos(math.radians(52))

CODE_KEYS = ("statcode", "gemeentecode", "code", "GM_CODE", "gm_code")
DEFAULT_TOLERANCE = 2.0  # hectometres


class BoundaryError(ValueError):
    """The input is not a boundary file this module reads; the message says why (Dutch, for the command)."""


@dataclass(frozen=True)
class Shape:
    code: str  # CBS code, GMxxxx
    path: str
    min_x: int
    min_y: int
    max_x: int
    max_y: int


def project_rd(x: float, y: float) -> tuple[float, float]:
    return x / 100, (RD_TOP - y) / 100


def project_wgs84(lon: float, lat: float) -> tuple[float, float]:
    x0, y0 = project_rd(*AMERSFOORT_RD)
    lon0, lat0 = AMERSFOORT_WGS84
    return x0 + (lon - lon0) * HM_PER_DEGREE_LON, y0 + (lat0 - lat) * HM_PER_DEGREE_LAT


def guess_projection(x: float, y: float):
    """RD metres are in the thousands, degrees are not."""
    return project_rd if abs(x) > 1000 or abs(y) > 1000 else project_wgs84


def simplify(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Douglas-Peucker, iterative, keeping the first and last point; drops repeated points first."""
    pts = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if len(pts) <= 2 or tolerance <= 0:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = pts[first], pts[last]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = pts[i]
            if norm == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                d2 = cross * cross / norm
            if d2 > worst:
                worst, index = d2, i
        if index > 0 and worst > tol2:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(pts, keep, strict=True) if k]


def _round(points) -> list[tuple[int, int]]:
    return [(round(x), round(y)) for x, y in points]


def _ring_path(ring: list[tuple[int, int]]) -> str:
    """``M x y l dx dy ... z``: absolute start, relative steps, closed."""
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    x0, y0 = ring[0]
    parts = [f"M{x0} {y0}l"]
    px, py = x0, y0
    steps = []
    for x, y in ring[1:]:
        steps.append(f"{x - px} {y - py}")
        px, py = x, y
    parts.append(" ".join(steps))
    parts.append("z")
    return "".join(parts)


def _shape(code: str, rings: list[list[tuple[int, int]]]) -> Shape | None:
    rings = [r for r in rings if len({*r}) >= 3]
    if not rings:
        return None
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return Shape(code, "".join(_ring_path(r) for r in rings), min(xs), min(ys), max(xs), max(ys))


def _code(properties: dict | None) -> str:
    properties = properties or {}
    for key in CODE_KEYS:
        value = str(properties.get(key) or "").strip()
        if value:
            return value if value.upper().startswith("GM") else f"GM{int(value):04d}" if value.isdigit() else value
    return ""


def _polygons(geometry: dict) -> list[list]:
    kind = (geometry or {}).get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return geometry["coordinates"]
    return []


def from_geojson(data: dict, tolerance: float = DEFAULT_TOLERANCE) -> list[Shape]:
    """Shapes of a GeoJSON FeatureCollection whose features carry a CBS code (``statcode`` on PDOK)."""
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise BoundaryError("Geen GeoJSON FeatureCollection.")
    project = None
    shapes: dict[str, list] = {}
    for feature in features:
        code = _code(feature.get("properties"))
        polygons = _polygons(feature.get("geometry"))
        if not code or not polygons:
            continue
        if project is None:
            x, y = polygons[0][0][0][:2]
            project = guess_projection(x, y)
        for polygon in polygons:
            for ring in polygon:
                points = _round(project(p[0], p[1]) for p in ring)
                simple = simplify(points, tolerance)
                shapes.setdefault(code, []).append(simple if len(set(simple)) >= 3 else points)
    return [s for code, rings in shapes.items() if (s := _shape(code, rings))]


def from_topojson(data: dict, tolerance: float = DEFAULT_TOLERANCE, object_name: str = "") -> list[Shape]:
    """Shapes of a TopoJSON Topology: the arcs are decoded (quantized or not), projected and simplified once each,
    so neighbours share their borders exactly."""
    if data.get("type") != "Topology" or not isinstance(data.get("objects"), dict):
        raise BoundaryError("Geen TopoJSON Topology.")
    objects = data["objects"]
    name = object_name or next(iter(objects), "")
    if name not in objects:
        raise BoundaryError(f"Geen object {name!r} in de TopoJSON.")
    transform = data.get("transform")
    raw_arcs = []
    for arc in data.get("arcs", []):
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for p in arc:
                x, y = x + p[0], y + p[1]
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        raw_arcs.append(points)
    first = next((a[0] for a in raw_arcs if a), None)
    if first is None:
        return []
    project = guess_projection(*first)
    arcs = [simplify(_round(project(x, y) for x, y in arc), tolerance) for arc in raw_arcs]

    def ring(indices: list[int]) -> list[tuple[int, int]]:
        points: list[tuple[int, int]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    shapes = []
    for geometry in objects[name].get("geometries", []):
        code = _code(geometry.get("properties")) or _code({"code": geometry.get("id")})
        kind = geometry.get("type")
        polygons = (
            [geometry["arcs"]] if kind == "Polygon" else geometry.get("arcs", []) if kind == "MultiPolygon" else []
        )
        rings = [ring(r) for polygon in polygons for r in polygon]
        if code and (shape := _shape(code, rings)):
            shapes.append(shape)
    return shapes


def read(data: dict, tolerance: float = DEFAULT_TOLERANCE) -> list[Shape]:
    if data.get("type") == "Topology":
        return from_topojson(data, tolerance)
    return from_geojson(data, tolerance)
