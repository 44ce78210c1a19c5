"""Score the register's geometry against hand-checked records (`tests/data/labelled_geometry.csv`).

The labelled set (columns):

* ``key`` / ``record_id`` – the record (matched by its stable key, else by its display id);
* ``precision`` – what the record SHOULD be placed as: facility, segment (a street cut between
  two bounds, or a junction), street, area (a park, square or block), neighbourhood;
* ``place`` – the place as the report names it;
* ``expected_osm`` – the OSM objects (``way/…``, ``node/…``, ``relation/…``, space-separated)
  the geometry must come from: the facility, park or square; every way of the street;
  empty for a junction or block (decided by its streets alone);
* ``expected_ends`` – for a segment, the two bounding streets' ways, ``|`` between the two
  groups (each end of the cut must lie within :data:`END_M` of its bound); for a junction, the
  two streets (the point within :data:`END_M` of both); for a block, its streets (the outline
  within :data:`END_M` of every one);
* ``verdict`` – the labeller's own verdict on the geometry the register had when labelled
  (right / approximate / wrong / missing), ``note`` – why.

Every expected object was looked up by hand in the extract (pyosmium scripts, by name, tag and
location), from the report's sentence — never copied from the geocoder's output.

The score is computed from the expected objects, not from the labeller's verdict:

* **right** – the geometry lies on the expected objects (≥ 95% of it within :data:`NEAR_M`) and
  covers them (lines and areas ≥ 80%; a facility: any of its listed objects); a segment's ends
  are each within :data:`END_M` of a bound; a junction point within :data:`END_M` of both streets;
  a block's outline within :data:`END_M` of every street;
* **approximate** – not right, but on or touching the expected place (a whole street for a
  segment, a segment ``segment_approx`` where the extract's street stops short of its bound);
* **wrong** – elsewhere; **missing** – the record has no geometry.

``python -m geocoding.evaluate_geometry [--labels CSV] [--projects GEOJSON] [--osm PBF]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import osmium
import shapely
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from geo.projection import to_metric
from works.settings import load_settings

__all__ = [
    "DEFAULT_LABELS",
    "END_M",
    "NEAR_M",
    "GeometryLabel",
    "GeometryScore",
    "evaluate_geometry",
    "load_geometry_labels",
    "main",
    "read_osm_geometries",
]

DEFAULT_LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled_geometry.csv"
#: How far (metres) a geometry may stray from its expected object and still lie "on" it.
NEAR_M = 30.0
#: How far (metres) a segment's end may lie from its bounding street (the issue's 30 m).
END_M = 30.0
#: A junction point farther than END_M but within this of both streets is approximate.
JUNCTION_APPROX_M = 200.0
#: Share of the expected line/area a geometry must cover to be right.
COVER_MIN = 0.8
#: Share of the geometry that must lie on the expected objects to be right.
ON_MIN = 0.95
VERDICTS = ("right", "approximate", "wrong", "missing")
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class GeometryLabel:
    key: str
    record_id: str
    precision: str
    place: str
    expected: tuple[str, ...]
    ends: tuple[tuple[str, ...], ...]
    verdict: str = ""
    note: str = ""

    @property
    def refs(self) -> set[str]:
        return set(self.expected) | {r for group in self.ends for r in group}


@dataclass
class GeometryScore:
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    by_precision: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: list[tuple[GeometryLabel, str, str]] = field(default_factory=list)  # label, verdict, why

    def share(self, verdict: str) -> float:
        return self.counts[verdict] / self.total if self.total else 0.0

    def add(self, label: GeometryLabel, verdict: str, why: str) -> None:
        self.total += 1
        self.counts[verdict] += 1
        self.by_precision.setdefault(label.precision, dict.fromkeys(VERDICTS, 0))[verdict] += 1
        self.rows.append((label, verdict, why))


def load_geometry_labels(path: Path = DEFAULT_LABELS) -> list[GeometryLabel]:
    """The labelled rows (see the module docstring for the columns)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            GeometryLabel(
                key=row["key"].strip(),
                record_id=row["record_id"].strip(),
                precision=row["precision"].strip(),
                place=row["place"].strip(),
                expected=tuple(row["expected_osm"].split()),
                ends=tuple(tuple(g.split()) for g in row["expected_ends"].split("|") if g.strip()),
                verdict=row["verdict"].strip(),
                note=row["note"].strip(),
            )
            for row in csv.DictReader(fh)
        ]


