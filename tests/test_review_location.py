"""The review screen's location picker: a facility and a street segment picked through the
offline geocoder are stored as ``edit`` decisions of ``places``; the map shows the new
geometry at once (on load) and ``python -m pipeline`` gives the same geometry at the rebuild.

A made-up gazetteer inside the dashboard fixtures' districts (no OSM data needed): a street
„Главна“ crossed by „Първа“, „Втора“ and „Трета“, a school and a park.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest

from dashboard.data import load_picker, load_register
from geocoding.gazetteer import COLUMNS, save_gazetteer
from geocoding.picker import PickError, PlacePicker
from pipeline import reviews
from pipeline.cli import main
from pipeline.geocode_stage import load_resolver
from tests.geo_fixtures import gazetteer_row
from tests.test_review import FIXTURES, REPO_ROOT, REPORT

PASSWORD = "s3cret"


def _gazetteer() -> gpd.GeoDataFrame:
    line, point = shapely.LineString, shapely.Point
    rows = [
        gazetteer_row("Главна", "street", 11, line([(24.705, 42.14), (24.755, 42.14)])),
        gazetteer_row("Първа", "street", 12, line([(24.725, 42.125), (24.725, 42.16)])),
        gazetteer_row("Втора", "street", 13, line([(24.735, 42.125), (24.735, 42.16)])),
        gazetteer_row("Трета", "street", 14, line([(24.745, 42.125), (24.745, 42.16)])),
        gazetteer_row('СУ "Тестово"', "school", 15, point(24.73, 42.125).buffer(0.0004)),
        gazetteer_row("Лаута", "park", 16, point(24.75, 42.13).buffer(0.002)),
        gazetteer_row("Отдих", "park", 17, point(24.71, 42.155).buffer(0.001)),
        gazetteer_row("Тестово", "bus_stop", 18, point(24.731, 42.126), osm_type="node"),
    ]
    return gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")


def located_data(root: Path) -> None:
    """The made-up gazetteer and the fixture districts, built as ``python -m pipeline`` expects
    them under a data folder (newer than the extract and the code: not rebuilt)."""
    (root / "districts").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "districts.geojson", root / "districts" / "districts.geojson")
    save_gazetteer(_gazetteer(), root / "gazetteer.parquet")


@pytest.fixture
def located_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A geocoded build of the review report on the made-up gazetteer; the app's settings."""
    located_data(tmp_path)
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    for name, value in {
        "PLOVDIV_DATA_DIR": str(tmp_path), "PLOVDIV_REPORT": str(report),
        "PLOVDIV_REVIEWS_DIR": str(tmp_path / "rv"), "PLOVDIV_BASEMAP": str(FIXTURES / "basemap.geojson"),
        "PLOVDIV_TILES": "off", "PLOVDIV_PLANNER_PASSWORD": PASSWORD,
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    for name in ("PLOVDIV_PROJECTS", "PLOVDIV_DISTRICTS", "PLOVDIV_GAZETTEER", "PLOVDIV_CORRECTIONS_DB"):
        monkeypatch.delenv(name, raising=False)
    _rebuild(tmp_path)
    return tmp_path


def _rebuild(root: Path) -> dict[str, dict]:
    """``python -m pipeline`` (decisions applied, geocoded); the features by key."""
    assert main(["--quiet", "--no-download"]) == 0
    data = json.loads((root / "projects.geojson").read_text(encoding="utf-8"))
    assert "geocoding" in data["metadata"]
    return {f["properties"]["key"]: f for f in data["features"]}


def _loaded(root: Path) -> dict[str, object]:
    """What the dashboard draws on load (decisions since the build applied): geometry by key."""
    db = root / "corrections.sqlite"
    register = load_register(
        str(root / "projects.geojson"), 1.0, str(root / "districts" / "districts.geojson"), 1.0,
        str(db), reviews.version(db), str(root / "gazetteer.parquet"), 1.0,
    )  # fmt: skip
    # The record's own geometry (the map's column is simplified for display).
    return {
        key: shape(f["geometry"])
        for key, f in zip(register.records["key"], register.records["feature"], strict=True)
        if f["geometry"]
    }


def _logged_in(key: str) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["view"] = "review"
    at.run()
    next(e for e in at.text_input if e.label == "Вашето име").set_value("Ана")
    next(e for e in at.text_input if e.label == "Парола").set_value(PASSWORD)
    at.button(key="FormSubmitter:planner_login-Вход").click().run()
    at.selectbox(key="review_key").set_value(key).run()
    assert not at.exception, at.exception
    return at


def _choose(at: AppTest, prefix: str, starts: str) -> None:
    box = next(s for s in at.selectbox if str(s.key).startswith(prefix))
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(starts))).run()


