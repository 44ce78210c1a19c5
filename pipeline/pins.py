"""Apply the planners' pins at every rebuild, and give a pinned record the districts of its pin.

The pins live in SQLite (`pipeline.corrections`); a rebuild regenerates every record from the
report, so without this step a correction would be lost at the next `make run`. A pin moves the
record, so its districts come from the spatial join at the pin (the planner's placement
overrides the text's district and the old geometry's join).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.corrections import apply_corrections


def apply_pins(
    features: list[dict[str, Any]], db_path: Path, districts_file: Path | None
) -> tuple[list[dict[str, Any]], int]:
    """Features with the pins applied, and how many were pinned. No database: unchanged."""
    if not Path(db_path).is_file():
        return features, 0
    fixed = apply_corrections(features, db_path)
    pinned = [i for i, f in enumerate(fixed) if (f.get("properties") or {}).get("corrected")]
    if pinned and districts_file is not None and Path(districts_file).is_file():
        _redistrict([fixed[i] for i in pinned], districts_file)
    return fixed, len(pinned)


def _redistrict(features: list[dict[str, Any]], districts_file: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import shape

    from geo.districts import assign_districts

    districts = gpd.read_file(districts_file)
    points = gpd.GeoSeries([shape(f["geometry"]) for f in features], crs="EPSG:4326")
    joined = assign_districts(points.to_crs(districts.crs), districts)
    for feature, (_, row) in zip(features, joined.iterrows(), strict=True):
        found, candidates = list(row["districts"]), list(row["candidates"])
        props = feature["properties"]
        props["districts"] = found or candidates
        props["district_approximate"] = not found and bool(candidates)