def read_osm_geometries(pbf: Path, refs: Iterable[str]) -> dict[str, BaseGeometry]:
    """WGS 84 geometry of each wanted ``type/id``: a node's point, a way's line (its polygon when
    it closes as an area), a multipolygon's area, another relation's member ways and nodes."""
    wanted = set(refs)
    factory = osmium.geom.WKBFactory()
    out: dict[str, BaseGeometry] = {}
    members: dict[str, list[str]] = {}
    for obj in osmium.FileProcessor(str(pbf)).with_locations().with_areas():
        if isinstance(obj, osmium.osm.Relation):
            ref = f"relation/{obj.id}"
            if ref in wanted:
                members[ref] = [f"{'way' if m.type == 'w' else 'node'}/{m.ref}" for m in obj.members]
    need = wanted | {m for ms in members.values() for m in ms}
    for obj in osmium.FileProcessor(str(pbf)).with_locations().with_areas():
        if isinstance(obj, osmium.osm.Node):
            ref = f"node/{obj.id}"
            if ref in need:
                out[ref] = Point(obj.location.lon, obj.location.lat)
        elif isinstance(obj, osmium.osm.Way):
            ref = f"way/{obj.id}"
            if ref in need and ref not in out:
                try:
                    out[ref] = shapely.from_wkb(factory.create_linestring(obj))
                except (RuntimeError, osmium.InvalidLocationError):
                    continue
        elif isinstance(obj, osmium.osm.Area):
            ref = f"{'way' if obj.from_way() else 'relation'}/{obj.orig_id()}"
            if ref in wanted:
                try:
                    out[ref] = shapely.from_wkb(factory.create_multipolygon(obj))
                except RuntimeError:
                    continue
    for ref, ms in members.items():
        if ref not in out:
            parts = [out[m] for m in ms if m in out]
            if parts:
                out[ref] = shapely.union_all(parts)
    return out


def _measure(geom: BaseGeometry) -> float:
    if geom.is_empty:
        return 0.0
    dim = shapely.get_dimensions(geom)
    if dim == 2:
        return float(geom.area)
    if dim == 1:
        return float(geom.length)
    return float(len(shapely.get_parts(geom)))


def _share_within(geom: BaseGeometry, region: BaseGeometry) -> float:
    """Share of *geom* (by area, length or point count, its highest dimension) inside *region*."""
    parts = list(shapely.get_parts(geom))
    dim = max(shapely.get_dimensions(p) for p in parts)
    parts = [p for p in parts if shapely.get_dimensions(p) == dim]
    whole = sum(_measure(p) for p in parts)
    if whole == 0:
        return 0.0
    if dim == 0:
        return sum(1 for p in parts if region.covers(p)) / whole
    return sum(_measure(p.intersection(region)) for p in parts) / whole


def _line_ends(geom: BaseGeometry) -> list[Point]:
    ends: list[Point] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, LineString) and not part.is_empty:
            ends.extend([Point(part.coords[0]), Point(part.coords[-1])])
    return ends


def _union(refs: Sequence[str], osm: dict[str, BaseGeometry]) -> BaseGeometry | None:
    parts = [to_metric(osm[r]) for r in refs if r in osm]
    return shapely.union_all(parts) if parts else None


