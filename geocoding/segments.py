"""Geometry of places the report defines by other streets: segments, junctions, blocks.

Why: the report locates much of its road work relative to other streets — "ул. X от Y до Z"
(a stretch of X), "кръстовището на A и B" (a point), "карето A – B – C – D" (a city block).
Drawing the whole of X for "X from Y to Z" would overstate the work; these functions cut the
geometry the text describes out of the OSM street lines, and say when they had to approximate.

All inputs and outputs are in the metric CRS (EPSG:32635, ``geo.projection.METRIC_CRS``):
linear referencing (``project`` / ``shapely.ops.substring``), buffers and tolerances are in
metres. Each function returns a :class:`Cut` (geometry + flags) or a :class:`Fail` (reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations, permutations

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polygonize, substring

__all__ = [
    "JUNCTION_CLUSTER_M",
    "MAX_GAP_M",
    "SNAP_M",
    "Cut",
    "Fail",
    "block_between",
    "cut_between",
    "junction_of",
]

#: Two street lines closer than this count as meeting (OSM junction nodes are shared, but a
#: street may stop a few metres short of a dual carriageway's far side).
SNAP_M = 15.0
#: A bounding street farther than this from the street is not a usable bound. Generous on
#: purpose: the report bounds planned extensions by streets the built road does not reach yet
#: ("бул. „Северен“ от Брезовско шосе до ул. „Победа“", ~550 m short); such cuts are flagged.
MAX_GAP_M = 1_000.0
#: Streets that do not cross in the data but come this close meet at a flagged junction (OSM
#: sometimes ends a street at a slip road or gives the last metres another name).
JUNCTION_SNAP_M = 200.0
#: Crossing points closer than this are one junction (dual carriageways cross in 2–4 points).
JUNCTION_CLUSTER_M = 150.0
#: A block polygon's side must come this close to each listed street to count as bounded by it.
BLOCK_TOUCH_M = 30.0
#: Smallest plausible city block (m²); smaller faces are slivers between carriageways.
MIN_BLOCK_M2 = 1_000.0


@dataclass(frozen=True)
class Cut:
    """A derived geometry (metric) and the approximations it needed (empty when exact)."""

    geometry: BaseGeometry
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fail:
    """Why no geometry could be derived: ``no_intersection`` or ``ambiguous``."""

    reason: str
    detail: str = ""


def _parts(geom: BaseGeometry) -> list[LineString]:
    """Line parts after merging ways joined end to end."""
    merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
    return [g for g in getattr(merged, "geoms", [merged]) if isinstance(g, LineString) and g.length > 0]


def _positions(part: LineString, other: BaseGeometry) -> tuple[list[float], float]:
    """Where *other* meets *part* as distances along *part*, and the gap (0 when they cross)."""
    hit = part.intersection(other)
    if not hit.is_empty:
        points = [g for g in getattr(hit, "geoms", [hit])]
        return sorted({part.project(p.centroid if not isinstance(p, Point) else p) for p in points}), 0.0
    gap = part.distance(other)
    on_part = nearest_points(part, other)[0]
    return [part.project(on_part)], gap


def cut_between(street: BaseGeometry, start: BaseGeometry, end: BaseGeometry) -> Cut | Fail:
    """The stretch of *street* between where it meets *start* and where it meets *end*.

    Linear referencing on each merged part of the street: the meeting points are projected on
    the part and ``substring`` cuts between them (of several crossings, the closest pair, so a
    dual carriageway's two crossings do not stretch the cut). Parts that meet both bounds all
    contribute (a dual carriageway gives two parallel cuts). When no part meets both within
    :data:`SNAP_M`, the part nearest to both is cut at the nearest points and the result is
    flagged ``segment_approx``; beyond :data:`MAX_GAP_M` there is no segment.
    """
    exact: list[LineString] = []
    approx: list[tuple[float, LineString]] = []
    for part in _parts(street):
        pos_a, gap_a = _positions(part, start)
        pos_b, gap_b = _positions(part, end)
        da, db = min(((a, b) for a in pos_a for b in pos_b), key=lambda ab: abs(ab[0] - ab[1]))
        if abs(da - db) < 1.0:
            continue  # both bounds at the same spot of this part: nothing between them
        piece = substring(part, min(da, db), max(da, db))
        if not isinstance(piece, LineString) or piece.length < 1.0:
            continue
        worst = max(gap_a, gap_b)
        if worst <= SNAP_M:
            exact.append(piece)
        else:
            approx.append((worst, piece))
    if exact:
        geom = exact[0] if len(exact) == 1 else shapely.MultiLineString(exact)
        return Cut(geom)
    if approx:
        gap, piece = min(approx, key=lambda gp: gp[0])
        if gap <= MAX_GAP_M:
            return Cut(piece, ("segment_approx",))
        return Fail("no_intersection", f"bounding street {gap:.0f} m away")
    return Fail("no_intersection", "the bounding streets meet the street at one point")


def _crossings(a: BaseGeometry, b: BaseGeometry) -> list[Point]:
    hit = a.intersection(b)
    if hit.is_empty:
        return []
    out = []
    for g in getattr(hit, "geoms", [hit]):
        out.append(g if isinstance(g, Point) else g.centroid)  # overlapping ways: their middle
    return out


def junction_of(a: BaseGeometry, b: BaseGeometry) -> Cut | Fail:
    """The point where streets *a* and *b* meet.

    The crossing points of the two lines are clustered (a junction of dual carriageways is
    2–4 points within :data:`JUNCTION_CLUSTER_M`) and the cluster's centroid is the junction.
    Two clusters far apart (the streets cross twice) is ``ambiguous``. Lines that do not cross
    but come within :data:`JUNCTION_SNAP_M` meet at the middle of their nearest points (flagged
    ``junction_approx``).
    """
    points = _crossings(a, b)
    if points:
        clusters = _cluster(points, JUNCTION_CLUSTER_M)
        if len(clusters) > 1:
            where = "; ".join(
                f"{MultiPoint(c).centroid.x:.0f},{MultiPoint(c).centroid.y:.0f}" for c in clusters
            )
            return Fail("ambiguous", f"the streets cross at {len(clusters)} places ({where})")
        return Cut(MultiPoint(clusters[0]).centroid)
    gap = a.distance(b)
    if gap <= JUNCTION_SNAP_M:
        pa, pb = nearest_points(a, b)
        return Cut(LineString([pa, pb]).interpolate(0.5, normalized=True), ("junction_approx",))
    return Fail("no_intersection", f"the streets are {gap:.0f} m apart")


def _cluster(points: Sequence[Point], radius: float) -> list[list[Point]]:
    """Single-linkage clusters of points (few points: quadratic is fine)."""
    clusters: list[list[Point]] = []
    for p in points:
        near = [c for c in clusters if any(p.distance(q) <= radius for q in c)]
        merged = [p] + [q for c in near for q in c]
        clusters = [c for c in clusters if c not in near] + [merged]
    return clusters


#: Faces whose mean width (2 · area / perimeter, metres) is below this are slivers between a
#: dual carriageway's two ways (20–30 m apart on Plovdiv's boulevards), not blocks.
MIN_BLOCK_WIDTH_M = 35.0


def _wide(poly: BaseGeometry) -> bool:
    return poly.area >= MIN_BLOCK_M2 and 2 * poly.area / poly.length >= MIN_BLOCK_WIDTH_M


@dataclass
class _Corners:
    points: list[Point] = field(default_factory=list)  # every crossing of two listed streets
    ring: list[Point] = field(default_factory=list)  # the block's corners, going round it


def _corners(streets: Sequence[BaseGeometry]) -> _Corners:
    """Crossings of all pairs, and the block's corners in the most plausible order round it.

    Why search the order: the report usually lists a block's streets going round it, but not
    always ("Източен, Христо Ботев, Богомил, Цар Асен" goes round as Източен – Христо Ботев –
    Цар Асен – Богомил). Of all cyclic orders, the one whose neighbours meet best (least total
    gap, then the shortest outline) is taken; the corner of two neighbours is their crossing
    (the crossing cluster nearest the middle of all crossings) or, when they do not cross, the
    point where they come closest (≤ :data:`MAX_GAP_M`).
    """
    out = _Corners()
    n = len(streets)
    options: dict[tuple[int, int], tuple[float, list[Point]]] = {}
    for i, j in combinations(range(n), 2):
        pts = _crossings(streets[i], streets[j])
        if pts:
            out.points.extend(pts)
            options[(i, j)] = (0.0, [MultiPoint(c).centroid for c in _cluster(pts, JUNCTION_CLUSTER_M)])
        else:
            gap = streets[i].distance(streets[j])
            if gap <= MAX_GAP_M:
                pa, pb = nearest_points(streets[i], streets[j])
                options[(i, j)] = (gap, [LineString([pa, pb]).interpolate(0.5, normalized=True)])
    if n < 3 or not out.points:
        return out
    middle = MultiPoint(out.points).centroid
    best: tuple[float, float] | None = None
    for perm in permutations(range(1, n)):
        if perm[0] > perm[-1]:
            continue  # a ring and its reverse are the same ring
        order = (0, *perm)
        ring: list[Point] = []
        total = 0.0
        for k in range(n):
            lo, hi = sorted((order[k], order[(k + 1) % n]))
            if (lo, hi) not in options:
                break
            gap, cands = options[(lo, hi)]
            total += gap
            ring.append(min(cands, key=middle.distance))
        else:
            score = (round(total, 1), MultiPoint(ring).convex_hull.length)
            if best is None or score < best:
                best, out.ring = score, ring
    return out


def block_between(streets: Sequence[BaseGeometry]) -> Cut | Fail:
    """The city block enclosed by the listed streets.

    The streets' lines near their mutual crossings (the crossings' hull, buffered 100 m) are
    noded and polygonised; faces thinner than a carriageway gap are dropped, and the largest
    polygon of the rest, holes filled, is the block — flagged ``block_partial`` when some
    listed street does not run along its outline (within :data:`BLOCK_TOUCH_M`). Where the
    lines enclose nothing (a listed street stops short of another), the convex hull of the
    block's corners (see :func:`_corners`) stands in, flagged ``block_hull``.
    """
    if len(streets) < 2:
        return Fail("no_intersection", "a block needs at least two streets")
    corners = _corners(streets)
    if not corners.points:
        return Fail("no_intersection", "none of the listed streets cross")
    region = MultiPoint(corners.points + corners.ring).convex_hull.buffer(100.0)
    lines = [s.intersection(region) for s in streets]
    noded = shapely.union_all([ln for ln in lines if not ln.is_empty])
    faces = [f for f in polygonize(noded) if _wide(f)]
    if faces:
        union = shapely.union_all(faces)
        polys = [p for p in getattr(union, "geoms", [union]) if isinstance(p, Polygon)]
        block = Polygon(max(polys, key=lambda p: p.area).exterior)
        outline = block.exterior
        touching = sum(1 for s in streets if s.distance(outline) <= BLOCK_TOUCH_M)
        flags = () if touching == len(streets) else ("block_partial",)
        return Cut(block, flags)
    hull = MultiPoint(corners.ring).convex_hull if corners.ring else Polygon()
    if isinstance(hull, Polygon) and _wide(hull):
        return Cut(hull, ("block_hull",))
    return Fail("no_intersection", f"the listed streets enclose no block ({len(corners.points)} crossings)")
