"""Tests for geo.districts: synthetic OSM files (complete, clipped, missing shared line) and the
real Plovdiv extract (skipped when ../shared is absent)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import osmium
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from geo.districts import (
    COLUMNS,
    PLOVDIV_DISTRICTS,
    assign_districts,
    build_districts,
    read_clip_box,
    save_districts,
)
from geo.projection import to_metric

REPO = Path(__file__).resolve().parents[1]
PBF = Path(
    os.environ.get("PLOVDIV_OSM_PBF", REPO.parent / "shared" / "geodata" / "plovdiv-2023-01-02.osm.pbf")
)
EXACT_REAL = {"Централен": 7289744, "Източен": 7289748, "Северен": 7289747}

# --- synthetic extracts -------------------------------------------------------------------------
# A 3 × 2 grid of "districts" carrying the real relation ids, so build_districts' defaults apply:
#
#   lat 42.18 +-----------+-----------+-----------+
#             |  Северен  | Централен |  Източен  |
#   lat 42.14 +-----------+-----------+-----------+
#             |  Западен  |   Южен    |  Тракия   |
#   lat 42.10 +-----------+-----------+-----------+   (42.05 in the "missing line" variant)
#          24.66       24.72       24.77       24.82
#
# Every grid edge is one way shared by the (one or two) cells beside it, densified every
# 0.003° so that clipping leaves nodes close to the clip box, as osmconvert does.
LONS = (24.66, 24.72, 24.77, 24.82)
GRID = {  # (column, row) → relation id
    (0, 0): 7289746,
    (1, 0): 7289743,
    (2, 0): 7289745,
    (0, 1): 7289747,
    (1, 1): 7289744,
    (2, 1): 7289748,
}
STEP = 0.003

Coord = tuple[float, float]


def _densify(a: Coord, b: Coord, step: float = STEP) -> list[Coord]:
    n = max(1, round(max(abs(b[0] - a[0]), abs(b[1] - a[1])) / step))
    return [(a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n) for k in range(n + 1)]


def _inside(c: Coord, clip: tuple[float, float, float, float] | None) -> bool:
    return clip is None or (clip[0] <= c[0] <= clip[2] and clip[1] <= c[1] <= clip[3])


def write_grid_extract(
    path: Path,
    lats: tuple[float, float, float] = (42.10, 42.14, 42.18),
    clip: tuple[float, float, float, float] | None = None,
    override: dict[tuple[str, int, int], list[Coord]] | None = None,
) -> Path:
    """Write the grid as .osm.pbf; with *clip*, drop outside nodes like a bbox extract does
    (ways keep only their inside nodes; the header records the box)."""
    override = override or {}
    node_ids: dict[Coord, int] = {}
    ways: dict[tuple[str, int, int], list[Coord]] = {}
    for i in range(len(LONS)):
        for j in range(len(lats)):
            if i + 1 < len(LONS):  # horizontal edge from (i, j) to (i+1, j)
                ways[("h", i, j)] = _densify((LONS[i], lats[j]), (LONS[i + 1], lats[j]))
            if j + 1 < len(lats):  # vertical edge from (i, j) to (i, j+1)
                ways[("v", i, j)] = _densify((LONS[i], lats[j]), (LONS[i], lats[j + 1]))
    ways.update(override)
    header = osmium.io.Header()
    if clip:
        header.add_box(osmium.osm.Box(*clip))
    way_ids = {k: 1000 + n for n, k in enumerate(sorted(ways))}
    with osmium.SimpleWriter(str(path), header=header, overwrite=True) as writer:
        nodes: list[tuple[int, Coord]] = []
        kept: dict[tuple[str, int, int], list[int]] = {}
        for key in sorted(ways):
            refs = []
            for c in ways[key]:
                c = (round(c[0], 7), round(c[1], 7))
                if c not in node_ids:
                    node_ids[c] = len(node_ids) + 1
                    nodes.append((node_ids[c], c))
                if _inside(c, clip):
                    refs.append(node_ids[c])
            kept[key] = refs
        for nid, c in nodes:
            if _inside(c, clip):
                writer.add_node(osmium.osm.mutable.Node(id=nid, location=c, version=1))
        for key in sorted(ways):
            if len(kept[key]) >= 2:
                writer.add_way(
                    osmium.osm.mutable.Way(
                        id=way_ids[key], nodes=kept[key], tags={"boundary": "administrative"}, version=1
                    )
                )
        for (i, j), rel_id in GRID.items():
            edges = [("h", i, j), ("h", i, j + 1), ("v", i, j), ("v", i + 1, j)]
            writer.add_relation(
                osmium.osm.mutable.Relation(
                    id=rel_id,
                    members=[("w", way_ids[e], "outer") for e in edges],
                    tags={
                        "type": "boundary",
                        "boundary": "administrative",
                        "admin_level": "8",
                        "name": PLOVDIV_DISTRICTS[rel_id],
                    },
                    version=1,
                )
            )
    return path


def _cell(i: int, j: int, lats: Iterable[float] = (42.10, 42.14, 42.18)) -> shapely.Polygon:
    lats = tuple(lats)
    return box(LONS[i], lats[j], LONS[i + 1], lats[j + 1])


def _area_m2(geom: shapely.Geometry) -> float:
    return to_metric(geom).area


def assert_valid_and_disjoint(gdf: gpd.GeoDataFrame) -> None:
    metric = to_metric(gdf)
    assert metric.is_valid.all()
    assert (metric.geom_type.isin(["Polygon", "MultiPolygon"])).all()
    geoms = list(metric.geometry)
    for a in range(len(geoms)):
        for b in range(a + 1, len(geoms)):
            overlap = geoms[a].intersection(geoms[b]).area
            assert overlap < 1.0, (gdf["name"].iloc[a], gdf["name"].iloc[b], overlap)


def _by_name(gdf: gpd.GeoDataFrame) -> dict[str, pd.Series]:
    return {row["name"]: row for _, row in gdf.iterrows()}


# --- synthetic tests ------------------------------------------------------------------------------


def test_complete_extract_gives_six_exact_polygons(tmp_path: Path) -> None:
    pbf = write_grid_extract(tmp_path / "complete.osm.pbf")
    assert read_clip_box(pbf) is None
    gdf = build_districts(pbf)
    assert tuple(gdf.columns) == COLUMNS
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf["osm_relation_id"]) == list(PLOVDIV_DISTRICTS)  # publication order
    assert gdf["exact"].all() and not gdf["unresolved"].any()
    assert not gdf["closed_along_clip_box"].any()
    assert_valid_and_disjoint(gdf)
    rows = _by_name(gdf)
    for (i, j), rel_id in GRID.items():
        row = rows[PLOVDIV_DISTRICTS[rel_id]]
        assert row.geometry.symmetric_difference(_cell(i, j)).area < 1e-9
        assert row["area_km2"] == pytest.approx(_area_m2(_cell(i, j)) / 1e6, rel=1e-3)
    assert rows["Централен"]["name_en"] == "Tsentralen"


def test_clipped_extract_is_closed_along_the_box(tmp_path: Path) -> None:
    clip = (24.67, 42.11, 24.81, 42.17)  # cuts every outer edge of the grid
    pbf = write_grid_extract(tmp_path / "clipped.osm.pbf", clip=clip)
    assert read_clip_box(pbf) == pytest.approx(clip)
    gdf = build_districts(pbf)
    assert len(gdf) == 6
    assert not gdf["exact"].any() and gdf["closed_along_clip_box"].all()
    assert_valid_and_disjoint(gdf)
    rows = _by_name(gdf)
    clip_box = box(*clip)
    for (i, j), rel_id in GRID.items():
        expected = _cell(i, j).intersection(clip_box)
        got = rows[PLOVDIV_DISTRICTS[rel_id]].geometry
        assert _area_m2(got.symmetric_difference(expected)) < 0.01 * _area_m2(expected)
    total = sum(_area_m2(g) for g in gdf.geometry)
    assert total == pytest.approx(_area_m2(clip_box), rel=0.01)


def test_clip_box_parameter_overrides_a_missing_header(tmp_path: Path) -> None:
    clip = (24.67, 42.11, 24.81, 42.17)
    pbf = write_grid_extract(tmp_path / "clipped.osm.pbf", clip=clip)
    # Same data, but pretend the header had no box: the parameter must do the same job.
    gdf = build_districts(pbf, clip_box=clip)
    assert gdf["closed_along_clip_box"].all()


def test_missing_shared_line_gives_unresolved_region(tmp_path: Path) -> None:
    """Западен/Южен shared edge stops inside the box (its next node is outside): no line is
    invented; each keeps what its own lines enclose and the rest is 'Южен / Западен'."""
    lats = (42.05, 42.14, 42.18)
    clip = (24.65, 42.10, 24.83, 42.19)  # only the southern row is cut
    shared = [(24.72, 42.14), (24.72, 42.13), (24.72, 42.125), (24.72, 42.05)]
    pbf = write_grid_extract(
        tmp_path / "gap.osm.pbf", lats=lats, clip=clip, override={("v", 1, 0): shared[::-1]}
    )
    gdf = build_districts(pbf)
    assert_valid_and_disjoint(gdf)
    rows = _by_name(gdf)
    assert set(rows) == {*PLOVDIV_DISTRICTS.values(), "Южен / Западен"}
    for name in ("Северен", "Централен", "Източен"):
        assert rows[name]["exact"]
    trakia = rows["Тракия"]
    assert not trakia["exact"] and trakia["closed_along_clip_box"] and not trakia["unresolved"]
    expected_trakia = _cell(2, 0, lats).intersection(box(*clip))
    assert _area_m2(trakia.geometry.symmetric_difference(expected_trakia)) < 0.01 * _area_m2(expected_trakia)
    rest = rows["Южен / Западен"]
    assert rest["unresolved"] and not rest["exact"] and rest["closed_along_clip_box"]
    assert rest["name_en"] == "Yuzhen / Zapaden"
    assert pd.isna(rest["osm_relation_id"])
    for name in ("Южен", "Западен"):
        assert not rows[name]["exact"] and not rows[name]["unresolved"]
        assert "missing" in rows[name]["note"]
    # Together the three cover exactly the two cells inside the box.
    both = _cell(0, 0, lats).union(_cell(1, 0, lats)).intersection(box(*clip))
    covered = shapely.union_all([rows[n].geometry for n in ("Южен", "Западен", "Южен / Западен")])
    assert _area_m2(covered.symmetric_difference(both)) < 0.01 * _area_m2(both)
    # Each keeps its known part: Западен the top-left, Южен the top-right of the gap.
    assert rows["Западен"].geometry.contains(Point(24.70, 42.135))
    assert rows["Южен"].geometry.contains(Point(24.75, 42.135))
    assert rest.geometry.contains(Point(24.72, 42.105))
    # assign_districts: a point in the gap is only "maybe Южен / Западен".
    result = assign_districts([Point(24.72, 42.105), Point(24.70, 42.16)], gdf)
    assert result["districts"].tolist() == [[], ["Северен"]]
    assert result["candidates"].iloc[0] == ["Южен", "Западен"]
    assert result["unresolved_only"].tolist() == [True, False]


def test_save_districts_writes_geojson_atomically(tmp_path: Path) -> None:
    gdf = build_districts(write_grid_extract(tmp_path / "complete.osm.pbf"))
    out = save_districts(gdf, tmp_path / "districts")
    assert out == tmp_path / "districts" / "districts.geojson"
    assert [p.name for p in out.parent.iterdir()] == ["districts.geojson"]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == 6
    props = data["features"][0]["properties"]
    assert set(props) == set(COLUMNS) - {"geometry"}
    coords = data["features"][0]["geometry"]["coordinates"][0]
    assert all(len(repr(x).split(".")[-1]) <= 6 for pt in coords for x in pt)


def test_save_districts_replaces_only_when_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gdf = build_districts(write_grid_extract(tmp_path / "complete.osm.pbf"))
    out = save_districts(gdf, tmp_path / "districts")
    out = save_districts(gdf.iloc[:2], tmp_path / "districts")  # an existing file is replaced
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 2
    before = out.read_bytes()

    def broken(self: gpd.GeoDataFrame, path: Path, **kwargs: object) -> None:
        Path(path).write_text('{"type": "FeatureCollection", "feat', encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", broken)
    with pytest.raises(OSError, match="disk full"):
        save_districts(gdf, tmp_path / "districts")
    assert out.read_bytes() == before  # the half-written file never replaced the old one
    assert [p.name for p in out.parent.iterdir()] == ["districts.geojson"]


def test_assign_districts_line_crossing_two_districts(tmp_path: Path) -> None:
    gdf = build_districts(write_grid_extract(tmp_path / "complete.osm.pbf"))
    crossing = LineString([(24.70, 42.12), (24.75, 42.12)])  # Западен → Южен
    inside = LineString([(24.68, 42.16), (24.70, 42.16)])  # Северен only
    ends_on_boundary = LineString([(24.70, 42.12), (24.72, 42.12)])  # touches Южен at one point
    result = assign_districts(gpd.GeoSeries([crossing, inside, ends_on_boundary], crs=4326), gdf)
    assert result["districts"].tolist() == [["Южен", "Западен"], ["Северен"], ["Западен"]]
    assert not result["unresolved_only"].any()


# --- the real extract -------------------------------------------------------------------------------

real = pytest.mark.skipif(
    not PBF.is_file(),
    reason=f"OSM extract not found at {PBF} (set PLOVDIV_OSM_PBF or provide ../shared)",
)


@pytest.fixture(scope="module")
def plovdiv() -> gpd.GeoDataFrame:
    return build_districts(PBF)


def _osmium_area_km2(rel_id: int) -> float:
    """Independent ring assembly: libosmium's multipolygon assembler (closed rings only)."""
    factory = osmium.geom.WKBFactory()
    processor = osmium.FileProcessor(str(PBF)).with_areas(osmium.filter.IdFilter([rel_id]))
    for obj in processor:
        if obj.is_area() and not obj.from_way() and obj.orig_id() == rel_id:
            return _area_m2(shapely.from_wkb(factory.create_multipolygon(obj))) / 1e6
    raise AssertionError(f"osmium could not assemble relation {rel_id}")


