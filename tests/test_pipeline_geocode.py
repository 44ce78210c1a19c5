"""`python -m pipeline` with geocoding on the real report and extract: the register's new fields,
`unresolved.csv`, determinism, the city-extent rule and bad-input handling."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo.projection import to_metric
from geocoding.resolve import UNRESOLVED_REASONS
from pipeline.cli import main
from tests.geo_fixtures import PBF, needs_extract

REPO = Path(__file__).resolve().parents[1]
PRECISIONS = {"facility", "segment", "street", "area", "neighbourhood", "district", "city", "none"}
REASONS = UNRESOLVED_REASONS
#: Measured on the 2023-01-02 extract, reviews applied, over every feature (the records taken
#: off the map too): 168 of 219 place-naming records (76.7%; the build's summary, public works
#: only, says 162 of 209, 77.5%). Most of the rest name places absent from the extract (README):
#: the guide's §7 added line 89's kindergartens and §8 split the Цалапица landfill's three
#: cameras (the village is outside the extract), each one more unlocatable record.
LOCATED_FLOOR = 0.76

pytestmark = needs_extract


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory, real_report: Path) -> dict:
    """One geocoded build into a temp folder (gazetteer and districts built there too)."""
    root = tmp_path_factory.mktemp("build")
    out = root / "projects.geojson"
    args = [
        "--report",
        str(real_report),
        "--out",
        str(out),
        "--osm",
        str(PBF),
        "--data-dir",
        str(root / "data"),
    ]
    assert main([*args, "--quiet"]) == 0
    first = out.read_bytes()
    start = time.perf_counter()
    assert main([*args, "--quiet"]) == 0  # gazetteer exists now: the geocoding run alone
    seconds = time.perf_counter() - start
    plain = root / "plain.geojson"
    assert main(["--report", str(real_report), "--out", str(plain), "--no-geocode", "--quiet"]) == 0
    return {
        "root": root,
        "out": out,
        "first": first,
        "data": json.loads(out.read_text(encoding="utf-8")),
        "plain": json.loads(plain.read_text(encoding="utf-8")),
        "unresolved": list(csv.DictReader((root / "unresolved.csv").open(encoding="utf-8"))),
        "seconds": seconds,
    }


def test_deterministic_and_fast(build: dict) -> None:
    assert build["out"].read_bytes() == build["first"]
    assert build["seconds"] < 10.0  # `make bench` holds the 5 s target; CI machines vary
    meta = build["data"]["metadata"]["geocoding"]
    assert meta["attribution"] == "© OpenStreetMap contributors, ODbL 1.0"
    assert meta["osm_extract"] == PBF.name and len(meta["osm_sha256"]) == 64


def test_every_record_has_the_new_fields(build: dict) -> None:
    for feat, plain in zip(build["data"]["features"], build["plain"]["features"], strict=True):
        p = feat["properties"]
        assert set(plain["properties"]) <= set(p)  # the old properties stay
        assert p["precision"] in PRECISIONS
        located = p["precision"] in {"facility", "segment", "street", "area", "neighbourhood"}
        assert (feat["geometry"] is not None) == located, p["id"]
        if located:
            assert p["geocode_source"] and all(
                re.fullmatch(r"(node|way|relation)/\d+", s) for s in p["geocode_source"]
            )
            assert 85 <= p["geocode_score"] <= 100
        elif p["precision"] == "district":
            assert p["geocode_source"][0] == "rule:district_named_in_text" and p["districts"]
        elif p["precision"] == "city":
            assert p["geocode_source"] == ["rule:city_wide"] and not p["places"]
        assert isinstance(p["district_approximate"], bool)


def test_named_districts_are_kept_and_spatial_ones_added(build: dict) -> None:
    for feat, plain in zip(build["data"]["features"], build["plain"]["features"], strict=True):
        named = plain["properties"]["districts"]
        assert set(named) <= set(feat["properties"]["districts"])
        if len(named) == 1:
            assert named[0] in feat["properties"]["districts"]


def test_geometry_is_wgs84_rounded_and_inside_the_city(build: dict) -> None:
    districts = gpd.read_file(build["root"] / "data" / "districts" / "districts.geojson")
    city = shapely.union_all(list(to_metric(districts).geometry)).buffer(1_000.0 + 1.0)
    for feat in build["data"]["features"]:
        if feat["geometry"] is None:
            continue
        geom = shape(feat["geometry"])
        assert geom.is_valid and not geom.is_empty
        minx, miny, maxx, maxy = geom.bounds
        assert 24.5 < minx and maxx < 25.0 and 42.0 < miny and maxy < 42.3  # lon/lat order
        assert city.contains(to_metric(geom)), feat["id"]
        for number in re.findall(r"-?\d+\.\d+", json.dumps(feat["geometry"])):
            assert len(number.split(".")[1]) <= 6


def test_unresolved_csv_lists_every_miss_with_a_reason(build: dict) -> None:
    rows = build["unresolved"]
    ids = {f["id"] for f in build["data"]["features"]}
    assert rows and set(rows[0]) == {"record_id", "key", "text", "kind", "reason", "detail"}
    assert all(r["record_id"] in ids and r["reason"] in REASONS for r in rows)
    texts = " ".join(r["text"] for r in rows)
    for gap in ("Голямоконарско шосе", "Съборище", "Майчина грижа"):  # known gaps of the extract
        assert gap in texts
    none = [f["id"] for f in build["data"]["features"] if f["properties"]["precision"] == "none"]
    assert set(none) <= {r["record_id"] for r in rows}  # every unlocated record is explained


def test_share_of_place_naming_records_located(build: dict) -> None:
    naming = [f["properties"] for f in build["data"]["features"] if f["properties"]["places"]]
    located = [p for p in naming if p["precision"] in {"facility", "segment", "street", "area"}]
    assert len(located) / len(naming) >= LOCATED_FLOOR


def test_summary_prints_totals(real_report: Path, build: dict) -> None:
    out = build["root"] / "again.geojson"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "--report", str(real_report), "--out", str(out), "--osm", str(PBF),
         "--data-dir", str(build["root"] / "data")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "by precision:" in proc.stdout and "unresolved place mentions:" in proc.stdout
    assert "place-naming records located" in proc.stdout


def test_missing_extract_is_one_line_exit_2(real_report: Path, tmp_path: Path) -> None:
    out = tmp_path / "projects.geojson"
    out.write_text("EXISTING", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "--report", str(real_report), "--out", str(out),
         "--osm", str(tmp_path / "nope.osm.pbf"), "--data-dir", str(tmp_path / "data")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and "OSM extract not found" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == "EXISTING"


def test_stale_outputs_are_rebuilt(tmp_path: Path) -> None:
    import os

    from pipeline.geodata import is_stale

    src, target = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("x")
    assert is_stale(target, [src])
    target.write_text("y")
    os.utime(src, (time.time() + 10, time.time() + 10))
    assert is_stale(target, [src])
    os.utime(target, (time.time() + 20, time.time() + 20))
    assert not is_stale(target, [src, tmp_path / "missing-input"])


def test_damaged_inputs_are_one_line_exit_2(real_report: Path, tmp_path: Path) -> None:
    bad_pbf = tmp_path / "bad.osm.pbf"
    bad_pbf.write_bytes(b"not a pbf at all")
    data = tmp_path / "data"
    base = [
        sys.executable,
        "-m",
        "pipeline",
        "--report",
        str(real_report),
        "--out",
        str(tmp_path / "o.geojson"),
    ]
    proc = subprocess.run(
        [*base, "--osm", str(bad_pbf), "--data-dir", str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "cannot build geodata" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    # A damaged built gazetteer (newer than its inputs, so not rebuilt) is reported, not a traceback.
    (data / "districts").mkdir(parents=True)
    (data / "gazetteer.parquet").write_bytes(b"garbage")
    (data / "districts" / "districts.geojson").write_text("{}", encoding="utf-8")
    proc = subprocess.run(
        [*base, "--osm", str(PBF), "--data-dir", str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "cannot read the built geodata" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
