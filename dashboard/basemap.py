"""An offline basemap drawn from the OpenStreetMap extract: major streets, the Марица, parks.

Why: the dashboard must work on intranets with no tile server, and a map of project lines
with no streets or river around them is unreadable. ``python -m dashboard.basemap`` reads the
``.osm.pbf`` once (pyosmium), keeps the few layers a reader orients by, simplifies them in
metres (EPSG:32635) and writes ``data/basemap.geojson`` (git-ignored, ~100 kB). Without the
extract it falls back to the gazetteer's streets and parks (no river there). Either way the
data is © OpenStreetMap contributors, ODbL 1.0, and the map credits it.

Usage: ``python -m dashboard.basemap [--osm PBF] [--gazetteer PARQUET] [--out GEOJSON]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiLineString, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

from geo.projection import to_metric, to_wgs84
from works.errors import PlovdivError
from works.files import atomic_write_text
from works.settings import OSM_ATTRIBUTION, load_settings

#: highway=* values drawn as major streets.
MAJOR_HIGHWAYS = frozenset({"motorway", "trunk", "primary", "secondary", "tertiary"})
#: Simplification tolerance (m) and the smallest area kept (m²) per layer.
TOLERANCE_M = {"major": 6.0, "street": 6.0, "river": 10.0, "water": 6.0, "park": 5.0, "rail": 10.0}
MIN_AREA_M2 = {"water": 4000.0, "park": 4000.0}
#: Drawing order: areas first, then lines.
LAYER_ORDER = ("water", "park", "rail", "street", "major", "river")
COORD_DECIMALS = 5  # ~1 m


class BasemapError(PlovdivError):
    """No usable input; the message is one line for the user."""


def _layer(tags: Any, is_area: bool) -> str | None:
    """Which basemap layer an OSM object belongs to (None: not drawn)."""
    if is_area:
        if tags.get("natural") == "water" or tags.get("waterway") == "riverbank":
            return "water"
        if tags.get("leisure") in ("park", "garden") or tags.get("landuse") == "recreation_ground":
            return "park"
        return None
    if tags.get("waterway") == "river":
        return "river"
    if tags.get("highway") in MAJOR_HIGHWAYS:
        return "major"
    if tags.get("railway") == "rail" and not tags.get("service"):
        return "rail"
    return None


def read_pbf(pbf: Path) -> dict[str, list[tuple[str, BaseGeometry]]]:
    """(name, lon/lat geometry) per layer from the extract."""
    import osmium

    factory = osmium.geom.WKBFactory()
    layers: dict[str, list[tuple[str, BaseGeometry]]] = defaultdict(list)
    keys = osmium.filter.KeyFilter("highway", "waterway", "natural", "leisure", "landuse", "railway")
    processor = osmium.FileProcessor(str(pbf)).with_locations().with_areas().with_filter(keys)
    for obj in processor:
        if isinstance(obj, osmium.osm.Changeset):
            continue
        name = str(obj.tags.get("name", ""))
        try:
            if isinstance(obj, osmium.osm.Way):
                layer = _layer(obj.tags, is_area=False)
                if layer:
                    layers[layer].append((name, shapely.from_wkb(factory.create_linestring(obj))))
            elif isinstance(obj, osmium.osm.Area):
                layer = _layer(obj.tags, is_area=True)
                if layer:
                    layers[layer].append((name, shapely.from_wkb(factory.create_multipolygon(obj))))
        except (RuntimeError, osmium.InvalidLocationError):
            continue  # a way or area clipped at the extract's box: skip it
    return layers


def read_gazetteer(path: Path) -> dict[str, list[tuple[str, BaseGeometry]]]:
    """Fallback layers from the gazetteer: boulevards as major streets, long streets, parks."""
    import geopandas as gpd

    gdf = gpd.read_parquet(path)
    layers: dict[str, list[tuple[str, BaseGeometry]]] = defaultdict(list)
    lengths = to_metric(gdf.geometry.set_crs("EPSG:4326", allow_override=True)).length
    for name, kind, geom, length in zip(gdf["name"], gdf["kind"], gdf.geometry, lengths, strict=True):
        if kind == "boulevard":
            layers["major"].append((name, geom))
        elif kind == "street" and length > 800:
            layers["street"].append((name, geom))
        elif kind in ("park", "garden") and geom.geom_type in ("Polygon", "MultiPolygon"):
            layers["park"].append((name, geom))
    return layers


def simplify_layers(layers: dict[str, list[tuple[str, BaseGeometry]]]) -> dict[str, Any]:
    """Merge lines by name, drop small areas, simplify in metres: a GeoJSON FeatureCollection."""
    features: list[dict[str, Any]] = []
    for layer in LAYER_ORDER:
        by_name: dict[str, list[BaseGeometry]] = defaultdict(list)
        for name, geom in layers.get(layer, []):
            by_name[name].append(to_metric(geom))
        for name in sorted(by_name):
            parts = by_name[name]
            if layer in MIN_AREA_M2:
                merged = unary_union(parts)
                if merged.area < MIN_AREA_M2[layer]:
                    continue
            else:
                merged = unary_union(parts)
                if isinstance(merged, MultiLineString):
                    merged = linemerge(merged)
            simple = merged.simplify(TOLERANCE_M[layer], preserve_topology=True)
            if simple.is_empty:
                continue
            geom = shapely.set_precision(to_wgs84(simple), 10.0**-COORD_DECIMALS)
            if geom.is_empty:
                continue
            features.append(
                {"type": "Feature", "properties": {"layer": layer, "name": name}, "geometry": mapping(geom)}
            )
    return {"type": "FeatureCollection", "attribution": OSM_ATTRIBUTION + ", ODbL 1.0", "features": features}


def build_basemap(pbf: Path | None, gazetteer: Path | None) -> dict[str, Any]:
    """The basemap from the extract, else from the gazetteer; :class:`BasemapError` if neither."""
    if pbf is not None and pbf.is_file():
        return simplify_layers(read_pbf(pbf))
    if gazetteer is not None and gazetteer.is_file():
        return simplify_layers(read_gazetteer(gazetteer))
    raise BasemapError(f"neither the OSM extract ({pbf}) nor the gazetteer ({gazetteer}) exists")


def main(argv: list[str] | None = None) -> int:
    """CLI: build and write the basemap atomically; exit 2 with one line on a bad input."""
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m dashboard.basemap", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--osm", type=Path, default=settings.osm_pbf, help="OSM extract (default: %(default)s)"
    )
    parser.add_argument(
        "--gazetteer", type=Path, default=settings.gazetteer, help="fallback (default: %(default)s)"
    )
    parser.add_argument("--out", type=Path, default=settings.basemap, help="output (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        collection = build_basemap(args.osm, args.gazetteer)
        atomic_write_text(args.out, json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    except BasemapError as exc:
        print(f"basemap: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"basemap: error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    counts: dict[str, int] = defaultdict(int)
    for feature in collection["features"]:
        counts[feature["properties"]["layer"]] += 1
    size = args.out.stat().st_size
    print(
        f"basemap: wrote {args.out} ({size // 1024} kB; "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
