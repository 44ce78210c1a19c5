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

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations, permutations

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polygonize, substring

__all__ = [
    "BLOCK_GAP_M",
    "JUNCTION_CLUSTER_M",
    "MAX_GAP_M",
    "SNAP_M",
    "Cut",
    "Fail",
    "block_between",
    "cut_between",
    "junction_of",
]

#: A segment's end may lie this far from its bounding street and still count as exact.
END_TOLERANCE_M = 30.0
#: A gap this short between two parts of one named street (a junction's unnamed ways, a
#: roundabout) is crossed when following the street; the gap itself is never drawn.
BRIDGE_M = 60.0
#: Another carriageway's path may be this many times the shortest path (plus 50 m).
CARRIAGEWAY_SLACK = 1.5
#: The other carriageway of a divided road runs within this distance (metres) of the first.
CARRIAGEWAY_M = 45.0
#: Paths closer than this (metres) along most of their length are the same carriageway.
CARRIAGEWAY_APART_M = 6.0
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
#: A block outline closing a gap longer than this (metres) with a straight line is flagged
#: ``block_gap``: the line may cut off part of the block (a side the extract names otherwise).
BLOCK_GAP_M = 50.0
#: Smallest plausible city block (m²); smaller faces are slivers between carriageways.
MIN_BLOCK_M2 = 1_000.0