def judge(
    label: GeometryLabel, geometry: BaseGeometry | None, flags: Sequence[str], osm: dict[str, BaseGeometry]
) -> tuple[str, str]:
    """(verdict, why) for one record's WGS 84 geometry."""
    if geometry is None or geometry.is_empty:
        return "missing", "no geometry"
    geom = to_metric(geometry)
    expected = _union(label.expected, osm)
    bounds = [_union(group, osm) for group in label.ends]
    if label.expected and expected is None:
        return "wrong", "expected objects not in the extract"
    if any(b is None for b in bounds):
        return "wrong", "expected bounds not in the extract"
    near_bounds = [b.distance(geom) for b in bounds if b is not None]
    if expected is None:  # junction or block: its streets decide
        if min(near_bounds) > JUNCTION_APPROX_M:
            return "wrong", f"{min(near_bounds):.0f} m from the streets"
        if shapely.get_dimensions(geom) == 0:
            worst = max(b.distance(geom) for b in bounds if b is not None)
            if worst <= END_M:
                return "right", ""
            return ("approximate" if worst <= JUNCTION_APPROX_M else "wrong"), f"{worst:.0f} m from a street"
        outline = shapely.union_all([p.boundary for p in shapely.get_parts(geom) if p.area > 0])
        if outline.is_empty:
            return "approximate", "the block is not a polygon"
        worst = max(b.distance(outline) for b in bounds if b is not None)
        return ("right", "") if worst <= END_M else ("approximate", f"outline {worst:.0f} m from a street")
    on = _share_within(geom, expected.buffer(NEAR_M))
    if on == 0.0 and not geom.intersects(expected.buffer(NEAR_M)):
        return "wrong", f"{geom.distance(expected):.0f} m from the expected object"
    if label.precision == "facility":
        ok = on >= ON_MIN
    elif shapely.get_dimensions(geom) < shapely.get_dimensions(expected):
        ok = False  # a point for a street or a park
    else:
        ok = on >= ON_MIN and _share_within(expected, geom.buffer(NEAR_M)) >= COVER_MIN
        if label.precision == "segment":
            ok = on >= ON_MIN  # a cut covers only part of its street
    if label.precision == "segment" and bounds:
        ends = _line_ends(geom)
        far = [b.distance(shapely.union_all(ends)) if ends else 1e9 for b in bounds if b is not None]
        if not ends or max(far) > END_M:
            why = f"an end {max(far):.0f} m from its bound" if ends else "not a line"
            return "approximate", why + (" (flagged)" if "segment_approx" in flags else "")
    if ok:
        return "right", ""
    return "approximate", f"{on:.0%} on the expected object" + (
        "" if label.precision == "facility" else f", nearest bound {min(near_bounds, default=0):.0f} m"
    )


def evaluate_geometry(
    labels: Sequence[GeometryLabel], features: Sequence[dict[str, Any]], osm: dict[str, BaseGeometry]
) -> GeometryScore:
    """Judge each labelled record of the register *features* (GeoJSON Features)."""
    by_key = {f["properties"].get("key"): f for f in features}
    by_id = {f["properties"].get("id"): f for f in features}
    score = GeometryScore()
    for label in labels:
        feature = by_key.get(label.key) or by_id.get(label.record_id)
        if feature is None:
            score.add(label, "missing", "record not in the register")
            continue
        geometry = shape(feature["geometry"]) if feature.get("geometry") else None
        flags = [str(f) for f in feature["properties"].get("geocode_flags") or []]
        verdict, why = judge(label, geometry, flags, osm)
        score.add(label, verdict, why)
    return score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geocoding.evaluate_geometry", description=__doc__)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--projects", type=Path, default=None, help="default: the built register")
    parser.add_argument("--osm", type=Path, default=None, help="default: the configured extract")
    parser.add_argument("--verbose", "-v", action="store_true", help="every row, not only the misses")
    args = parser.parse_args(argv)
    settings = load_settings()
    projects = args.projects or settings.projects
    pbf = args.osm or settings.find_osm()[0]
    if pbf is None or not Path(pbf).exists() or not projects.exists() or not args.labels.exists():
        print("geometry evaluation: register, extract or labels missing", file=sys.stderr)
        return EXIT_BAD_INPUT
    labels = load_geometry_labels(args.labels)
    features = json.loads(projects.read_text(encoding="utf-8"))["features"]
    osm = read_osm_geometries(Path(pbf), {r for lab in labels for r in lab.refs})
    score = evaluate_geometry(labels, features, osm)
    print(
        f"{score.total} labelled records: "
        + ", ".join(f"{v} {score.counts[v]} ({score.share(v):.1%})" for v in VERDICTS)
    )
    for precision, counts in sorted(score.by_precision.items()):
        print(f"  {precision}: " + ", ".join(f"{v} {n}" for v, n in counts.items() if n))
    for label, verdict, why in score.rows:
        if args.verbose or verdict != "right":
            hand = f" (labelled {label.verdict})" if label.verdict and label.verdict != verdict else ""
            print(f"  {verdict:11} {label.record_id:16} {label.place}: {why}{hand}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