@real
def test_real_extract_features(plovdiv: gpd.GeoDataFrame) -> None:
    assert tuple(plovdiv.columns) == COLUMNS
    assert list(plovdiv["name"]) == [*PLOVDIV_DISTRICTS.values(), "Южен / Западен"]
    assert_valid_and_disjoint(plovdiv)
    rows = _by_name(plovdiv)
    assert {n for n, r in rows.items() if r["exact"]} == set(EXACT_REAL)
    assert rows["Тракия"]["closed_along_clip_box"] and not rows["Тракия"]["exact"]
    rest = rows["Южен / Западен"]
    assert rest["unresolved"] and rest["name_en"] == "Yuzhen / Zapaden"
    assert 1.0 < rest["area_km2"] < 15.0
    for name in ("Южен", "Западен", "Тракия"):
        assert rows[name]["area_km2"] > 5.0, name
    # The gap's corner (24.708, 42.128) is where the shared boundary stops.
    assert "24.7081, 42.1280" in rows["Южен"]["note"]
    # Nothing outside the clip box.
    minx, miny, maxx, maxy = plovdiv.total_bounds
    assert minx >= 24.658 - 1e-6 and maxx <= 24.824 + 1e-6
    assert miny >= 42.104 - 1e-6 and maxy <= 42.184 + 1e-6