@dataclass(frozen=True)
class Cut:
    """A derived geometry (metric) and the approximations it needed (empty when exact)."""

    geometry: BaseGeometry
    flags: tuple[str, ...] = ()
    #: What was approximated, in words ("the end bound does not reach the street: …").
    notes: tuple[str, ...] = ()
    #: A block outline: the longest gap (metres) between neighbouring streets that a straight
    #: line closes (0 when every corner is a crossing).
    gap_m: float = 0.0


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

    The street's ways are a graph (shared OSM nodes join them, so a branch or a slip road is
    followed; gaps of up to :data:`BRIDGE_M` inside a junction are crossed but never drawn).
    Each bound meets the street at its crossing points (every carriageway's) or, when it does
    not reach the street, at the street's point nearest to it. The shortest path between the
    two bounds is the cut; every other carriageway (a path from another crossing, no longer
    than :data:`CARRIAGEWAY_SLACK` × the shortest and mostly apart from the paths already
    taken) is cut too, so a dual carriageway gives both. An end farther than
    :data:`END_TOLERANCE_M` from its bound is flagged ``segment_approx`` and explained in
    :attr:`Cut.notes`; beyond :data:`MAX_GAP_M` there is no segment. When the bounds lie on
    parts of the street that no path joins, each part is cut on its own (the old rule).
    """
    graph = _StreetGraph(street)
    if not graph.segments:
        return Fail("no_intersection", "the street has no lines")
    ends = []
    for bound in (start, end):
        anchors, gap = _anchors(street, bound)
        if gap > MAX_GAP_M:
            return Fail("no_intersection", f"bounding street {gap:.0f} m away")
        ends.append(([graph.insert(p) for p in anchors], gap))
    (starts, gap_a), (stops, gap_b) = ends
    paths: list[tuple[float, int, int]] = []
    for s in starts:
        dist = graph.distances(s)
        paths.extend((dist[e], s, e) for e in stops if e in dist and dist[e] >= 1.0)
    if not paths:
        return _cut_by_parts(street, start, end)
    shortest = min(p[0] for p in paths)
    pieces: list[LineString] = []
    taken: BaseGeometry | None = None
    for length, s, e in sorted(paths):
        if length > CARRIAGEWAY_SLACK * shortest + 50.0:
            break
        lines = graph.path_lines(s, e)
        if not lines:
            continue
        geom = shapely.MultiLineString(lines)
        if (
            taken is not None
            and geom.intersection(taken.buffer(CARRIAGEWAY_APART_M)).length > 0.5 * geom.length
        ):
            continue  # the same carriageway again (another crossing of the same bound)
        pieces.extend(lines)
        taken = geom if taken is None else taken.union(geom)
    if not pieces:
        return Fail("no_intersection", "the bounding streets meet the street at one point")
    pieces.extend(_other_carriageways(street, pieces, taken))
    merged = shapely.line_merge(shapely.MultiLineString(pieces))
    flags: list[str] = []
    notes: list[str] = []
    for label, gap in (("start", gap_a), ("end", gap_b)):
        if gap > END_TOLERANCE_M:
            if not flags:
                flags.append("segment_approx")
            notes.append(f"the {label} bound does not reach the street: the cut ends {gap:.0f} m from it")
    return Cut(merged, tuple(flags), tuple(notes))


def _other_carriageways(
    street: BaseGeometry, pieces: list[LineString], taken: BaseGeometry | None
) -> list[LineString]:
    """The street's other carriageway alongside the cut, between the points abreast its ends.

    Why: a bound may reach only one carriageway (a slip road joins the other further on), so
    the paths between crossings find one; the other runs within :data:`CARRIAGEWAY_M` of it.
    Its lines there (not the cut itself), merged, that are at least half the cut's length are
    cut between the points abreast the cut's two ends.
    """
    if taken is None:
        return []
    main_parts = _flatten_lines(shapely.line_merge(shapely.MultiLineString(pieces)))
    main_len = sum(p.length for p in main_parts)
    longest = max(main_parts, key=lambda p: p.length)
    if longest.length < 0.8 * main_len:
        return []  # the cut is already in several pieces (both carriageways, or gaps)
    near = street.intersection(taken.buffer(CARRIAGEWAY_M)).difference(taken.buffer(CARRIAGEWAY_APART_M))
    merged = shapely.line_merge(shapely.MultiLineString(_flatten_lines(near))) if not near.is_empty else near
    out: list[LineString] = []
    for line in _flatten_lines(merged):
        if line.length < 0.5 * main_len:
            continue
        a, b = sorted(line.project(Point(longest.coords[k])) for k in (0, -1))
        piece = substring(line, a, b)
        if isinstance(piece, LineString) and piece.length >= 0.5 * main_len:
            out.append(piece)
    return out


def _anchors(street: BaseGeometry, bound: BaseGeometry) -> tuple[list[Point], float]:
    """Where *bound* meets *street*: the crossing points (gap 0), else the nearest point."""
    points = [p for p in _crossings(street, bound)]
    if points:
        return points, 0.0
    gap = street.distance(bound)
    if gap <= SNAP_M:
        # Stops a few metres short (a dual carriageway's far side): nearest point per part.
        near = [nearest_points(part, bound)[0] for part in _parts(street) if part.distance(bound) <= SNAP_M]
        return near, gap
    return [nearest_points(street, bound)[0]], gap


class _StreetGraph:
    """The street's ways as an undirected graph of their vertices (metres), with bridges."""

    def __init__(self, street: BaseGeometry) -> None:
        self.coords: list[tuple[float, float]] = []
        self.ids: dict[tuple[float, float], int] = {}
        self.adj: dict[int, dict[int, float]] = {}
        self.real: set[tuple[int, int]] = set()
        self.segments: list[tuple[int, int]] = []
        #: Shortest-path trees of :meth:`distances`, by source node.
        self.prevs: dict[int, dict[int, int]] = {}
        parts = [g for g in _flatten_lines(street)]
        comp_nodes: list[list[int]] = []
        for part in parts:
            nodes = [self._node(c) for c in part.coords]
            comp_nodes.append(nodes)
            for a, b in zip(nodes, nodes[1:], strict=False):
                if a != b:
                    self._edge(a, b, real=True)
                    self.segments.append((a, b))
        self._bridge(comp_nodes)

    def _node(self, c: tuple[float, ...]) -> int:
        key = (round(c[0], 2), round(c[1], 2))
        if key not in self.ids:
            self.ids[key] = len(self.coords)
            self.coords.append(key)
            self.adj[self.ids[key]] = {}
        return self.ids[key]

    def _edge(self, a: int, b: int, real: bool, weight: float | None = None) -> None:
        if weight is None:
            (ax, ay), (bx, by) = self.coords[a], self.coords[b]
            weight = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
        self.adj[a][b] = self.adj[b][a] = weight
        if real:
            self.real.add((min(a, b), max(a, b)))

    def _bridge(self, comp_nodes: list[list[int]]) -> None:
        """Join a part's loose end to the nearest vertex of another part within BRIDGE_M."""
        component = self._components()
        for nodes in comp_nodes:
            for end in (nodes[0], nodes[-1]):
                if len(self.adj[end]) > 1:
                    continue
                ex, ey = self.coords[end]
                best: tuple[float, int] | None = None
                for other, (ox, oy) in enumerate(self.coords):
                    if component[other] == component[end]:
                        continue
                    d = ((ex - ox) ** 2 + (ey - oy) ** 2) ** 0.5
                    if d <= BRIDGE_M and (best is None or d < best[0]):
                        best = (d, other)
                if best is not None:
                    self._edge(end, best[1], real=False, weight=best[0])

    def _components(self) -> list[int]:
        comp = [-1] * len(self.coords)
        for start in range(len(self.coords)):
            if comp[start] >= 0:
                continue
            stack = [start]
            comp[start] = start
            while stack:
                n = stack.pop()
                for m in self.adj[n]:
                    if comp[m] < 0:
                        comp[m] = start
                        stack.append(m)
        return comp

    def insert(self, point: Point) -> int:
        """A node at *point* on its nearest segment (the segment is split there)."""
        key = (round(point.x, 2), round(point.y, 2))
        if key in self.ids:
            return self.ids[key]
        best = min(
            range(len(self.segments)),
            key=lambda i: LineString(
                [self.coords[self.segments[i][0]], self.coords[self.segments[i][1]]]
            ).distance(point),
        )
        a, b = self.segments[best]
        seg = LineString([self.coords[a], self.coords[b]])
        on = seg.interpolate(seg.project(point))
        node = self._node((on.x, on.y))
        if node in (a, b):
            return node
        self.adj[a].pop(b, None)
        self.adj[b].pop(a, None)
        self.real.discard((min(a, b), max(a, b)))
        self._edge(a, node, real=True)
        self._edge(node, b, real=True)
        self.segments[best : best + 1] = [(a, node), (node, b)]
        return node

    def distances(self, source: int) -> dict[int, float]:
        """Dijkstra from *source*: path length to every reachable node (tree kept in prevs)."""
        prev = self.prevs[source] = {}
        dist = {source: 0.0}
        heap = [(0.0, source)]
        while heap:
            d, n = heapq.heappop(heap)
            if d > dist.get(n, float("inf")):
                continue
            for m, w in self.adj[n].items():
                nd = d + w
                if nd < dist.get(m, float("inf")):
                    dist[m] = nd
                    prev[m] = n
                    heapq.heappush(heap, (nd, m))
        return dist

    def path_lines(self, source: int, target: int) -> list[LineString]:
        """The real (OSM) pieces of the shortest path; bridge edges break it."""
        prev = self.prevs.get(source, {})
        nodes = [target]
        while nodes[-1] != source:
            if nodes[-1] not in prev:
                return []
            nodes.append(prev[nodes[-1]])
        nodes.reverse()
        lines: list[LineString] = []
        run: list[tuple[float, float]] = [self.coords[nodes[0]]]
        for a, b in zip(nodes, nodes[1:], strict=False):
            if (min(a, b), max(a, b)) in self.real:
                run.append(self.coords[b])
            else:
                if len(run) > 1:
                    lines.append(LineString(run))
                run = [self.coords[b]]
        if len(run) > 1:
            lines.append(LineString(run))
        return lines


def _flatten_lines(geom: BaseGeometry) -> list[LineString]:
    if isinstance(geom, LineString):
        return [geom] if geom.length > 0 else []
    return [p for g in getattr(geom, "geoms", []) for p in _flatten_lines(g)]


def _cut_by_parts(street: BaseGeometry, start: BaseGeometry, end: BaseGeometry) -> Cut | Fail:
    """Each merged part of the street cut on its own (bounds on parts no path joins)."""
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
        if worst <= END_TOLERANCE_M:
            exact.append(piece)
        else:
            approx.append((worst, piece))
    if exact:
        geom = exact[0] if len(exact) == 1 else shapely.MultiLineString(exact)
        return Cut(geom)
    if approx:
        gap, piece = min(approx, key=lambda gp: gp[0])
        if gap <= MAX_GAP_M:
            return Cut(
                piece,
                ("segment_approx",),
                (f"a bound does not reach the street: the cut ends {gap:.0f} m from it",),
            )
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
    order: tuple[int, ...] = ()  # street indices going round: ring[k] joins order[k], order[k+1]
    gaps: list[float] = field(default_factory=list)  # how far apart the two streets are at ring[k]


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
        gaps: list[float] = []
        total = 0.0
        for k in range(n):
            lo, hi = sorted((order[k], order[(k + 1) % n]))
            if (lo, hi) not in options:
                break
            gap, cands = options[(lo, hi)]
            total += gap
            gaps.append(gap)
            ring.append(min(cands, key=middle.distance))
        else:
            score = (round(total, 1), MultiPoint(ring).convex_hull.length)
            if best is None or score < best:
                best, out.ring, out.order, out.gaps = score, ring, order, gaps
    return out


def block_between(streets: Sequence[BaseGeometry]) -> Cut | Fail:
    """The city block enclosed by the listed streets: a polygon that touches every one of them.

    1. The streets' lines near their mutual crossings (the crossings' hull, buffered 100 m)
       are noded and polygonised; faces thinner than a carriageway gap are dropped. Of the
       faces and their unions with neighbours, the smallest whose outline comes within
       :data:`BLOCK_TOUCH_M` of every listed street is the block (exact, no flag).
    2. Else the outline is walked along the streets themselves: going round the block's
       corners (:func:`_corners`), each side is its street followed between the two corners
       (the street's own lines); where two neighbours do not meet, the gap between them
       closes the ring and the block is flagged ``block_outline`` (explained in the notes), and
       ``block_gap`` when a gap is longer than :data:`BLOCK_GAP_M` (the straight line may cut
       off part of the block; :attr:`Cut.gap_m` is the longest gap, so a caller can try
       a street that continues a listed one across it).
    3. Else (the sides do not make a plausible block) the corners' convex hull, flagged
       ``block_hull``, and ``block_partial`` when it misses a listed street. A fallback is
       always flagged; the notes say which streets the outline misses.
    """
    if len(streets) < 2:
        return Fail("no_intersection", "a block needs at least two streets")
    corners = _corners(streets)
    if not corners.points:
        return Fail("no_intersection", "none of the listed streets cross")
    region = MultiPoint(corners.points + corners.ring).convex_hull.buffer(100.0)
    lines = [s.intersection(region) for s in streets]
    noded = shapely.union_all([ln for ln in lines if not ln.is_empty])
    faces = [Polygon(f.exterior) for f in polygonize(noded) if _wide(f)]
    face = _touching_faces(faces, streets)
    if face is not None:
        return Cut(face)
    walked = _walk_outline(streets, corners)
    if walked is not None:
        poly, gaps = walked
        if not _missing(poly, streets):
            if any(g > END_TOLERANCE_M for g in gaps):
                far = ", ".join(f"{g:.0f} m" for g in gaps if g > END_TOLERANCE_M)
                flags = ("block_outline", "block_gap") if max(gaps) > BLOCK_GAP_M else ("block_outline",)
                return Cut(
                    poly,
                    flags,
                    (f"neighbouring streets do not meet ({far} apart): joined by a straight line",),
                    gap_m=max(gaps),
                )
            return Cut(poly, gap_m=max(gaps, default=0.0))
    hull = MultiPoint(corners.ring).convex_hull if corners.ring else Polygon()
    if isinstance(hull, Polygon) and _wide(hull):
        missing = _missing(hull, streets)
        flags = ("block_hull", "block_partial") if missing else ("block_hull",)
        notes = (f"the outline misses listed street(s) {missing}",) if missing else ()
        return Cut(hull, flags, notes)
    return Fail("no_intersection", f"the listed streets enclose no block ({len(corners.points)} crossings)")


def _missing(poly: Polygon, streets: Sequence[BaseGeometry]) -> list[int]:
    """Positions (1-based) of the listed streets the polygon's outline does not come near."""
    outline = poly.exterior
    return [i + 1 for i, s in enumerate(streets) if s.distance(outline) > BLOCK_TOUCH_M]


def _touching_faces(faces: list[Polygon], streets: Sequence[BaseGeometry]) -> Polygon | None:
    """The smallest face, or union of adjacent faces, whose outline touches every street."""
    if not faces:
        return None
    faces = sorted(faces, key=lambda f: f.area)[:12]
    best: Polygon | None = None
    for size in range(1, min(len(faces), 4) + 1):
        for combo in combinations(faces, size):
            union = shapely.union_all(list(combo))
            if not isinstance(union, Polygon):
                continue  # not adjacent
            poly = Polygon(union.exterior)
            if _missing(poly, streets):
                continue
            if best is None or poly.area < best.area:
                best = poly
        if best is not None:
            return best
    return None


def _walk_outline(streets: Sequence[BaseGeometry], corners: _Corners) -> tuple[Polygon, list[float]] | None:
    """A polygon whose sides are the streets between consecutive corners, and the corner gaps."""
    n = len(corners.ring)
    if n < 3 or len(corners.order) != n:
        return None
    coords: list[tuple[float, float]] = []
    for k in range(n):
        a, b = corners.ring[k - 1], corners.ring[k]
        street = streets[corners.order[k]]  # the street that joins ring[k-1] and ring[k]
        side = _side(street, a, b)
        if side is None:
            return None
        coords.extend((float(x), float(y)) for x, y, *_ in side.coords)
    ring = Polygon(coords).buffer(0)
    polys = [p for p in getattr(ring, "geoms", [ring]) if isinstance(p, Polygon)]
    if not polys:
        return None
    poly = Polygon(max(polys, key=lambda p: p.area).exterior)
    if not _wide(poly):
        return None
    return poly, list(corners.gaps)


def _side(street: BaseGeometry, a: Point, b: Point) -> LineString | None:
    """*street* followed from the point nearest *a* to the point nearest *b* (oriented a → b)."""
    graph = _StreetGraph(street)
    if not graph.segments:
        return None
    pa, pb = nearest_points(street, a)[0], nearest_points(street, b)[0]
    na, nb = graph.insert(pa), graph.insert(pb)
    if na == nb:
        return None
    dist = graph.distances(na)
    if nb not in dist or dist[nb] > 3 * pa.distance(pb) + 100:
        return None  # the street does not run between the corners: no side to walk
    prev = graph.prevs[na]
    path = [nb]
    while path[-1] != na:
        path.append(prev[path[-1]])
    coords = [graph.coords[i] for i in reversed(path)]
    return LineString([(a.x, a.y), *coords, (b.x, b.y)])
