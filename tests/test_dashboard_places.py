"""Place search and distances (residents), district statistics (planners), the offline basemap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, Polygon

from dashboard import basemap
from dashboard.planners import district_category_table, district_stats, road_lengths
from dashboard.residents import (
    Place,
    circle_bounds,
    cyrillic_guess,
    find_place,
    load_geocoder,
    nearby,
    suggestions,
)
from tests.dashboard_fakes import BrokenGeocoder, FakeGeocoder
from works.settings import load_settings


def test_latin_queries_are_tried_in_cyrillic() -> None:
    assert cyrillic_guess("ul. Kukush") == "ул. кукуш"
    assert cyrillic_guess("Kamenitsa") == "каменица"
    assert cyrillic_guess("Trakia") == "тракия"
    assert cyrillic_guess("Tsar Boris III") == "цар борис III"
    assert cyrillic_guess("bul. 6-ti septemvri") == "бул. 6-ти септември"
    assert cyrillic_guess("Каменица") is None


def test_find_place_handles_misses_and_broken_geocoders() -> None:
    place = find_place(FakeGeocoder(), "Ul. Kukush")
    assert place is not None and place.label == "ул. „Кукуш“" and (place.lat, place.lon) == (42.1302, 24.7351)
    assert find_place(FakeGeocoder(), "Никъде") is None
    assert find_place(BrokenGeocoder(), "ул. Кукуш") is None


def test_a_typo_gets_the_nearest_names() -> None:
    class Suggesting(FakeGeocoder):
        def suggest(self, query: str, limit: int = 3) -> list[str]:
            return ["Кукуш"] if "кукущ" in query.lower() else []

    assert suggestions(Suggesting(), "Кукущ") == ["Кукуш"]
    assert suggestions(Suggesting(), "Kukusht") == ["Кукуш"]  # Latin: tried in Cyrillic ("кукущ")
    assert suggestions(Suggesting(), "Никъде") == []
    assert suggestions(FakeGeocoder(), "Кукущ") == []  # a geocoder without suggest
    assert suggestions(BrokenGeocoder(), "Кукущ") == []


def test_a_street_place_is_measured_from_its_nearest_point(register) -> None:
    """Issue #13: with the street's whole line, "within 500 m" is from its nearest point."""
    far_end = Place("x", 42.1302, 24.7351, LineString([(24.7351, 42.1302), (24.7475, 42.1262)]))
    assert "t-segment" in nearby(register.records, far_end, 50)["id"].tolist()


def test_geocoder_loading_reports_why_it_is_missing() -> None:
    geocoder, why = load_geocoder("tests.dashboard_fakes:FakeGeocoder", "unused.parquet")
    assert isinstance(geocoder, FakeGeocoder) and why == ""
    geocoder, why = load_geocoder("tests.no_such_module:X", "unused.parquet")
    assert geocoder is None and "no_such_module" in why


def test_nearby_is_metric_nearest_first_and_measures_to_the_geometry(register) -> None:
    kukush = Place("ул. Кукуш", 42.1302, 24.7351, shapely.Point(24.7351, 42.1302))
    close = nearby(register.records, kukush, 500)
    assert list(close["id"]) == ["t-kukush", "t-xss", "t-collection"]
    assert list(close["distance_m"]) == sorted(close["distance_m"])
    assert 300 < close.set_index("id").loc["t-xss", "distance_m"] < 400  # ~350 m east-west at 42° N
    assert list(nearby(register.records, kukush, 250)["id"]) == ["t-kukush"]
    # a line counts by its nearest point, not its middle
    on_segment = Place("x", 42.1262, 24.7475, shapely.Point(24.7475, 42.1262))
    assert nearby(register.records, on_segment, 50)["id"].tolist() == ["t-segment"]
    (s, w), (n, e) = circle_bounds(42.13, 24.73, 1000)
    assert abs((n - s) * 111_320 - 2000) < 1 and w < 24.73 < e


def test_district_statistics(register) -> None:
    stats = district_stats(register.records, register.districts)
    assert stats.loc["Южен", "count"] == 3 and stats.loc["Тракия", "count"] == 2
    assert stats.loc["Централен", "per_km2"] == pytest.approx(
        2 / stats.loc["Централен", "area_km2"], abs=0.01
    )
    roads = road_lengths(register.records, register.districts)
    # the segment lies in Тракия (~0.9 km), the street in Западен (~1.2 km), both measured in metres
    assert roads.loc["Тракия", "in_progress"] == pytest.approx(0.9, abs=0.1)
    assert roads.loc["Западен", "stalled"] == pytest.approx(1.2, abs=0.1)
    table = district_category_table(register.records, "bg", str)
    assert table.loc["Тракия", "Пътища и улици"] == 1 and table.loc["none", "Осветление"] == 1
    assert table.loc["Северен", "Общо"] == 1  # one record, two categories: counted once in the total


def test_basemap_layers_are_merged_simplified_and_credited() -> None:
    wiggle = LineString([(24.70 + i * 1e-4, 42.14 + (i % 2) * 1e-6) for i in range(200)])
    tiny_park = Polygon([(24.7, 42.1), (24.7001, 42.1), (24.7001, 42.1001)])
    big_park = Polygon([(24.71, 42.15), (24.72, 42.15), (24.72, 42.16), (24.71, 42.16)])
    collection = basemap.simplify_layers(
        {"major": [("бул. А", wiggle), ("бул. А", LineString([wiggle.coords[-1], (24.73, 42.14)]))],
         "park": [("малък", tiny_park), ("голям", big_park)]}
    )  # fmt: skip
    assert "OpenStreetMap contributors" in collection["attribution"]
    layers = [(f["properties"]["layer"], f["properties"]["name"]) for f in collection["features"]]
    assert layers == [("park", "голям"), ("major", "бул. А")]  # areas under lines; the tiny park dropped
    major = collection["features"][1]["geometry"]
    assert major["type"] == "LineString" and len(major["coordinates"]) < 10
    with pytest.raises(basemap.BasemapError):
        basemap.build_basemap(Path("/nonexistent.pbf"), Path("/nonexistent.parquet"))


def test_basemap_cli_writes_atomically(tmp_path: Path) -> None:
    pbf = load_settings().osm_pbf
    if not pbf.is_file():
        pytest.skip(f"OSM extract not found at {pbf}")
    out = tmp_path / "basemap.geojson"
    assert basemap.main(["--osm", str(pbf), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert {"major", "river", "park"} <= layers
    assert any(f["properties"]["name"] == "Марица" for f in data["features"])
    assert out.stat().st_size < 300_000
    assert (
        basemap.main(["--osm", "/x.pbf", "--gazetteer", "/y.parquet", "--out", str(tmp_path / "no.geojson")])
        == 2
    )
