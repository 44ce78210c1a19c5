"""Planners' pins survive a rebuild: the pipeline applies them and re-derives their districts."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli import main
from pipeline.corrections import add_correction, init_db


def test_rebuild_applies_pins_and_their_district(real_report: Path, tmp_path: Path) -> None:
    data_dir = Path(__file__).resolve().parent.parent / "data"
    if not (data_dir / "districts" / "districts.geojson").is_file():
        import pytest

        pytest.skip("district polygons not built (run `make data`)")
    out = tmp_path / "projects.geojson"
    assert main(["--report", str(real_report), "--out", str(out), "--quiet", "--no-download"]) == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    target = next(f for f in first["features"] if f["geometry"] is None)
    districts = json.loads((data_dir / "districts" / "districts.geojson").read_text(encoding="utf-8"))
    central = next(f for f in districts["features"] if f["properties"]["name"] == "Централен")
    from shapely.geometry import shape

    inside = shape(central["geometry"]).representative_point()
    db = tmp_path / "pins.sqlite"
    init_db(db)
    add_correction(db, target["properties"]["key"], inside.y, inside.x, "planner", "placed by hand")
    args = ["--report", str(real_report), "--out", str(out), "--quiet", "--no-download"]
    assert main([*args, "--corrections", str(db)]) == 0
    again = json.loads(out.read_text(encoding="utf-8"))
    pinned = next(f for f in again["features"] if f["id"] == target["id"])
    props = pinned["properties"]
    assert pinned["geometry"]["type"] == "Point"
    assert props["precision"] == "manual" and props["corrected"] is True
    assert props["districts"] == ["Централен"]
    assert isinstance(props["geocode_source"], list) and props["geocode_source"][0].startswith(
        "manual correction #"
    )
    assert again["metadata"]["corrections"]["applied"] == 1
    # Every other record is as it was.
    others = [f for f in again["features"] if f["id"] != target["id"]]
    assert others == [f for f in first["features"] if f["id"] != target["id"]]
