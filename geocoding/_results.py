"""What the resolver returns, and how a metric geometry is published (private to ``geocoding``).

Why apart from ``resolve``: the resolver's steps (``resolve``, ``_new_road_resolve``) all build
these results and combine geometries the same way; one module holds the shapes and the
publishing rules (1 m simplification, WGS 84, 6 decimals) so no step can differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry.base import BaseGeometry

from geo.projection import round_coords, to_wgs84
from works.model import Location, Precision

#: Simplification tolerance (metres) for published lines and polygons.
SIMPLIFY_M = 1.0

#: Why a place mention has no geometry (``data/unresolved.csv``'s ``reason``):
#: ``new_road_not_in_extract`` is a new road whose ends were found with no planned road between,
#: or an extension whose street was found with no planned road continuing it.
UNRESOLVED_REASONS = frozenset(
    {
        "not_in_extract",
        "missed",
        "ambiguous",
        "outside_box",
        "no_intersection",
        "no_streets",
        "new_road_not_in_extract",
    }
)


@dataclass(frozen=True)
class Unresolved:
    """A place mention (or part of one) that could not be located, and why."""

    text: str
    kind: str
    #: one of :data:`UNRESOLVED_REASONS`
    reason: str
    detail: str = ""


@dataclass
class PlaceResult:
    """How one mention was located (geometry metric, ``None`` if not)."""

    text: str
    kind: str
    precision: str = "none"
    geometry: BaseGeometry | None = None
    score: float | None = None
    sources: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


@dataclass
class RecordGeocode:
    """The geocoding fields of one register record."""

    geometry: BaseGeometry | None  # WGS 84, rounded
    precision: str
    score: float | None
    sources: list[str]
    matched: list[str]
    flags: list[str]
    unresolved: list[Unresolved]
    metric: BaseGeometry | None = None  # the same geometry in EPSG:32635, for the district join
    districts: list[str] = field(default_factory=list)
    district_approximate: bool = False
    #: Districts the record's own places are (a ``district`` place: "нова ДГ в район „Южен“").
    place_districts: list[str] = field(default_factory=list)

    def to_location(self) -> Location:
        """The domain's :class:`works.model.Location` of this result (WGS 84 GeoJSON geometry)."""
        return Location(
            precision=Precision(self.precision),
            geometry=to_geojson(self.geometry),
            score=self.score,
            sources=list(self.sources),
            matched=list(self.matched),
            flags=list(self.flags),
            district_approximate=self.district_approximate,
        )


def retext(miss: Unresolved | None, text: str, kind: str, prefix: str = "") -> Unresolved:
    assert miss is not None
    return Unresolved(text, kind or miss.kind, miss.reason, prefix + miss.detail)


def same_dimension(clipped: BaseGeometry, original: BaseGeometry) -> BaseGeometry:
    """Keep only the parts of a clipped geometry with the original's dimension."""
    dim = shapely.get_dimensions(original)
    parts = [g for g in flatten(clipped) if shapely.get_dimensions(g) == dim]
    return combine(parts) if parts else clipped


def flatten(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, (MultiPoint, MultiLineString, MultiPolygon, GeometryCollection)):
        return [p for g in geom.geoms for p in flatten(g)]
    return [geom]


def combine(geoms: Sequence[BaseGeometry]) -> BaseGeometry:
    """One geometry from several: the single part itself, Multi* of one dimension, else a collection."""
    parts = [p for g in geoms for p in flatten(g)]
    if len(parts) == 1:
        return parts[0]
    points = [p for p in parts if isinstance(p, Point)]
    if len(points) == len(parts):
        return MultiPoint(points)
    lines = [p for p in parts if isinstance(p, LineString)]
    if len(lines) == len(parts):
        return MultiLineString(lines)
    polygons = [p for p in parts if isinstance(p, Polygon)]
    if len(polygons) == len(parts):
        return MultiPolygon(polygons)
    return GeometryCollection(parts)


def publish(metric: BaseGeometry) -> BaseGeometry:
    """Simplify (1 m), reproject to WGS 84 and round to 6 decimals, keeping the geometry type."""
    parts = []
    for part in flatten(metric):
        if not isinstance(part, Point):
            part = part.simplify(SIMPLIFY_M, preserve_topology=True)
        wgs = round_coords(to_wgs84(part), 6)
        if wgs is not None and not wgs.is_empty:
            parts.extend(flatten(wgs))
    if not parts:
        return GeometryCollection()
    combined = combine(parts)
    # A Multi* that simplifies to one part stays a Multi* (the part keeps its dimension).
    if isinstance(metric, MultiPoint) and isinstance(combined, Point):
        return MultiPoint([combined])
    if isinstance(metric, MultiLineString) and isinstance(combined, LineString):
        return MultiLineString([combined])
    if isinstance(metric, MultiPolygon) and isinstance(combined, Polygon):
        return MultiPolygon([combined])
    return combined


def to_geojson(geom: BaseGeometry | None) -> dict[str, Any] | None:
    """GeoJSON geometry dict with coordinates rounded to 6 decimals (stable float text)."""
    if geom is None or geom.is_empty:
        return None
    return _round_mapping(shapely.geometry.mapping(geom))


def _round_mapping(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, (list, tuple)):
        return [_round_mapping(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round_mapping(v) for k, v in obj.items()}
    return obj
