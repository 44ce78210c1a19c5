"""geocoding.lookup: exact → alternative → descriptor → fuzzy, restricted by kind.

A small synthetic gazetteer pins the rules; the real extract checks names from the report.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geocoding.gazetteer import COLUMNS
from geocoding.lookup import GazetteerIndex, Match, Miss
from tests.geo_fixtures import gazetteer_row as _row
from tests.geo_fixtures import needs_extract, real_gazetteer, real_index  # noqa: F401


@pytest.fixture(scope="module")
def index() -> GazetteerIndex:
    pt = shapely.Point
    rows = [
        _row("Иван Вазов", "street", 1, shapely.LineString([(24.74, 42.14), (24.75, 42.14)])),
        _row('ЕГ "Иван Вазов"', "school", 2, pt(24.745, 42.141).buffer(0.0005)),
        _row("Лев Толостой", "street", 3, shapely.LineString([(24.76, 42.15), (24.77, 42.15)])),
        _row("площад Централен", "square", 4, pt(24.748, 42.143).buffer(0.001), osm_type="relation"),
        _row("Колодрума", "sport", 5, pt(24.73, 42.13).buffer(0.0005)),
        _row("Полк. Сава Муткуров", "street", 6, shapely.LineString([(24.74, 42.16), (24.75, 42.16)])),
        _row("Гребен канал", "sport", 7, pt(24.70, 42.15).buffer(0.002), alt="гребна база"),
        # Two kindergartens with one name, 3 km apart: a lookup must not pick one silently.
        _row("Слънце", "kindergarten", 8, pt(24.70, 42.13)),
        _row("Слънце", "kindergarten", 9, pt(24.74, 42.13)),
        # One school mapped as two polygons 20 m apart: one object.
        _row("ОУ Васил Левски", "school", 10, pt(24.75, 42.15).buffer(0.0002)),
        _row("ОУ Васил Левски", "school", 11, pt(24.7503, 42.1502).buffer(0.0002)),
        _row("Марица", "river", 12, shapely.LineString([(24.70, 42.15), (24.80, 42.155)])),
        _row("Стадион Марица", "stadium", 13, pt(24.76, 42.16).buffer(0.001)),
    ]
    return GazetteerIndex(gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326"))


def _osm(index: GazetteerIndex, found: Match | Miss) -> list[int]:
    assert isinstance(found, Match), found
    return sorted(int(index.gdf.at[r, "osm_id"]) for r in found.rows)


def test_exact_key_and_kind_restriction(index: GazetteerIndex) -> None:
    street = index.lookup("ул. „Иван Вазов“", "street")
    assert _osm(index, street) == [1] and street.method == "exact" and street.score == 100
    assert _osm(index, index.lookup("ЕГ „Иван Вазов“", "school")) == [2]
    # The prefix decides when no kind is given.
    assert _osm(index, index.lookup("ЕГ „Иван Вазов“")) == [2]
    assert _osm(index, index.lookup("ул. Иван Вазов")) == [1]


def test_typo_table_alt_names_and_descriptors(index: GazetteerIndex) -> None:
    assert _osm(index, index.lookup("ул. „Лев Толстой“", "street")) == [3]  # typo table
    alt = index.lookup("Гребна база", "facility")
    assert _osm(index, alt) == [7] and alt.method == "alt"
    desc = index.lookup("спортна зала „Колодрума“", "facility")
    assert _osm(index, desc) == [5] and desc.method == "descriptor"
    # "ФК" restricts to stadiums: the club's ground, not the river of the same name.
    assert _osm(index, index.lookup("ФК „Марица“", "facility")) == [13]
    assert _osm(index, index.lookup("р. Марица", "facility")) == [12]


def test_fuzzy_allows_titles_not_other_words(index: GazetteerIndex) -> None:
    fuzzy = index.lookup("ул. „Сава Муткуров“", "street")
    assert _osm(index, fuzzy) == [6] and fuzzy.method == "fuzzy" and 85 <= fuzzy.score < 100
    # A pensioners' club named after the square is not the square.
    club = index.lookup("клуб „Централен“", "facility")
    assert isinstance(club, Miss) and club.reason == "not_in_extract"
    assert "rejected" in club.detail


def test_far_apart_namesakes_are_ambiguous_pieces_are_one(index: GazetteerIndex) -> None:
    twins = index.lookup("ДГ „Слънце“", "kindergarten")
    assert isinstance(twins, Miss) and twins.reason == "ambiguous"
    assert _osm(index, index.lookup("ОУ „Васил Левски“", "school")) == [10, 11]


def test_absent_names_and_empty_input(index: GazetteerIndex) -> None:
    assert index.lookup("ДГ „Майчина грижа“", "kindergarten") == Miss(
        "not_in_extract", "no kindergarten/nursery named 'маичина грижа'"
    )
    assert isinstance(index.lookup("", "street"), Miss)
    assert isinstance(index.lookup("ул. „Три“", "street"), Miss)  # short keys are not fuzzed


@needs_extract
@pytest.mark.parametrize(
    ("text", "kind", "osm"),
    [
        ("бул. „Марица-север“", "boulevard", "way/226071442"),
        ("ул. „Златна Панега“", "street", "way/136324050"),  # OSM spells it "Златна Пенега"
        ("Математическата гимназия", "school", "node/9365176446"),
        ("Централна гара Пловдив", "facility", "way/91797107"),
        ("ДКЦ II", "facility", "node/1487707888"),  # OSM "2-ро ДКЦ"
        ("Голяма базилика", "facility", "node/4287176168"),  # the Episcopal basilica
        ("Данов хълм", "park", "way/1081877291"),
    ],
)
def test_report_names_on_the_real_extract(real_index: GazetteerIndex, text: str, kind: str, osm: str) -> None:  # noqa: F811
    found = real_index.lookup(text, kind)
    assert isinstance(found, Match), found
    assert osm in real_index.osm_refs(found.rows)


@needs_extract
def test_known_gaps_stay_unresolved(real_index: GazetteerIndex) -> None:  # noqa: F811
    for text, kind in (
        ("бул. „Голямоконарско шосе“", "boulevard"),
        ("пл. „Съборище“", "square"),
        ("ДГ „Майчина грижа“", "kindergarten"),
        ("Водна палата", "facility"),  # only bus stops carry the name
    ):
        found = real_index.lookup(text, kind)
        assert isinstance(found, Miss) and found.reason == "not_in_extract", text
