"""Issue 13d's mechanisms: a NEW road is not its ends; a street's homonym far away is dropped.

Synthetic data (a tiny gazetteer, hand-made ways) for each rule; the real register's records
are scored by tests/test_geometry_labelled.py.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, box

from geocoding import gazetteer
from geocoding.gazetteer import COLUMNS
from geocoding.lookup import GazetteerIndex, Match
from geocoding.new_roads import new_road, split_places
from geocoding.resolve import Resolver
from tests.geo_fixtures import gazetteer_row as _row

DISTRICTS = gpd.GeoDataFrame(
    {"name": ["Южен"], "unresolved": [False], "geometry": [box(24.60, 42.00, 24.90, 42.30)]},
    crs="EPSG:4326",
)


# --- which works build a new road ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Затваряне на околовръстния ринг с новата отсечка на югоизток между Асеновградско шосе и Скобелева майка",
        "Нова пътна връзка между район „Тракия“ и район „Южен“ с естакада над жп линиите",
        "Комуникационен пробив под жп ареала на Централна гара Пловдив между бул. „Васил Априлов“ и бул. „Македония“",
    ],
)
def test_a_new_link_is_recognised(name: str) -> None:
    assert new_road(name)


@pytest.mark.parametrize(
    "name",
    [
        "Пътна връзка „Модър – Царевец“ с подлез под ж.п. линията София – Пловдив",  # named: the streets
        "Топла връзка между сградата на РПНМ-Пловдив и зала „Лотос“",  # a passage, no road
        "Продължение на бул. „Свобода“ до бул. „6-ти септември“",  # the named street extended
        "Реконструкция на кръстовище бул. „Цар Борис III Обединител“ / бул. „Марица – юг“ с пробив при Водна палата",
        "Обновяване на ул. „Кукуш“",
    ],
)
def test_other_works_are_not_new_links(name: str) -> None:
    assert not new_road(name)


def test_the_ends_come_from_between_and_the_road_places_and_the_link_itself_is_dropped() -> None:
    name = "Комуникационен пробив под жп ареала на Централна гара Пловдив между бул. „Васил Априлов“ и бул. „Македония“"
    places = [
        {
            "text": "Комуникационен пробив под жп ареала на Централна гара Пловдив",
            "kind": "underpass",
            "name": "x",
        },
        {"text": "район „Южен“", "kind": "district", "name": "Южен"},
    ]
    link, rest = split_places(name, places)
    assert link is not None
    assert [e["text"] for e in link.ends] == ["бул. „Васил Априлов“", "бул. „Македония“"]
    assert [p["kind"] for p in rest] == ["district"]  # the district stays; the link's own words go


def test_road_places_are_ends_even_without_between_and_one_end_is_not_a_link() -> None:
    name = "Нова пътна връзка между район „Тракия“ и район „Южен“ с естакада над жп линиите"
    places = [
        {"text": "бул. „Кукленско шосе“", "kind": "boulevard", "name": "бул. „Кукленско шосе“"},
        {"text": "бул. „Асеновградско шосе“", "kind": "boulevard", "name": "бул. „Асеновградско шосе“"},
    ]
    link, rest = split_places(name, places)
    assert link is not None and len(link.ends) == 2 and rest == []
    # A principle for every new road names no ends: the record is left as it is.
    assert split_places("Всеки нов път се проектира с велоалея", []) == (None, [])


# --- a new road along a planned road, or unlocated ---------------------------------------------

WEST = LineString([(24.70, 42.10), (24.70, 42.20)])  # "Западна" boulevard, north–south
EAST = LineString([(24.80, 42.10), (24.80, 42.20)])
PLANNED = LineString([(24.7005, 42.15), (24.7995, 42.15)])  # proposed, from WEST to EAST
PLANNED_2 = LineString([(24.7005, 42.1502), (24.7995, 42.1502)])  # its other carriageway (~22 m)
ELSEWHERE = LineString([(24.62, 42.25), (24.63, 42.26)])  # under construction, far from both


def _resolver(with_planned: bool) -> Resolver:
    rows = [
        _row("бул. Западна", "boulevard", 1, WEST),
        _row("бул. Източна", "boulevard", 2, EAST),
        {**_row("път в строеж", "planned_road", 9, ELSEWHERE), "key": ""},
    ]
    if with_planned:
        rows.append({**_row("проектен път 56", "planned_road", 3, PLANNED), "key": ""})
        rows.append({**_row("проектен път 56", "planned_road", 4, PLANNED_2), "key": ""})
    return Resolver(GazetteerIndex(gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")), DISTRICTS)


NEW_LINK = {
    "name": "Нова отсечка между бул. „Западна“ и бул. „Източна“",
    "places": [
        {"text": "бул. „Западна“", "kind": "boulevard", "name": "бул. „Западна“"},
        {"text": "бул. „Източна“", "kind": "boulevard", "name": "бул. „Източна“"},
    ],
    "districts": ["Южен"],
}


def test_a_new_link_follows_the_planned_road_between_its_ends_with_both_carriageways() -> None:
    result = _resolver(True).resolve_record(NEW_LINK)
    assert result.precision == "segment"
    assert {"way/3", "way/4"} <= set(result.sources) and "way/9" not in result.sources
    assert "new_road" in result.flags
    # Along the planned road only: nothing of the two boulevards is drawn.
    assert result.metric is not None
    assert result.metric.distance(_resolver(True).index.metric[0]) > 10  # the ends are not the geometry
    assert len(shapely.get_parts(result.metric)) == 2
    assert result.unresolved == []


def test_a_new_link_with_no_planned_road_is_unlocated_never_drawn_as_its_ends() -> None:
    result = _resolver(False).resolve_record(NEW_LINK)
    assert result.geometry is None and result.precision == "district"  # the district it names
    assert [u.reason for u in result.unresolved] == ["new_road_not_in_extract"]
    assert "new_road_not_in_extract" in result.flags


def test_a_planned_road_that_only_passes_both_ends_is_not_the_link() -> None:
    long_road = LineString([(24.60, 42.15), (24.95, 42.15)])  # runs 8 km past both ends
    rows = [
        _row("бул. Западна", "boulevard", 1, WEST),
        _row("бул. Източна", "boulevard", 2, EAST),
        {**_row("проектен път", "planned_road", 3, long_road), "key": ""},
    ]
    resolver = Resolver(
        GazetteerIndex(gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")), DISTRICTS
    )
    result = resolver.resolve_record(NEW_LINK)
    assert result.geometry is None and result.unresolved[0].reason == "new_road_not_in_extract"


# --- homonyms: the type word chooses -----------------------------------------------------------


def _way(osm_id: int, name: str, highway: str, coords: list[tuple[float, float]]) -> gazetteer._Way:
    line = LineString(coords)
    way = gazetteer._Way(
        osm_id, name, {"highway": highway, "name": name}, (osm_id * 10, osm_id * 10 + 1), line
    )
    metric = gpd.GeoSeries([line], crs="EPSG:4326").to_crs("EPSG:32635").iloc[0]
    way.length_m, way.metric = float(metric.length), metric
    return way


def test_far_apart_pieces_of_one_name_and_different_kinds_become_two_rows() -> None:
    boulevard = _way(1, "бул. Свобода", "tertiary", [(24.720, 42.142), (24.727, 42.143)])
    residential = _way(2, "Свобода", "residential", [(24.705, 42.138), (24.707, 42.138)])
    rows = gazetteer._street_rows([boulevard, residential])
    assert sorted((r.kind, tuple(r.osm_ids)) for r in rows) == [("boulevard", (1,)), ("street", (2,))]


def test_pieces_of_one_kind_stay_one_row_however_far_apart() -> None:
    a = _way(1, "Тракия", "residential", [(24.720, 42.142), (24.727, 42.143)])
    b = _way(2, "Тракия", "residential", [(24.780, 42.138), (24.787, 42.138)])
    near = _way(3, "Тракия", "residential", [(24.727, 42.143), (24.729, 42.143)])  # touches a
    rows = gazetteer._street_rows([a, b, near])  # a street the extract breaks: one row, as before
    assert len(rows) == 1 and rows[0].kind == "street" and sorted(rows[0].osm_ids) == [1, 2, 3]


def _homonym_index() -> GazetteerIndex:
    rows = [
        _row("бул. Свобода", "boulevard", 1, LineString([(24.720, 42.142), (24.727, 42.143)])),
        _row("Свобода", "street", 2, LineString([(24.705, 42.138), (24.707, 42.138)])),
    ]
    return GazetteerIndex(gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326"))


def test_the_type_word_chooses_the_piece_and_the_other_is_recorded() -> None:
    index = _homonym_index()
    boulevard = index.lookup("бул. „Свобода“", "boulevard")
    street = index.lookup("ул. „Свобода“", "street")
    assert isinstance(boulevard, Match) and boulevard.rows == (0,) and boulevard.dropped == (1,)
    assert isinstance(street, Match) and street.rows == (1,) and street.dropped == (0,)
    assert "way/2" in index.dropped_note(boulevard)
    result = Resolver(index, DISTRICTS).resolve_place({"text": "бул. „Свобода“", "kind": "boulevard"})
    assert result.sources == ["way/1"] and "homonym_dropped" in result.flags


def test_an_untyped_name_keeps_every_piece() -> None:
    found = _homonym_index().lookup("Свобода", "street")  # a block's street list: no type word
    assert isinstance(found, Match) and sorted(found.rows) == [0, 1] and found.dropped == ()
