"""Plovdiv's six administrative districts (райони) as polygons, built from OSM boundary relations.

Why a general algorithm instead of hand-drawn shapes: the map must be rebuildable from any OSM
extract. A complete extract (e.g. Geofabrik's Bulgaria file clipped to the city) closes every
district ring, and then every polygon is exact. The shared BBBike extract is clipped at a
bounding box, so some boundary ways stop at the box and some rings do not close. Then:

1. A district whose open ends all lie at the clip box is closed *along the box boundary*
   (short connector from each loose end to the box, then along the box). Of the two ways
   around, the one that does not overlap districts already known and does not swallow other
   districts' boundary lines is kept. Flagged ``closed_along_clip_box`` and ``exact=False``;
   it is the district's part inside the box.
2. Districts that stop at the same point *inside* the box (their shared boundary is missing
   there: Южен / Западен south-west of about (24.708, 42.128)) are handled as a group: the
   group's outer boundary is known (and closed as in 1), but no line is invented between
   them. Each district gets only the area enclosed by its own known boundary lines and the
   straight segment joining their loose ends; the rest of the group's area is emitted as an
   extra feature named "Южен / Западен" with ``unresolved=True``.

Geometry work is done in EPSG:32635 (metres); output is EPSG:4326 rounded to 6 decimals.
Polygons are valid and do not overlap (checked in metres; slivers < 1 m² tolerated).
Data © OpenStreetMap contributors, ODbL 1.0 — the published map must say so.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import osmium
import pandas as pd
import shapely
from shapely.geometry import LinearRing, LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polygonize, polygonize_full

from geo.names import transliterate
from geo.projection import METRIC_CRS, STORAGE_CRS, round_coords, to_metric, to_wgs84
from works.files import atomic_path

__all__ = [
    "CITY_RELATION_ID",
    "COLUMNS",
    "PLOVDIV_DISTRICTS",
    "assign_districts",
    "build_districts",
    "read_clip_box",
    "save_districts",
]

log = logging.getLogger(__name__)

#: admin_level=8 boundary relations of Plovdiv's districts, in the order they are published.
PLOVDIV_DISTRICTS: dict[int, str] = {
    7289744: "Централен",
    7289743: "Южен",
    7289745: "Тракия",
    7289746: "Западен",
    7289747: "Северен",
    7289748: "Източен",
}
#: The city itself (admin_level=7); not a district, kept for reference.
CITY_RELATION_ID = 1955801

COLUMNS: tuple[str, ...] = (
    "name",
    "name_en",
    "osm_relation_id",
    "exact",
    "unresolved",
    "closed_along_clip_box",
    "area_km2",
    "note",
    "geometry",
)

#: Loose ends farther than this from the clip box are "inside" (a missing line), not clipped.
DEFAULT_EDGE_TOLERANCE_M = 500.0
_SAME_POINT_M = 1.0  # loose ends closer than this are the same point
_SLIVER_M2 = 1.0  # polygon parts smaller than this are dropped
_MIN_UNRESOLVED_M2 = 100.0  # below this the "A / B" remainder is noise, not a feature

ClipBox = tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat)


@dataclass
class _Relation:
    rel_id: int
    name: str
    name_en: str
    outer: list[int]
    inner: list[int]
    missing_ways: list[int] = field(default_factory=list)


@dataclass
class _Result:
    rel: _Relation | None
    geometry: BaseGeometry
    exact: bool
    closed_along_clip_box: bool
    unresolved: bool
    note: str
    name: str = ""
    name_en: str = ""


# --- reading --------------------------------------------------------------------------------


def read_clip_box(pbf: Path) -> ClipBox | None:
    """The extract's bounding box from the .osm.pbf header, if the header has one.

    Why: BBBike/osmconvert extracts record the clip box there; it is where boundary ways were
    cut, so it is the only honest line along which an open district may be closed.
    """
    header_box = osmium.FileProcessor(str(pbf)).header.box()
    if not header_box.valid():
        return None
    bl, tr = header_box.bottom_left, header_box.top_right
    return (bl.lon, bl.lat, tr.lon, tr.lat)


def _read_relations(pbf: Path, relations: Mapping[int, str]) -> tuple[list[_Relation], dict[int, LineString]]:
    found: dict[int, _Relation] = {}
    for rel in osmium.FileProcessor(str(pbf), osmium.osm.RELATION):
        if not isinstance(rel, osmium.osm.Relation) or rel.id not in relations:
            continue
        outer = [m.ref for m in rel.members if m.type == "w" and m.role in ("outer", "")]
        inner = [m.ref for m in rel.members if m.type == "w" and m.role == "inner"]
        name = rel.tags.get("name") or relations[rel.id]
        name_en = rel.tags.get("name:en") or transliterate(name)
        found[rel.id] = _Relation(rel.id, name, name_en, outer, inner)
    missing = [rid for rid in relations if rid not in found]
    if missing:
        log.warning("boundary relations not in %s: %s", pbf, missing)
    wanted = {w for r in found.values() for w in (*r.outer, *r.inner)}
    lines: dict[int, LineString] = {}
    processor = osmium.FileProcessor(str(pbf), osmium.osm.NODE | osmium.osm.WAY)
    for way in processor.with_locations().with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)):
        if not isinstance(way, osmium.osm.Way) or way.id not in wanted:
            continue
        coords = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
        if len(coords) >= 2:
            lines[way.id] = to_metric(LineString(coords))
    for known in found.values():
        known.missing_ways = [w for w in (*known.outer, *known.inner) if w not in lines]
        known.outer = [w for w in known.outer if w in lines]
        known.inner = [w for w in known.inner if w in lines]
    return [found[rid] for rid in relations if rid in found], lines


# --- geometry helpers (metric) ----------------------------------------------------------------


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """Valid polygonal part of *geom* without slivers (empty Polygon if nothing is left)."""
    if geom is None or geom.is_empty:
        return Polygon()
    geom = shapely.make_valid(geom)
    parts = [
        p
        for g in getattr(geom, "geoms", [geom])
        for p in getattr(g, "geoms", [g])
        if isinstance(p, Polygon) and p.area >= _SLIVER_M2
    ]
    if not parts:
        return Polygon()
    return shapely.union_all(parts)


def _xy(coord: tuple[float, ...]) -> tuple[float, float]:
    """A 2-D coordinate as an (x, y) pair (shapely types coordinates as tuples of any length)."""
    return (coord[0], coord[1])


def _dangling_ends(lines: Sequence[LineString]) -> list[tuple[float, float]]:
    """Way endpoints used by exactly one way end: where a boundary ring is open."""
    degree: Counter[tuple[float, float]] = Counter()
    for line in lines:
        coords = line.coords
        degree[_xy(coords[0])] += 1
        degree[_xy(coords[-1])] += 1
    return [pt for pt, n in degree.items() if n % 2 == 1]


def _ring_polygon(lines: Sequence[LineString], inner: Sequence[LineString]) -> BaseGeometry:
    """Polygon of closed boundary lines (faces of the line arrangement minus inner rings)."""
    polys, _cuts, _dangles, _invalid = polygonize_full(shapely.union_all(list(lines)))
    outer = _polygonal(shapely.union_all(list(polys.geoms)))
    if inner:
        holes = _polygonal(shapely.union_all(list(polygonize(shapely.union_all(list(inner))))))
        outer = _polygonal(outer.difference(holes))
    return outer


def _metric_box(clip_box: ClipBox) -> LinearRing:
    """The clip box as a metric ring; edges densified so they follow meridians/parallels."""
    lonlat = box(*clip_box).exterior.segmentize(0.0005)
    return to_metric(lonlat)


def _box_closures(
    lines: Sequence[LineString], ends: Sequence[tuple[float, float]], ring: LinearRing
) -> tuple[list[BaseGeometry], list[float]]:
    """Both ways to close open boundary lines along the box ring.

    Each loose end gets a straight connector to the nearest point of the ring; that point is
    inserted into the ring so the arrangement is noded exactly. The faces of lines +
    connectors + ring are 2-coloured across the lines: the two colour classes are the two
    candidate polygons (one is the district, the other everything else in the box).
    Returns the candidates and the connector lengths.
    """
    ring_line = LineString(ring.coords)
    connectors: list[LineString] = []
    insert: list[tuple[float, tuple[float, float]]] = []
    lengths: list[float] = []
    for end in ends:
        pt = Point(end)
        dist_along = ring_line.project(pt)
        foot = ring_line.interpolate(dist_along)
        lengths.append(pt.distance(foot))
        if pt.distance(foot) > 1e-6:
            connectors.append(LineString([end, foot.coords[0]]))
            insert.append((dist_along, _xy(foot.coords[0])))
        else:
            insert.append((dist_along, end))
    ring_line = _insert_vertices(ring_line, insert)
    arrangement = shapely.union_all([*lines, *connectors, ring_line])
    faces = [f for f in polygonize(arrangement) if f.area >= _SLIVER_M2]
    colour = _two_colour(faces)
    candidates = [
        _polygonal(shapely.union_all([f for f, c in zip(faces, colour, strict=True) if c == k]))
        for k in (0, 1)
    ]
    return candidates, lengths


def _insert_vertices(line: LineString, points: Iterable[tuple[float, tuple[float, float]]]) -> LineString:
    """Insert points (given with their distance along *line*) as vertices of *line*."""
    coords = list(line.coords)
    dists = [0.0]
    for a, b in zip(coords, coords[1:], strict=False):
        dists.append(dists[-1] + Point(a).distance(Point(b)))
    merged = list(zip(dists, coords, strict=True)) + list(points)
    merged.sort(key=lambda dc: dc[0])
    out = [merged[0][1]]
    for _d, c in merged[1:]:
        if c != out[-1]:
            out.append(c)
    return LineString(out)


def _two_colour(faces: Sequence[Polygon]) -> list[int]:
    """Colour faces 0/1 so faces sharing an edge differ (BFS; odd cycles keep first colour)."""
    colour = [-1] * len(faces)
    tree = shapely.STRtree(list(faces))
    for start in range(len(faces)):
        if colour[start] != -1:
            continue
        colour[start] = 0
        queue = [start]
        while queue:
            i = queue.pop()
            for j in tree.query(faces[i], predicate="intersects"):
                j = int(j)
                if j == i or colour[j] != -1:
                    continue
                shared = faces[i].boundary.intersection(faces[j].boundary)
                if shared.length > 0:
                    colour[j] = 1 - colour[i]
                    queue.append(j)
    return colour


def _pick_candidate(
    candidates: Sequence[BaseGeometry], known: BaseGeometry, foreign: BaseGeometry
) -> BaseGeometry:
    """The closure that overlaps known districts least, then holds least foreign boundary.

    Why: the wrong way around the box contains the other districts (overlap) and their
    boundary lines (foreign linework inside); the right one contains neither.
    """

    def score(poly: BaseGeometry) -> tuple[float, float, float]:
        overlap = poly.intersection(known).area if not known.is_empty else 0.0
        inside = poly.buffer(-1.0)
        foreign_len = foreign.intersection(inside).length if not foreign.is_empty else 0.0
        return (round(overlap), round(foreign_len), poly.area)

    return min((c for c in candidates if not c.is_empty), key=score)


def _hull_closure(lines: Sequence[LineString]) -> BaseGeometry:
    """Area enclosed by open boundary lines plus straight segments joining their loose ends.

    Why: where a boundary is missing inside the data, this is the most the known lines
    themselves say; the segment between loose ends is a closure, not a claimed boundary.
    """
    merged = shapely.line_merge(shapely.union_all(list(lines)))
    parts = list(getattr(merged, "geoms", [merged]))
    closed = [p for p in parts if p.is_closed]
    open_parts = [list(p.coords) for p in parts if not p.is_closed]
    polys = [Polygon(p.coords) for p in closed]
    if open_parts:
        chain = open_parts.pop(0)
        while open_parts:  # greedily append the open part whose end is nearest
            tail = Point(chain[-1])
            best = min(
                range(len(open_parts)),
                key=lambda k: min(
                    tail.distance(Point(open_parts[k][0])),
                    tail.distance(Point(open_parts[k][-1])),
                ),
            )
            part = open_parts.pop(best)
            if tail.distance(Point(part[-1])) < tail.distance(Point(part[0])):
                part = part[::-1]
            chain.extend(part)
        if len(chain) >= 3:
            polys.append(Polygon(chain))
    return _polygonal(shapely.union_all([shapely.make_valid(p) for p in polys]))


def _fmt_pt(xy: tuple[float, float]) -> str:
    lonlat = to_wgs84(Point(xy))
    return f"({lonlat.x:.4f}, {lonlat.y:.4f})"


# --- main algorithm ---------------------------------------------------------------------------


def build_districts(
    pbf: Path,
    relations: Mapping[int, str] | None = None,
    clip_box: ClipBox | None = None,
    edge_tolerance_m: float = DEFAULT_EDGE_TOLERANCE_M,
) -> gpd.GeoDataFrame:
    """Build district polygons from the boundary relations in *pbf*.

    *relations* maps relation id → fallback name (default :data:`PLOVDIV_DISTRICTS`).
    *clip_box* (min_lon, min_lat, max_lon, max_lat) is where the extract was clipped; by
    default it is read from the pbf header. *edge_tolerance_m*: a loose end this close to the
    box counts as clipped there. Returns a GeoDataFrame (EPSG:4326) with :data:`COLUMNS`.
    """
    pbf = Path(pbf)
    if not pbf.is_file():
        raise FileNotFoundError(f"OSM extract not found: {pbf}")
    relations = dict(relations or PLOVDIV_DISTRICTS)
    if clip_box is None:
        clip_box = read_clip_box(pbf)
    rels, lines = _read_relations(pbf, relations)
    ring = _metric_box(clip_box) if clip_box else None
    ring_line = LineString(ring.coords) if ring is not None else None
    box_note = (
        f"clip box lon {clip_box[0]:.3f}–{clip_box[2]:.3f}, lat {clip_box[1]:.3f}–{clip_box[3]:.3f}"
        if clip_box
        else "no clip box known"
    )

    results: list[_Result] = []
    loose: dict[int, list[tuple[float, float]]] = {}
    clipped: list[tuple[_Relation, list[tuple[float, float]]]] = []
    for rel in rels:
        outer = [lines[w] for w in rel.outer]
        inner = [lines[w] for w in rel.inner]
        if not outer:
            log.warning("relation %s (%s) has no ways in the extract", rel.rel_id, rel.name)
            continue
        ends = _dangling_ends(outer)
        if not ends:
            geom = _ring_polygon(outer, inner)
            note = f"Exact: closed ring(s) from {len(outer)} outer member way(s)."
            if rel.missing_ways:
                note += f" {len(rel.missing_ways)} member way(s) absent from the extract."
            results.append(_Result(rel, geom, True, False, False, note))
            continue
        near = [ring_line is not None and Point(e).distance(ring_line) <= edge_tolerance_m for e in ends]
        if all(near):
            clipped.append((rel, ends))
        else:
            loose[rel.rel_id] = [e for e, n in zip(ends, near, strict=True) if not n]

    by_id = {r.rel_id: r for r in rels}

    def known_union() -> BaseGeometry:
        geoms = [r.geometry for r in results if not r.geometry.is_empty]
        return shapely.union_all(geoms) if geoms else Polygon()

    def foreign_lines(own_rel_ids: set[int]) -> BaseGeometry:
        own = {w for rid in own_rel_ids for w in by_id[rid].outer}
        other = {w for r in rels if r.rel_id not in own_rel_ids for w in r.outer} - own
        return shapely.union_all([lines[w] for w in other]) if other else LineString()

    # 1. Districts open only at the clip box: close along the box.
    for rel, ends in clipped:
        assert ring is not None  # loose ends count as clipped only when there is a box
        outer = [lines[w] for w in rel.outer]
        candidates, conn = _box_closures(outer, ends, ring)
        geom = _pick_candidate(candidates, known_union(), foreign_lines({rel.rel_id}))
        geom = _polygonal(geom.difference(known_union()))
        note = (
            f"Not exact: boundary cut by the extract's {box_note}; closed along the box "
            f"between {len(ends)} loose ends (connectors {', '.join(f'{c:.0f} m' for c in conn)})."
            " Only the part inside the box."
        )
        results.append(_Result(rel, geom, False, True, False, note))

    # 2. Districts with loose ends inside the box: group those sharing a loose end.
    for group in _group_by_shared_end(loose):
        results.extend(
            _resolve_group(
                [by_id[rid] for rid in group],
                lines,
                ring,
                ring_line,
                edge_tolerance_m,
                known_union(),
                foreign_lines(set(group)),
                box_note,
            )
        )

    return _to_frame(results, [r.rel_id for r in rels])


def _group_by_shared_end(loose: Mapping[int, list[tuple[float, float]]]) -> list[list[int]]:
    """Relations whose loose ends coincide (within 1 m) form one group (union-find)."""
    ids = list(loose)
    parent = {rid: rid for rid in ids}

    def find(r: int) -> int:
        while parent[r] != r:
            r = parent[r]
        return r

    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if any(Point(p).distance(Point(q)) <= _SAME_POINT_M for p in loose[a] for q in loose[b]):
                parent[find(b)] = find(a)
    groups: dict[int, list[int]] = defaultdict(list)
    for rid in ids:
        groups[find(rid)].append(rid)
    return list(groups.values())


def _resolve_group(
    members: list[_Relation],
    lines: Mapping[int, LineString],
    ring: LinearRing | None,
    ring_line: LineString | None,
    edge_tolerance_m: float,
    known: BaseGeometry,
    foreign: BaseGeometry,
    box_note: str,
) -> list[_Result]:
    """Determined parts of districts whose common boundary is missing, plus the rest."""
    names = " / ".join(m.name for m in members)
    # The group's outer boundary: ways used by an odd number of members (shared ones cancel).
    uses = Counter(w for m in members for w in m.outer)
    outer_ids = [w for w, n in uses.items() if n % 2 == 1]
    outer = [lines[w] for w in outer_ids]
    ends = _dangling_ends(outer)
    union_along_box = False
    if not ends:
        union = _ring_polygon(outer, [])
    elif ring is not None and all(Point(e).distance(ring_line) <= edge_tolerance_m for e in ends):
        candidates, _conn = _box_closures(outer, ends, ring)
        union = _pick_candidate(candidates, known, foreign)
        union_along_box = True
    else:
        union = _hull_closure(outer)
    union = _polygonal(union.difference(known)) if not known.is_empty else union

    loose_pts = sorted({e for m in members for e in _dangling_ends([lines[w] for w in m.outer])})
    inside = [e for e in loose_pts if ring_line is None or Point(e).distance(ring_line) > edge_tolerance_m]
    where = ", ".join(_fmt_pt(e) for e in inside) or "unknown"

    parts: dict[int, BaseGeometry] = {}
    for m in members:
        hull = _hull_closure([lines[w] for w in m.outer])
        parts[m.rel_id] = _polygonal(hull.intersection(union))
    # Area claimed by two members' closures is not determined either.
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            both = parts[a.rel_id].intersection(parts[b.rel_id])
            if both.area >= _SLIVER_M2:
                parts[a.rel_id] = _polygonal(parts[a.rel_id].difference(both))
                parts[b.rel_id] = _polygonal(parts[b.rel_id].difference(both))

    results: list[_Result] = []
    for m in members:
        if len(members) > 1:
            others = " / ".join(o.name for o in members if o is not m)
            note = (
                f"Not exact: the boundary with {others} is missing in the extract from {where}; "
                "no line is invented. Polygon = area enclosed by the known boundary lines and "
                f"the straight segment joining their loose ends; the rest is in '{names}'."
            )
        else:
            note = (
                f"Not exact: boundary open inside the extract at {where}; polygon = area "
                "enclosed by the known lines and the segment joining their loose ends."
            )
        results.append(_Result(m, parts[m.rel_id], False, False, False, note))
    if len(members) > 1:
        claimed = shapely.union_all(list(parts.values()))
        rest = _polygonal(union.difference(claimed))
        if rest.area >= _MIN_UNRESOLVED_M2:
            how = f"closed along the {box_note}" if union_along_box else "known"
            note = (
                f"Unresolved: inside {names} together (outer boundary {how}), but the extract "
                f"lacks their shared boundary from {where}; belongs to one of "
                f"relations {', '.join(str(m.rel_id) for m in members)}."
            )
            results.append(
                _Result(
                    None,
                    rest,
                    False,
                    union_along_box,
                    True,
                    note,
                    name=names,
                    name_en=" / ".join(m.name_en or transliterate(m.name) for m in members),
                )
            )
    return results


def _to_frame(results: list[_Result], order: list[int]) -> gpd.GeoDataFrame:
    """Non-overlapping, valid, rounded output frame in publication order."""
    rank = {rid: i for i, rid in enumerate(order)}
    results.sort(key=lambda r: (r.rel is None, rank.get(r.rel.rel_id if r.rel else -1, 0)))
    # Enforce no overlap: exact polygons first, then the rest in order.
    priority = sorted(
        range(len(results)),
        key=lambda i: (not results[i].exact, results[i].unresolved),
    )
    taken: BaseGeometry = Polygon()
    for i in priority:
        geom = _polygonal(results[i].geometry)
        if not taken.is_empty:
            geom = _polygonal(geom.difference(taken))
        results[i].geometry = geom
        taken = shapely.union_all([taken, geom])

    records = []
    for r in results:
        metric = r.geometry
        wgs = round_coords(to_wgs84(metric), 6)
        wgs = _polygonal_lonlat(wgs)
        records.append(
            {
                "name": r.rel.name if r.rel else r.name,
                "name_en": r.rel.name_en if r.rel else r.name_en,
                "osm_relation_id": r.rel.rel_id if r.rel else None,
                "exact": r.exact,
                "unresolved": r.unresolved,
                "closed_along_clip_box": r.closed_along_clip_box,
                "area_km2": round(to_metric(wgs).area / 1e6, 4),
                "note": r.note,
                "geometry": wgs,
            }
        )
    gdf = gpd.GeoDataFrame(records, columns=list(COLUMNS), geometry="geometry", crs=STORAGE_CRS)
    gdf["osm_relation_id"] = gdf["osm_relation_id"].astype("Int64")
    for col in ("exact", "unresolved", "closed_along_clip_box"):
        gdf[col] = gdf[col].astype(bool)
    return gdf


def _polygonal_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """Valid polygonal part after rounding (lon/lat; no metric sliver threshold here)."""
    if geom.is_empty:
        return geom
    geom = shapely.make_valid(geom)
    polys = [
        p
        for g in getattr(geom, "geoms", [geom])
        for p in getattr(g, "geoms", [g])
        if isinstance(p, Polygon) and not p.is_empty
    ]
    return shapely.union_all(polys) if polys else Polygon()


# --- output ---------------------------------------------------------------------------------


def save_districts(gdf: gpd.GeoDataFrame, dir: Path) -> Path:
    """Write ``<dir>/districts.geojson`` atomically (``works.files.atomic_path``).

    Why atomic: the dashboard may be reading the file during a rebuild. RFC 7946 output
    (WGS 84, counter-clockwise outer rings), 6 decimals.
    """
    target = Path(dir) / "districts.geojson"
    with atomic_path(target) as tmp:
        gdf.to_file(
            tmp,
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": 6, "WRITE_NAME": "NO"},
        )
    return target


#: An area belongs to a district holding at least this share of it (a sliver does not count).
MIN_AREA_SHARE = 0.10
#: A line belongs to a district holding at least this much of it (metres) …
MIN_LINE_M = 50.0
#: … or, for a line shorter than that, at least this share of its length.
MIN_LINE_SHARE = 0.5


def assign_districts(
    geoms: gpd.GeoSeries | gpd.GeoDataFrame | Sequence[BaseGeometry],
    districts: gpd.GeoDataFrame,
    min_overlap_m: float = 1.0,
) -> pd.DataFrame:
    """Which districts each geometry lies in.

    Returns a frame aligned with *geoms* (same index) with columns:

    * ``districts`` – list of district names the geometry intersects (a street crossing two
      districts gets both), in the order of *districts*; unresolved areas are not districts.
    * ``candidates`` – for geometries touching an unresolved area, the districts it may be in.
    * ``unresolved_only`` – True when the geometry falls only in unresolved area(s).

    Membership is by share, not by any touch: an area counts in a district holding at least
    :data:`MIN_AREA_SHARE` of it, a line in one holding at least :data:`MIN_LINE_M` of it (a
    shorter line: :data:`MIN_LINE_SHARE` of its length), a point where it lies; and never
    less than *min_overlap_m* metres (m²). Why: a block that crosses a boundary by 0.4 ha
    (1.7% of it) is not a work of the neighbouring district. A geometry no district holds
    enough of belongs to the one holding the most of it. Bare shapely geometries are taken as
    EPSG:4326.
    """
    if isinstance(geoms, gpd.GeoDataFrame):
        series = geoms.geometry
    elif isinstance(geoms, gpd.GeoSeries):
        series = geoms
    else:
        series = gpd.GeoSeries(list(geoms), crs=STORAGE_CRS)
    if series.crs is None:
        series = series.set_crs(STORAGE_CRS)
    items = to_metric(series)
    dist = to_metric(districts[["name", "unresolved", "geometry"]])
    pairs = gpd.sjoin(
        gpd.GeoDataFrame(geometry=items.values, crs=METRIC_CRS),
        dist,
        how="left",
        predicate="intersects",
    )
    order = {n: i for i, n in enumerate(districts["name"])}
    found: dict[int, list[str]] = defaultdict(list)
    maybe: dict[int, list[str]] = defaultdict(list)
    shares: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for pos, row in pairs.iterrows():
        if pd.isna(row.get("index_right")):
            continue
        shares[pos].append((_share(items.iloc[pos], dist.geometry.loc[row["index_right"]]), row.name))
    for pos, row in pairs.iterrows():
        if pd.isna(row.get("index_right")):
            continue
        geom = items.iloc[pos]
        share = _share(geom, dist.geometry.loc[row["index_right"]])
        if not _member(geom, share, min_overlap_m):
            # Not enough here: only when no district holds enough, the one holding the most.
            if any(_member(geom, s, min_overlap_m) for s, _ in shares[pos]) or share < max(
                s for s, _ in shares[pos]
            ):
                continue
            if share < min_overlap_m:
                continue
        if row["unresolved"]:
            maybe[pos].extend(n.strip() for n in str(row["name"]).split("/"))
        else:
            found[pos].append(row["name"])
    records = []
    for pos in range(len(items)):
        names = sorted(set(found[pos]), key=lambda n: order.get(n, 99))
        cands = sorted(set(maybe[pos]), key=lambda n: order.get(n, 99))
        records.append(
            {
                "districts": names,
                "candidates": cands,
                "unresolved_only": bool(cands) and not names,
            }
        )
    return pd.DataFrame(records, index=series.index)


def _share(geom: BaseGeometry, area: BaseGeometry) -> float:
    """How much of *geom* lies in *area*: m² of an area, metres of a line, 1 for a point inside."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return float(len([p for p in getattr(geom, "geoms", [geom]) if area.covers(p)]))
    shared = geom.intersection(area)
    return float(shared.area if geom.area > 0 else shared.length)


def _member(geom: BaseGeometry, share: float, min_overlap: float) -> bool:
    """Is *share* (see :func:`_share`) enough for *geom* to belong to the district?"""
    if geom.geom_type in ("Point", "MultiPoint"):
        return share > 0
    if share < min_overlap:
        return False
    if geom.area > 0:
        return share >= MIN_AREA_SHARE * geom.area
    return share >= min(MIN_LINE_M, MIN_LINE_SHARE * geom.length)
