"""Issue 13f: an address's street is the facility at that address when the text names it.

Synthetic data (a tiny gazetteer, hand-made geometry): ул. „Главна“ runs 1 km west → east; the
gallery („Градска художествена галерия“, alias „ГХГ“ in name_variants.toml) has one building on
the street and one 300 m away; a school lies on the street too. The real record (line 817) is
scored by tests/test_geometry_labelled.py (third set).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, Point, box

from geocoding.gazetteer import COLUMNS
from geocoding.lookup import GazetteerIndex
from geocoding.resolve import Resolver
from tests.geo_fixtures import gazetteer_row as _row

DISTRICTS = gpd.GeoDataFrame(
    {"name": ["Централен"], "unresolved": [False], "geometry": [box(24.60, 42.00, 24.90, 42.30)]},
    crs="EPSG:4326",
)
STREET = LineString([(24.740, 42.150), (24.752, 42.150)])  # ~1 km
ON_STREET = Point(24.7460, 42.1502)  # ~22 m north of the street
ELSEWHERE = Point(24.7460, 42.1530)  # ~330 m north
SCHOOL = Point(24.7430, 42.1501)


def _resolver() -> Resolver:
    rows = [
        _row("Главна", "street", 1, STREET),
        _row("Градска художествена галерия", "museum", 10, ON_STREET, osm_type="node"),
        _row("Градска художествена галерия", "museum", 11, ELSEWHERE),
        _row("Спортно училище", "school", 12, SCHOOL),
        _row("Главна", "bus_stop", 13, Point(24.7470, 42.1501), osm_type="node"),
    ]
    gdf = gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")
    return Resolver(GazetteerIndex(gdf), DISTRICTS)


def _record(name: str, sentence: str) -> dict[str, Any]:
    return {
        "name": name,
        "source_text": sentence,
        "places": [{"text": "ул. „Главна“", "kind": "street", "name": "ул. „Главна“"}],
    }


ROOF = "Ремонт на покрива на залите на ГХГ – Пловдив"


def test_a_named_facility_at_the_address_is_the_site_only_its_building_near_the_street() -> None:
    result = _resolver().resolve_record(_record(ROOF, "ремонт на покрива на залите, ул. „Главна“ №15."))
    assert result.precision == "facility"
    assert result.sources == ["node/10"]  # not way/11, the gallery's building elsewhere
    assert "address_facility" in result.flags
    note = next(f for f in result.flags if f.startswith("address_facility: "))
    assert "node/10" in note and "ул. „Главна“" in note
    assert result.metric is not None and result.metric.geom_type == "Point"


def test_the_address_word_also_makes_the_street_an_address() -> None:
    result = _resolver().resolve_record(_record(ROOF, "ремонт на покрива на адрес ул. „Главна“."))
    assert result.precision == "facility" and result.sources == ["node/10"]


def test_a_street_that_is_not_an_address_stays_the_street() -> None:
    # The same words without a house number: work on the street beside a facility.
    result = _resolver().resolve_record(_record(ROOF, "ремонт на ул. „Главна“ пред ГХГ."))
    assert result.precision == "street" and result.sources == ["way/1"]
    assert "address_facility" not in result.flags


def test_an_address_whose_text_names_no_facility_there_stays_the_street() -> None:
    result = _resolver().resolve_record(
        _record("Ремонт на жилищна сграда", "ремонт на жилищна сграда, ул. „Главна“ №15 (спирка Главна).")
    )
    assert result.precision == "street" and "address_facility" not in result.flags  # a stop is no site


def test_a_facility_named_but_far_from_the_address_is_not_taken() -> None:
    resolver = _resolver()
    far = _record(ROOF, "ремонт, ул. „Главна“ №15.")
    # Move the street 1 km south: the gallery's buildings are then > 50 m from it.
    resolver.index.metric[0] = resolver.index.metric[0].__class__(
        [(x, y - 1_000.0) for x, y in resolver.index.metric[0].coords]
    )
    result = resolver.resolve_record(far)
    assert result.precision == "street" and "address_facility" not in result.flags


def test_the_sentence_is_read_when_the_name_does_not_name_the_facility() -> None:
    result = _resolver().resolve_record(
        _record("Ремонт на покрива", "Проекти на Спортно училище: ремонт на покрива, ул. „Главна“ №3.")
    )
    assert result.precision == "facility" and result.sources == ["way/12"]