def _work(features: dict[str, dict], word: str) -> str:
    return next(k for k, f in features.items() if word in f["properties"]["name"])


def test_picking_a_facility_and_a_segment_stores_places_the_rebuild_resolves_the_same(
    located_env: Path,
) -> None:
    built = _rebuild(located_env)
    park = _work(built, "Отдих")
    at = _logged_in(park)
    at.text_input(key=f"lq_{park}").set_value("testovo").run()  # Latin finds the Cyrillic name
    box = at.selectbox(key=f"lc_{park}")
    assert box.options == ['СУ "Тестово" · училище · way/15 · Южен']  # never the bus stop
    assert any("Обект" in str(m.value) for m in at.markdown)  # the preview's precision
    at.text_input(key=f"lr_{park}").set_value("училището, не паркът")
    at.button(key=f"ls_{park}").click().run()
    assert not at.exception, at.exception
    assert any("Записано: място." in str(s.value) for s in at.success)
    assert at.selectbox(key="review_key").value != park  # the next work loads at once

    second = _work(built, "Първа")
    at.selectbox(key="review_key").set_value(second).run()
    at.text_input(key=f"lq_{second}").set_value("Главна").run()
    _choose(at, f"lf_{second}_", "ул. „Първа“")
    _choose(at, f"lt_{second}_", "ул. „Трета“")
    assert any("Участък от улица" in str(m.value) for m in at.markdown)
    at.button(key=f"ls_{second}").click().run()
    assert not at.exception, at.exception

    db = located_env / "corrections.sqlite"
    decisions = reviews.list_decisions(db, "r.txt")
    assert [(d.key, str(d.action), d.reviewer) for d in decisions] == [
        (park, "edit", "Ана"),
        (second, "edit", "Ана"),
    ]
    assert decisions[0].reason == "училището, не паркът"
    assert decisions[0].changes == {
        "places": [{"text": 'СУ "Тестово"', "kind": "school", "name": 'СУ "Тестово"'}]
    }
    assert decisions[1].changes["places"] == [
        {
            "text": "ул. „Главна“ от ул. „Първа“ до ул. „Трета“",
            "kind": "street",
            "name": "ул. „Главна“",
            "between": ["ул. „Първа“", "ул. „Трета“"],
        }
    ]
    # The map shows the new geometry at once (decisions since the build, located on load) …
    shown = _loaded(located_env)
    # … and the rebuild gives the same geometry, at the precision the preview said.
    rebuilt = _rebuild(located_env)
    for key, precision in ((park, "facility"), (second, "segment")):
        props = rebuilt[key]["properties"]
        assert (props["precision"], props["review"]) == (precision, "corrected")
        assert shape(rebuilt[key]["geometry"]).equals_exact(shown[key], 1e-6)
    segment = shape(rebuilt[second]["geometry"])
    assert segment.bounds[0] == pytest.approx(24.725, abs=1e-5) and segment.bounds[2] == pytest.approx(
        24.745, abs=1e-5
    )
    assert "way/15" in rebuilt[park]["properties"]["geocode_source"]


def test_a_pick_the_geocoder_cannot_reproduce_is_refused(located_env: Path) -> None:
    picker, why = load_picker(
        str(located_env / "gazetteer.parquet"), 0.0, str(located_env / "districts" / "districts.geojson"), 0.0
    )
    assert picker is not None, why
    street = picker.search("Главна")[0]
    with pytest.raises(PickError, match="both"):
        picker.place(street, picker.cross_streets(street)[0], None)
    with pytest.raises(PickError, match="not a street"):
        school = picker.search("Тестово")[0]
        picker.place(school, street, street)
    twin = _gazetteer()
    twin.loc[len(twin)] = gazetteer_row(
        "Главна", "street", 19, shapely.LineString([(24.705, 42.16), (24.71, 42.16)])
    )
    far = PlacePicker(
        load_resolver(_save(twin, located_env), located_env / "districts" / "districts.geojson")
    )
    with pytest.raises(PickError, match="pin the work on the map instead"):
        far.place(far.search("Главна")[0])


def _save(gdf: gpd.GeoDataFrame, root: Path) -> Path:
    return save_gazetteer(gdf, root / "twin.parquet")
