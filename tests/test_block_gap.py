"""Issue 13f: a block outline that closes a long gap with a straight line is flagged, and a
street continuing a listed one across the gap (another name in OSM) is followed instead.

Synthetic block ~400 m square: ул. „Западна“ (x = 24.740), ул. „Източна“ (x = 24.745),
ул. „Южна“ (y = 42.150) and бул. „Северна“ (y = 42.1536), which stops half way; the
unlisted бул. „Продължена“ carries on from its end. The real block (line 141) is scored by
tests/test_geometry_labelled.py (its expected ends include the continuing boulevard).
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, box

from geocoding.gazetteer import COLUMNS
from geocoding.lookup import GazetteerIndex
from geocoding.resolve import Resolver
from tests.geo_fixtures import gazetteer_row as _row

DISTRICTS = gpd.GeoDataFrame(
    {"name": ["Източен"], "unresolved": [False], "geometry": [box(24.60, 42.00, 24.90, 42.30)]},
    crs="EPSG:4326",
)
WEST = LineString([(24.7400, 42.1490), (24.7400, 42.1546)])
EAST = LineString([(24.7450, 42.1490), (24.7450, 42.1546)])
SOUTH = LineString([(24.7390, 42.1500), (24.7460, 42.1500)])
NORTH = LineString([(24.7390, 42.1536), (24.7420, 42.1536)])  # stops ~165 m short of EAST
ON = LineString([(24.7420, 42.1536), (24.7460, 42.1536)])  # continues it to EAST and on
SIDE = LineString([(24.7420, 42.1536), (24.7420, 42.1600)])  # a cross street at its end, northward
PLACE = {
    "text": "каре",
    "kind": "block",
    "name": "каре",
    "streets": ["ул. „Западна“", "бул. „Северна“", "ул. „Източна“", "ул. „Южна“"],
}


def _resolver(*extra: tuple[str, LineString]) -> Resolver:
    rows = [
        _row("Западна", "street", 1, WEST),
        _row("Северна", "boulevard", 2, NORTH),
        _row("Източна", "street", 3, EAST),
        _row("Южна", "street", 4, SOUTH),
    ]
    rows += [_row(name, "boulevard", 10 + k, g) for k, (name, g) in enumerate(extra)]
    gdf = gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")
    return Resolver(GazetteerIndex(gdf), DISTRICTS)


def test_a_long_straight_closing_line_is_flagged_block_gap() -> None:
    result = _resolver(("Странична", SIDE)).resolve_record({"places": [PLACE]})
    assert result.precision == "area"
    assert {"block_outline", "block_gap"} <= set(result.flags)
    assert "block_continued" not in result.flags and "way/10" not in result.sources  # sideways


def test_a_street_continuing_a_listed_one_closes_the_gap() -> None:
    resolver = _resolver(("Странична", SIDE), ("Продължена", ON))
    gapped = _resolver().resolve_record({"places": [PLACE]})
    result = resolver.resolve_record({"places": [PLACE]})
    assert result.precision == "area" and "block_gap" not in result.flags
    assert "block_continued" in result.flags and "way/11" in result.sources
    assert "way/10" not in result.sources
    assert any("бул. „Северна“" in f and "Продължена" in f for f in result.flags)
    assert result.metric is not None and gapped.metric is not None
    full = box(*result.metric.bounds)
    # The bounds box is a little larger (UTM grid is rotated against lon/lat): ~95% of it.
    assert result.metric.area > 0.93 * full.area  # the whole block, not its corner cut off
