"""Tests for geocoding.gazetteer against the real Plovdiv extract (facts checked by hand).

The extract lives outside the repository (ODbL data is never committed): ``$PLOVDIV_OSM_PBF``
or ``../shared/geodata/plovdiv-2023-01-02.osm.pbf``. Without it these tests are skipped.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.projection import to_metric
from geocoding.gazetteer import (
    COLUMNS,
    KINDS,
    NO_KEY_KINDS,
    build_gazetteer,
    load_gazetteer,
    save_gazetteer,
)
from geocoding.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
PBF = Path(
    os.environ.get("PLOVDIV_OSM_PBF", REPO.parent / "shared" / "geodata" / "plovdiv-2023-01-02.osm.pbf")
)
BUILD_SECONDS_MAX = 30.0

pytestmark = pytest.mark.skipif(
    not PBF.is_file(),
    reason=f"OSM extract not found at {PBF} (set PLOVDIV_OSM_PBF or provide ../shared)",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[gpd.GeoDataFrame, float, Path]:
    """Build once per module, save to a temp dir and load back (exercises the round trip)."""
    start = time.perf_counter()
    gdf = build_gazetteer(PBF, progress=False)
    seconds = time.perf_counter() - start
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.parquet"
    save_gazetteer(gdf, path)
    return load_gazetteer(path), seconds, path


@pytest.fixture(scope="module")
def gaz(built: tuple[gpd.GeoDataFrame, float, Path]) -> gpd.GeoDataFrame:
    return built[0]


def _one(gaz: gpd.GeoDataFrame, key: str, kind: str) -> pd.Series:
    rows = gaz[(gaz["key"] == key) & (gaz["kind"] == kind)]
    assert len(rows) == 1, f"expected one {kind} with key {key!r}, got {len(rows)}"
    return rows.iloc[0]


def test_schema_and_crs(gaz: gpd.GeoDataFrame) -> None:
    assert tuple(gaz.columns) == COLUMNS
    assert gaz.crs is not None and gaz.crs.to_epsg() == 4326
    assert set(gaz["kind"]) <= set(KINDS)
    assert set(gaz["osm_type"]) <= {"node", "way", "relation"}
    assert gaz["osm_id"].dtype == "int64"
    assert gaz["name"].str.len().gt(0).all()
    assert gaz["name_en"].str.len().gt(0).all()
    # Unnamed crossings and planned roads have an empty key: no name lookup may find them (only
    # beside a landmark, or as the road a new link runs along).
    unnamed = gaz["kind"].isin(list(NO_KEY_KINDS))
    assert (gaz.loc[~unnamed, "key"] == gaz.loc[~unnamed, "name"].map(normalize)).all()
    assert (gaz.loc[unnamed, "key"] == "").all() and unnamed.any()
    assert gaz.geometry.is_valid.all()
    # Everything lies in the extract's box (lon 24.658–24.824, lat 42.104–42.184).
    minx, miny, maxx, maxy = gaz.total_bounds
    assert 24.657 < minx and maxx < 24.825 and 42.103 < miny and maxy < 42.185


def test_build_time(built: tuple[gpd.GeoDataFrame, float, Path]) -> None:
    assert built[1] < BUILD_SECONDS_MAX


def test_save_is_atomic_and_leaves_no_temp_files(built: tuple[gpd.GeoDataFrame, float, Path]) -> None:
    path = built[2]
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_counts_match_the_extract(gaz: gpd.GeoDataFrame) -> None:
    kinds = gaz["kind"].value_counts()
    # README: 946 distinct highway names; names that normalise alike are merged
    # ("бул. Марица" / "Марица"), so slightly fewer street rows.
    streets = gaz[gaz["kind"].isin(["street", "boulevard"])]
    assert 850 <= len(streets) <= 946
    # One row per name and kind: a name is split only where far-apart pieces differ in kind
    # (бул. „Свобода“ and the residential „Свобода“ 650 m from it).
    assert not streets.duplicated(["key", "kind"]).any()
    assert streets["key"].duplicated().sum() <= 5
    # README: 83 schools (amenity=school, named) — plus a few named building=school only.
    assert 83 <= kinds["school"] <= 100
    # README: 58 kindergartens; nurseries ("ясла") among them are split out.
    assert 58 <= kinds["kindergarten"] + kinds["nursery"] <= 66
    assert kinds["bus_stop"] == 382  # README: 382 named bus stops
    assert kinds["park"] + kinds["garden"] == 25  # README: 25 named parks/gardens
    hoods = gaz[gaz["kind"] == "neighbourhood"]
    assert (hoods.geom_type == "Point").sum() == 51  # README: 51 named place points
    for kind in ("hospital", "stadium", "square", "bridge", "underpass", "station", "zoo"):
        assert kinds.get(kind, 0) >= 1, kind


def test_long_boulevard_is_one_merged_line(gaz: gpd.GeoDataFrame) -> None:
    row = _one(gaz, normalize("бул. „6-ти септември“"), "boulevard")
    assert row["name"] == "6-ти Септември"
    assert row.geometry.geom_type in ("LineString", "MultiLineString")
    length = to_metric(row.geometry).length
    assert 8_000 < length < 16_000  # ~12.1 km of carriageways across the centre
    ids = [int(i) for i in row["osm_ids"].split(",")]
    assert len(ids) > 10 and row["osm_id"] == min(ids)
    assert row["name_en"]  # from OSM name:en


def test_known_street(gaz: gpd.GeoDataFrame) -> None:
    row = _one(gaz, normalize('ул. "Карловска"'), "street")
    assert row["name_en"] == "Karlovska"
    assert 200 < to_metric(row.geometry).length < 3_000
    assert len(row["osm_ids"].split(",")) == 4


def test_roman_numeral_street_and_its_bridges_and_underpasses(gaz: gpd.GeoDataFrame) -> None:
    key = normalize("бул. Цар Борис 3 Обединител")
    assert _one(gaz, key, "boulevard")["name"] == "бул. Цар Борис III Обединител"
    assert len(gaz[(gaz["key"] == key) & (gaz["kind"] == "bridge")]) >= 1
    assert len(gaz[(gaz["key"] == key) & (gaz["kind"] == "underpass")]) >= 1


def test_known_kindergartens_and_schools(gaz: gpd.GeoDataFrame) -> None:
    for name in ("ДГ „Буратино“", "ДГ „Чучулига“", "ДГ „Мир“", "ДГ „Зорница“"):
        row = _one(gaz, normalize(name), "kindergarten")
        assert row.geometry.geom_type == "Polygon", name
        assert 300 < to_metric(row.geometry).area < 20_000, name  # a kindergarten's grounds
    assert _one(gaz, normalize("СУ „Черноризец Храбър“"), "school").osm_type == "way"
    assert _one(gaz, normalize("ОУ „Княз Александър I“"), "school")["osm_id"] == 1107827222
    assert _one(gaz, normalize("30-та ясла"), "nursery").geometry.geom_type == "Polygon"


def test_squares_parks_neighbourhoods(gaz: gpd.GeoDataFrame) -> None:
    square = _one(gaz, normalize("площад „Централен“"), "square")
    assert square["osm_type"] == "relation" and square["osm_id"] == 7095261
    assert isinstance(square.geometry, shapely.Polygon)
    park = _one(gaz, normalize("парк „Бунарджик“"), "park")
    assert to_metric(park.geometry).area > 50_000
    hood = _one(gaz, normalize("кв. „Столипиново“"), "neighbourhood")
    assert hood.geometry.geom_type == "Point"


def test_alt_names_become_alt_keys(gaz: gpd.GeoDataFrame) -> None:
    row = _one(gaz, normalize("Княз Александър I Батенберг"), "street")
    assert "главната" in row["alt_keys"].split("|")  # OSM alt_name "Главната"


def test_bank_aliases_keep_one_bank_each(gaz: gpd.GeoDataFrame) -> None:
    """ "Марица-север"/"Марица-юг" get only the ways on their bank (checked against districts:
    north of the river is район Северен, south is Централен/Източен)."""
    from geo.districts import assign_districts, build_districts

    whole = _one(gaz, normalize("Марица"), "boulevard")
    north = _one(gaz, normalize("бул. „Марица-север“"), "boulevard")
    south = _one(gaz, normalize("бул. „Марица – юг“"), "boulevard")
    ids = {k: set(r["osm_ids"].split(",")) for k, r in (("w", whole), ("n", north), ("s", south))}
    assert ids["n"] and ids["s"] and not ids["n"] & ids["s"]
    assert ids["n"] | ids["s"] == ids["w"]
    assert "226071442" in ids["n"] and "91896435" in ids["s"]  # checked on the map by hand
    found = assign_districts([north.geometry, south.geometry], build_districts(PBF))
    assert found["districts"].iloc[0] == ["Северен"]
    assert set(found["districts"].iloc[1]) == {"Централен", "Източен"}


def test_sites_the_report_names_are_in(gaz: gpd.GeoDataFrame) -> None:
    # Protected hills exist only as boundary=protected_area polygons.
    hill = _one(gaz, normalize("Данов хълм"), "natural")
    assert hill["osm_id"] == 1081877291 and hill.geometry.geom_type == "Polygon"
    assert _one(gaz, normalize("Централна гара"), "station")["osm_id"] == 91797107  # building=train_station
    assert _one(gaz, normalize("Кино Космос"), "facility")["osm_id"] == 136322111  # amenity=cinema
    assert _one(gaz, normalize('НУМТИ "Добрин Петков"'), "school")["osm_id"] == 84757984  # music_school
    assert _one(gaz, normalize("Марица"), "river")["osm_type"] == "way"  # waterway=river, merged
    assert "гребна база" in _one(gaz, normalize("Гребен канал"), "sport")["alt_keys"].split("|")


def test_save_gazetteer_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed write removes its temporary file and leaves the published one untouched."""
    gdf = gpd.GeoDataFrame(
        [
            {c: None for c in COLUMNS[:-1]}
            | {"name": "Главна", "osm_id": 1, "geometry": shapely.Point(24.7, 42.1)}
        ],
        columns=list(COLUMNS),
        crs="EPSG:4326",
    )
    path = tmp_path / "gazetteer.parquet"
    save_gazetteer(gdf, path)
    before = path.read_bytes()

    def broken(self: gpd.GeoDataFrame, target: Path, **kwargs: object) -> None:
        Path(target).write_bytes(b"PAR1 half")
        raise OSError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        save_gazetteer(gdf, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["gazetteer.parquet"]


def test_unnamed_crossings_and_route_relations(gaz: gpd.GeoDataFrame) -> None:
    """Unnamed underpasses/overpasses are kept (one row per connected crossing, every way id);
    a named route=railway relation is one row with its member ways (issue #13)."""
    under = gaz[gaz["kind"] == "unnamed_underpass"]
    ids = [set(s.split(",")) for s in under["osm_ids"]]
    # The three tunnel=yes footways beside Чифте баня are one underpass.
    assert {"379698407", "379698414", "379698415"} in ids
    # A cycle path at layer -1 along the river (way/546385754, no tunnel tag) is no underpass.
    assert not any("546385754" in s for s in ids)
    over = gaz[gaz["kind"] == "unnamed_bridge"]
    assert any("91911017" in s.split(",") for s in over["osm_ids"])  # a ramp of надлез „Родопи“
    rail = _one(gaz, normalize('Детска железница "Знаме на мира"'), "railway")
    assert (rail["osm_type"], int(rail["osm_id"])) == ("relation", 1261432)
    assert rail.geometry.geom_type in ("LineString", "MultiLineString")
