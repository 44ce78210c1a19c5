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


def _unnamed(kind: str, osm_id: int, geom) -> dict:
    row = _row("подлез" if kind == "unnamed_underpass" else "надлез", kind, osm_id, geom)
    row["key"] = ""  # as the gazetteer writes them: never found by name
    return row


@pytest.fixture(scope="module")
def crossings() -> GazetteerIndex:
    """Landmarks and unnamed crossings ~82 m per 0.001° of longitude at this latitude."""
    pt, line = shapely.Point, shapely.LineString
    rows = [
        _row("Баня", "heritage", 1, pt(24.750, 42.140)),
        _unnamed("unnamed_underpass", 2, line([(24.7503, 42.1400), (24.7504, 42.1401)])),  # ~25 m
        _unnamed("unnamed_underpass", 3, line([(24.7504, 42.1401), (24.7506, 42.1402)])),  # same one
        _unnamed("unnamed_underpass", 4, line([(24.760, 42.140), (24.761, 42.140)])),  # 800 m away
        # A boulevard crossed by two underpasses: "подлез на бул. „Голям“" cannot choose.
        _row("бул. Голям", "boulevard", 5, line([(24.700, 42.150), (24.720, 42.150)])),
        _unnamed("unnamed_underpass", 6, line([(24.705, 42.1495), (24.705, 42.1505)])),
        _unnamed("unnamed_underpass", 7, line([(24.715, 42.1495), (24.715, 42.1505)])),
        # The stop named after the overpass itself wins over a namesake stop far away.
        _row('Надлез "Хълм"', "bus_stop", 8, pt(24.730, 42.160)),
        _row("Хълм", "bus_stop", 9, pt(24.780, 42.170)),
        _unnamed("unnamed_bridge", 10, line([(24.7305, 42.1595), (24.7305, 42.1605)])),
        _row("Самотна", "heritage", 11, pt(24.790, 42.120)),
        # Same-named schools of different types, 3 km apart.
        _row("ОУ Васил Левски", "school", 12, pt(24.750, 42.130).buffer(0.0002)),
        _row('Спортно СОУ "Васил Левски"', "school", 13, pt(24.790, 42.140).buffer(0.0005)),
    ]
    return GazetteerIndex(gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326"))


def test_unnamed_underpass_beside_a_named_landmark(crossings: GazetteerIndex) -> None:
    found = crossings.lookup("подлез „Баня“", "underpass")
    assert _osm(crossings, found) == [2, 3] and found.method == "beside"
    assert found.kind == "unnamed_underpass" and found.precision == "facility"
    assert "from Баня (way/1)" in found.note
    # The bridge beside the stop „Надлез „Хълм““, not beside the other stop „Хълм“.
    bridge = crossings.lookup("надлез „Хълм“", "bridge")
    assert _osm(crossings, bridge) == [10] and bridge.method == "beside"
    # An interchange is found as the overpass it is named after.
    assert _osm(crossings, crossings.lookup("транспортен възел „Хълм“", "bridge")) == [10]


def test_crossing_choice_is_honest(crossings: GazetteerIndex) -> None:
    two = crossings.lookup("подлез на бул. „Голям“", "underpass")
    assert isinstance(two, Miss) and two.reason == "ambiguous"
    none = crossings.lookup("подлез „Самотна“", "underpass")  # no crossing within 100 m
    assert isinstance(none, Miss) and none.reason == "not_in_extract"
    # An unnamed crossing is never found by a name of its own.
    assert isinstance(crossings.lookup("подлез", "underpass"), Miss)


def test_school_type_decides_between_same_named_schools(crossings: GazetteerIndex) -> None:
    su = crossings.lookup("СУ „Васил Левски“", "school")
    assert _osm(crossings, su) == [13] and su.method == "school_type"
    assert _osm(crossings, crossings.lookup("ОУ „Васил Левски“", "school")) == [12]
    assert _osm(crossings, crossings.lookup("училище „Васил Левски“", "school")) == [12]  # no type: as before
    pg = crossings.lookup("ПГ „Васил Левски“", "school")
    assert isinstance(pg, Miss) and pg.reason == "not_in_extract" and "ОУ" in pg.detail


@needs_extract
@pytest.mark.parametrize(
    ("text", "kind", "osm"),
    [
        ("подлез „Чифте баня“", "underpass", "way/379698407"),
        ("подлез „Водна палата“", "underpass", "way/485385216"),
        ("подлез на бул. „Санкт Петербург“", "underpass", "way/184166689"),
        ("надлез „Родопи“", "bridge", "way/157623989"),
        ("транспортен възел „Родопи“", "bridge", "way/91911017"),
        ("Детска железница „Знаме на мира“", "facility", "relation/1261432"),
        ("СУ „Васил Левски“", "school", "way/88392558"),
        ("РПНМ-Пловдив", "facility", "node/5282118375"),
    ],
)
def test_issue_13_objects_on_the_real_extract(
    real_index: GazetteerIndex,  # noqa: F811
    text: str,
    kind: str,
    osm: str,
) -> None:
    found = real_index.lookup(text, kind)
    assert isinstance(found, Match), found
    assert osm in real_index.osm_refs(found.rows)
    if kind == "underpass":
        assert len(real_index.osm_refs(found.rows)) <= 3  # one underpass, not every one near