@real
@pytest.mark.parametrize("name", sorted(EXACT_REAL))
def test_real_exact_districts_match_osmium_assembly(plovdiv: gpd.GeoDataFrame, name: str) -> None:
    row = _by_name(plovdiv)[name]
    assert row["osm_relation_id"] == EXACT_REAL[name]
    assert row["area_km2"] == pytest.approx(_osmium_area_km2(EXACT_REAL[name]), rel=0.01)


@real
def test_real_assign_districts(plovdiv: gpd.GeoDataFrame) -> None:
    rows = _by_name(plovdiv)
    a = rows["Централен"].geometry.representative_point()
    b = rows["Източен"].geometry.representative_point()
    gap = rows["Южен / Западен"].geometry.representative_point()
    result = assign_districts([LineString([a, b]), gap, a], plovdiv)
    assert result["districts"].iloc[0] == ["Централен", "Източен"]
    assert result["unresolved_only"].tolist() == [False, True, False]
    assert result["candidates"].iloc[1] == ["Южен", "Западен"]
    assert result["districts"].iloc[2] == ["Централен"]


def test_membership_is_by_share_not_any_touch(tmp_path: Path) -> None:
    """Issue #13: a block 1.7% in the neighbouring district belongs to one district only."""
    from shapely.geometry import box

    gdf = build_districts(write_grid_extract(tmp_path / "complete.osm.pbf"))
    boundary_x = 24.72  # Западен | Южен in the grid extract (see the line test above)
    sliver = box(boundary_x - 0.01, 42.115, boundary_x + 0.0002, 42.125)  # ~2% east of it
    halves = box(boundary_x - 0.005, 42.115, boundary_x + 0.005, 42.125)
    short_tail = LineString([(boundary_x - 0.02, 42.12), (boundary_x + 0.0003, 42.12)])  # ~25 m past it
    long_tail = LineString([(boundary_x - 0.02, 42.12), (boundary_x + 0.002, 42.12)])  # ~165 m past it
    result = assign_districts(gpd.GeoSeries([sliver, halves, short_tail, long_tail], crs=4326), gdf)
    assert result["districts"].tolist() == [
        ["Западен"],
        ["Южен", "Западен"],
        ["Западен"],
        ["Южен", "Западен"],
    ]
