"""The domain model: one record type, one schema, one definition of located, one settings module."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from works.errors import PlovdivError
from works.files import atomic_path, atomic_write_text
from works.geojson import FIELDS, RegisterError, dumps, feature_collection, from_feature, read_register
from works.model import LOCATED_PRECISIONS, Location, Precision, WorkRecord, is_located
from works.settings import ConfigError, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_register_round_trips_through_the_domain_model(real_records: list[WorkRecord]) -> None:
    collection = feature_collection(real_records, {"source": "x"})
    again = [from_feature(f, i) for i, f in enumerate(json.loads(dumps(collection))["features"])]
    assert dumps(feature_collection(again, {"source": "x"})) == dumps(collection)
    assert list(collection["features"][0]["properties"]) == [
        k for k in FIELDS if k in collection["features"][0]["properties"]
    ]


def test_invalid_features_are_one_line_errors(tmp_path: Path) -> None:
    good = {
        "type": "Feature",
        "properties": {"id": "a", "name": "А", "status": "completed"},
        "geometry": None,
    }
    assert from_feature(good).status == "completed"
    for props, message in (
        ({"id": "a", "name": "А", "status": "done"}, "status 'done' is not one of"),
        ({"id": "a", "status": "completed"}, "no name"),
        ({"id": "a", "name": "А", "status": "completed", "categories": ["roads"]}, "category 'roads'"),
        ({"id": "a", "name": "А", "status": "completed", "priority": "1"}, "priority must be a whole number"),
    ):
        with pytest.raises(RegisterError, match=re.escape(message)) as info:
            from_feature({**good, "properties": props})
        assert "\n" not in str(info.value) and isinstance(info.value, ValueError)
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}), "utf-8")
    with pytest.raises(RegisterError, match="feature 1"):
        read_register(path)


def test_one_definition_of_located() -> None:
    record = from_feature({"type": "Feature", "properties": {"id": "a", "name": "А", "status": "planned"}})
    assert not is_located(record)  # not geocoded
    point = {"type": "Point", "coordinates": [24.75, 42.14]}
    for precision in Precision:
        record.location = Location(precision, point)
        assert is_located(record) == (precision in LOCATED_PRECISIONS)
    record.location = Location(Precision.STREET, None)
    assert not is_located(record)  # a precision without a geometry is not on the map


def test_readme_table_lists_every_published_field() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## The register") :]
    first_cells = re.findall(r"^\| ([^|]+) \|", table, re.M)
    listed = {name for cell in first_cells for name in re.findall(r"`([a-z_]+)`", cell)}
    assert set(FIELDS) <= listed, set(FIELDS) - listed


def test_settings_follow_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PLOVDIV_PROJECTS", "PLOVDIV_CORRECTIONS_DB", "PLOVDIV_DISTRICTS", "PLOVDIV_GAZETTEER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PLOVDIV_DATA_DIR", str(tmp_path))
    settings = load_settings()
    # The build and the dashboard read the same pins and register (they used to diverge).
    assert settings.corrections_db == tmp_path / "corrections.sqlite"
    assert settings.projects == tmp_path / "projects.geojson"
    assert load_settings(projects=tmp_path / "x.geojson").unresolved == tmp_path / "unresolved.csv"
    assert issubclass(ConfigError, PlovdivError) and issubclass(PlovdivError, ValueError)


def test_atomic_writes_leave_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    atomic_write_text(target, "old\n")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("crash mid-write")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
