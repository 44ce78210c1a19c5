"""Issue 13e/13f: an extension of a named street is a new road, never passed off as the street.

Along a planned way continuing the street it is a segment flagged ``extension``; with none
(issue 13f) the existing street is drawn at street precision, flagged
``extension_not_in_extract`` — the best object the extract has, said to be only that.

Synthetic data (a tiny gazetteer, hand-made ways, as in tests/test_new_roads_homonyms.py): the
real register's records are scored by tests/test_geometry_labelled.py and their reasons by
tests/test_unresolved_reasons.py.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from geocoding.gazetteer import COLUMNS
from geocoding.lookup import GazetteerIndex
from geocoding.new_roads import extension, new_road, split_places
from geocoding.resolve import RecordGeocode, Resolver
from tests.geo_fixtures import gazetteer_row as _row

DISTRICTS = gpd.GeoDataFrame(
    {"name": ["Южен"], "unresolved": [False], "geometry": [box(24.60, 42.00, 24.90, 42.30)]},
    crs="EPSG:4326",
)

# --- which works extend a street, and its anchors -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "street", "start", "toward"),
    [
        (
            "Продължение на бул. „Македония“ от бул. „Никола Вапцаров“ до ул. „Поручик Въльо Стефов“",
            "бул. „Македония“",
            "бул. „Никола Вапцаров“",
            "ул. „Поручик Въльо Стефов“",
        ),
        (
            "Продължение на бул. „Свобода“ до бул. „6-ти септември“",
            "бул. „Свобода“",
            None,
            "бул. „6-ти септември“",
        ),
        ("Удължаване на бул. „Македония“", "бул. „Македония“", None, None),
        (
            'технически проекти за продължение на бул. "Свобода" до свързването му с бул. "6-ти септември", '
            'както и за изграждане на улици между ул. "Рая" и бул. "Пещерско шосе"',
            "бул. „Свобода“",
            None,
            "бул. „6-ти септември“",
        ),
        (
            "продължението на бул. „Македония“ - от бул. „Никола Вапцаров“ до ул. „Поручик Въльо Стефов“ .",
            "бул. „Македония“",
            "бул. „Никола Вапцаров“",
            "ул. „Поручик Въльо Стефов“",
        ),
    ],
)
def test_an_extension_names_its_street_start_and_target(
    name: str, street: str, start: str | None, toward: str | None
) -> None:
    ext = extension(name)
    assert ext is not None and ext.extends is not None
    assert ext.extends["text"] == street
    assert (ext.start or {}).get("text") == start
    assert (ext.toward or {}).get("text") == toward
    assert not new_road(name)  # not a link between two ends: a street's continuation


@pytest.mark.parametrize(
    "name",
    [
        "Удължаване на линии на градския транспорт до индустриалните зони",  # no street after "на"
        "Община Пловдив продължава прилагането на експериментални технологии",  # a verb
        "Реконструкция на бул. „Македония“ от бул. „Никола Вапцаров“ до ул. „Иван Вазов“",
    ],
)
def test_other_works_are_not_extensions(name: str) -> None:
    assert extension(name) is None


def test_the_street_and_its_target_are_anchors_not_places_of_the_work() -> None:
    name = "Продължение на бул. „Свобода“ до бул. „6-ти септември“"
    places = [
        {"text": 'бул. "Свобода"', "kind": "boulevard", "name": "бул. „Свобода“"},
        {"text": "бул. „6-ти септември“", "kind": "boulevard", "name": "бул. „6-ти септември“"},
        {"text": "район „Западен“", "kind": "district", "name": "Западен"},
    ]
    link, rest = split_places(name, places)
    assert link is not None and link.extends is not None
    assert [p["kind"] for p in rest] == ["district"]


# --- along a planned road continuing the street, or unlocated -------------------------------------

# бул. „Северна“ runs west → east and stops at 24.750; ул. „Крайна“ (north–south) lies east of it.
STREET = LineString([(24.700, 42.150), (24.750, 42.150)])
TARGET = LineString([(24.780, 42.120), (24.780, 42.180)])
FROM = LineString([(24.750, 42.120), (24.750, 42.180)])  # crosses the street at its east end
ON = LineString([(24.7504, 42.1500), (24.7800, 42.1500)])  # proposed, from the end to the target
ON_2 = LineString([(24.7504, 42.1502), (24.7800, 42.1502)])  # its other carriageway (~22 m)
PAST = LineString([(24.7504, 42.1500), (24.7950, 42.1500)])  # proposed, runs on past the target
BACK = LineString([(24.7495, 42.1500), (24.7200, 42.1520)])  # construction back along the street
SIDE = LineString([(24.7504, 42.1500), (24.7504, 42.1300)])  # a side road from the end, southward
WEST_END = LineString([(24.6995, 42.1500), (24.6700, 42.1500)])  # continues the street's west end
ELSEWHERE = LineString([(24.62, 42.25), (24.63, 42.26)])

EXTENSION = {
    "name": "Продължение на бул. „Северна“ до ул. „Крайна“",
    "places": [{"text": "бул. „Северна“", "kind": "boulevard", "name": "бул. „Северна“"}],
    "districts": ["Южен"],
}


def _resolver(*planned: LineString) -> Resolver:
    rows = [
        _row("бул. Северна", "boulevard", 1, STREET),
        _row("Крайна", "street", 2, TARGET),
        _row("бул. Начална", "boulevard", 3, FROM),
        {**_row("път в строеж", "planned_road", 9, ELSEWHERE), "key": ""},
    ]
    rows += [{**_row("проектен път", "planned_road", 20 + k, g), "key": ""} for k, g in enumerate(planned)]
    gdf = gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")
    return Resolver(GazetteerIndex(gdf), DISTRICTS)


def test_an_extension_follows_the_planned_road_from_the_streets_end_with_both_carriageways() -> None:
    resolver = _resolver(ON, ON_2)
    result = resolver.resolve_record(EXTENSION)
    assert result.precision == "segment" and result.unresolved == []
    assert {"way/20", "way/21"} <= set(result.sources) and "way/9" not in result.sources
    assert "extension" in result.flags
    assert any(f.startswith("extension: проектен път (way/20, way/21)") for f in result.flags)
    # Beyond the street only: none of the existing boulevard is drawn.
    assert result.metric is not None
    street = resolver.index.metric[0]
    assert result.metric.intersection(street.buffer(5)).length < 50


def test_the_extension_is_cut_at_its_target() -> None:
    resolver = _resolver(PAST)
    result = resolver.resolve_record(EXTENSION)
    assert result.metric is not None
    assert result.metric.length < 0.75 * resolver.index.metric[4].length  # stops at ул. „Крайна“
    assert result.metric.distance(resolver.index.metric[1]) < 1


def _street_fallback(result: RecordGeocode) -> bool:
    """Drawn as the existing street (way/1 only), flagged, never as a mapped extension."""
    return (
        result.precision == "street"
        and result.sources == ["way/1"]
        and "extension_not_in_extract" in result.flags
        and not any(f.startswith("extension: ") for f in result.flags)
    )


def test_an_extension_with_no_planned_road_is_the_existing_street_flagged_not_in_extract() -> None:
    resolver = _resolver()
    result = resolver.resolve_record(EXTENSION)
    assert _street_fallback(result) and result.unresolved == []
    assert result.metric is not None and result.metric.equals(resolver.index.metric[0])
    note = next(f for f in result.flags if f.startswith("extension_not_in_extract: "))
    assert "not the extension itself" in note and "ул. „Крайна“" in note
    assert "new_road_not_in_extract" not in result.flags and "way/9" not in result.sources


def test_an_extension_whose_street_is_not_found_stays_unlocated() -> None:
    record = {**EXTENSION, "name": "Продължение на бул. „Несъществуваща“ до ул. „Крайна“", "places": []}
    result = _resolver().resolve_record(record)
    assert result.geometry is None and "new_road_ends_missing" in result.flags
    assert [u.reason for u in result.unresolved] == ["not_in_extract"]


@pytest.mark.parametrize("planned", [BACK, SIDE], ids=["back_along_the_street", "side_road_away_from_target"])
def test_a_planned_road_at_the_end_that_does_not_lead_on_is_not_the_extension(planned: LineString) -> None:
    result = _resolver(planned).resolve_record(EXTENSION)
    assert _street_fallback(result) and "way/20" not in result.sources


def test_without_a_target_the_extension_goes_straight_on_not_sideways() -> None:
    record = {**EXTENSION, "name": "Удължаване на бул. „Северна“"}
    assert _street_fallback(_resolver(SIDE).resolve_record(record))
    located = _resolver(SIDE, ON).resolve_record(record)
    assert located.precision == "segment" and "way/21" in located.sources and "way/20" not in located.sources


def test_from_x_chooses_the_end_at_x() -> None:
    # Both ends are continued by planned roads; "от бул. „Начална“" names the east end.
    record = {**EXTENSION, "name": "Удължаване на бул. „Северна“ от бул. „Начална“"}
    result = _resolver(WEST_END, ON).resolve_record(record)
    assert "way/21" in result.sources and "way/20" not in result.sources
    west = {**EXTENSION, "name": "Удължаване на бул. „Северна“ от бул. „Начална“"}
    assert _street_fallback(_resolver(WEST_END).resolve_record(west))
