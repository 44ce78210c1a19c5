"""geocoding.resolve: a record's places → geometry, precision, sources, districts.

Synthetic city (two exact districts and an unresolved "Южен / Западен" area) for the rules;
the real extract for records taken from the report.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from geocoding.gazetteer import COLUMNS
from geocoding.lookup import GazetteerIndex
from geocoding.resolve import LOCATED, PRECISIONS, Resolver, to_geojson
from tests.geo_fixtures import gazetteer_row as _row
from tests.geo_fixtures import (  # noqa: F401 (pytest fixtures)
    needs_extract,
    real_districts,
    real_gazetteer,
    real_index,
    real_resolver,
)
from works.model import (
    PRECISE_PRECISIONS,
    Location,
    Place,
    PlaceKind,
    Precision,
    Status,
    StatusScope,
    WorkRecord,
)

# Centre west of 24.75, Южен east of it (both exact); "Южен / Западен" unresolved south of 42.10.
DISTRICTS = gpd.GeoDataFrame(
    {
        "name": ["Централен", "Южен", "Южен / Западен"],
        "unresolved": [False, False, True],
        "geometry": [
            box(24.70, 42.10, 24.75, 42.15),
            box(24.75, 42.10, 24.80, 42.15),
            box(24.70, 42.05, 24.80, 42.10),
        ],
    },
    crs="EPSG:4326",
)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    line = shapely.LineString
    rows = [
        _row("Главна", "street", 1, line([(24.72, 42.12), (24.78, 42.12)])),  # crosses both districts
        _row("Първа", "street", 2, line([(24.73, 42.11), (24.73, 42.145)])),
        _row("Втора", "street", 3, line([(24.76, 42.11), (24.76, 42.145)])),
        _row("Слънце", "kindergarten", 4, shapely.Point(24.72, 42.08).buffer(0.0005)),  # unresolved area
        _row("Далечна", "street", 5, line([(25.50, 42.50), (25.51, 42.50)])),  # 60 km away
        _row("Горна", "street", 6, line([(24.72, 42.14), (24.78, 42.14)])),
    ]
    index = GazetteerIndex(gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326"))
    return Resolver(index, DISTRICTS)


def _record(places: list[dict], districts: list[str] | None = None) -> dict:
    return {"id": "r", "places": places, "districts": districts or []}


def _geocode(resolver: Resolver, record: dict):
    result = resolver.resolve_record(record)
    resolver.assign([result], [record["districts"]])
    return result


def test_segment_is_cut_and_crosses_two_districts(resolver: Resolver) -> None:
    place = {"text": "ул. „Главна“", "kind": "street", "name": "ул. „Главна“", "between": ["Първа", "Втора"]}
    rec = _geocode(resolver, _record([place]))
    assert rec.precision == "segment" and rec.flags == []
    assert rec.metric.length == pytest.approx(2_480, rel=0.02)  # 0.03° of longitude at 42.12° N
    assert rec.sources == ["way/1", "way/2", "way/3"]
    assert rec.districts == ["Централен", "Южен"]
    assert rec.geometry.geom_type == "LineString"
    coords = to_geojson(rec.geometry)["coordinates"]
    assert all(len(str(c).split(".")[1]) <= 6 for xy in coords for c in xy)


def test_missing_bound_falls_back_to_the_whole_street(resolver: Resolver) -> None:
    place = {"text": "ул. „Главна“", "kind": "street", "name": "Главна", "between": ["Първа", "Няма такава"]}
    rec = _geocode(resolver, _record([place]))
    assert rec.precision == "street" and "segment_bound_missing" in rec.flags
    assert [(u.text, u.reason) for u in rec.unresolved] == [("Няма такава", "not_in_extract")]


def test_junction_and_block(resolver: Resolver) -> None:
    junction = {"text": "кръстовище", "kind": "junction", "name": "x", "streets": ["Главна", "Втора"]}
    rec = _geocode(resolver, _record([junction]))
    assert rec.precision == "segment" and rec.geometry.geom_type == "Point"
    block = {"text": "каре", "kind": "block", "name": "x", "streets": ["Главна", "Втора", "Горна", "Първа"]}
    rec = _geocode(resolver, _record([block]))
    assert rec.precision == "area" and rec.geometry.geom_type == "Polygon" and rec.flags == []


def test_several_places_make_one_multi_geometry(resolver: Resolver) -> None:
    places = [{"text": n, "kind": "street", "name": n} for n in ("Първа", "Втора")]
    rec = _geocode(resolver, _record(places))
    assert rec.geometry.geom_type == "MultiLineString"
    mixed = _geocode(
        resolver, _record([places[0], {"text": "ДГ Слънце", "kind": "kindergarten", "name": "Слънце"}])
    )
    assert mixed.geometry.geom_type == "GeometryCollection" and mixed.precision == "facility"


def test_unresolved_area_gets_the_named_or_nearest_district(resolver: Resolver) -> None:
    kg = {"text": "ДГ „Слънце“", "kind": "kindergarten", "name": "ДГ „Слънце“"}
    named = _geocode(resolver, _record([kg], ["Южен"]))
    assert named.districts == ["Южен"] and named.district_approximate
    nearest = _geocode(resolver, _record([kg]))
    assert nearest.district_approximate and nearest.districts == ["Южен"]  # only candidate with a polygon


def test_outside_the_city_is_dropped_with_a_reason(resolver: Resolver) -> None:
    rec = _geocode(resolver, _record([{"text": "ул. „Далечна“", "kind": "street", "name": "Далечна"}]))
    assert rec.precision == "none" and rec.geometry is None
    assert [u.reason for u in rec.unresolved] == ["outside_box"]


def test_district_only_and_city_wide_have_no_geometry(resolver: Resolver) -> None:
    district = _geocode(resolver, _record([], ["Централен"]))
    assert (district.precision, district.geometry, district.districts) == ("district", None, ["Централен"])
    assert district.sources[0] == "rule:district_named_in_text"
    city = _geocode(resolver, _record([]))
    assert (city.precision, city.geometry, city.sources) == ("city", None, ["rule:city_wide"])
    lost = _geocode(resolver, _record([{"text": "ДГ „Няма“", "kind": "kindergarten", "name": "ДГ „Няма“"}]))
    assert lost.precision == "none" and lost.unresolved[0].reason == "not_in_extract"


def _work(places: list[Place], districts: list[str] | None = None) -> WorkRecord:
    return WorkRecord(
        key="k",
        id="r",
        name="Ремонт",
        categories=[],
        status=Status.PLANNED,
        priority=0,
        measure="",
        goal="",
        goal_line=0,
        source_line=0,
        source_text="",
        status_evidence="",
        status_scope=StatusScope.DEFAULT,
        places=places,
        districts=districts or [],
    )


def test_resolve_work_reads_domain_places_like_resolve_record(resolver: Resolver) -> None:
    places = [
        Place("ул. „Главна“", PlaceKind.STREET, "ул. „Главна“", between=["Първа", "Втора"]),
        Place("каре", PlaceKind.BLOCK, "x", streets=["Главна", "Втора", "Горна", "Първа"]),
        Place("ДГ „Няма“", PlaceKind.KINDERGARTEN, "ДГ „Няма“"),
    ]
    work = _work(places, ["Централен"])
    from_work = resolver.resolve_work(work)
    from_props = resolver.resolve_record(_record([p.as_dict() for p in places], ["Централен"]))
    assert from_work.precision == from_props.precision == "segment"
    assert from_work.geometry is not None and from_work.geometry.equals(from_props.geometry)
    assert (from_work.sources, from_work.flags, from_work.unresolved) == (
        from_props.sources,
        from_props.flags,
        from_props.unresolved,
    )
    district_only = resolver.resolve_work(_work([], ["Централен"]))
    assert (district_only.precision, district_only.geometry) == ("district", None)
    assert resolver.resolve_work(_work([])).precision == "city"


def test_to_location_gives_the_domain_location(resolver: Resolver) -> None:
    work = _work([Place("ДГ „Слънце“", PlaceKind.KINDERGARTEN, "ДГ „Слънце“")])
    rec = resolver.resolve_work(work)
    resolver.assign([rec], [work.districts])
    loc = rec.to_location()
    assert isinstance(loc, Location) and loc.precision is Precision.FACILITY
    assert loc.geometry == to_geojson(rec.geometry) and loc.geometry["type"] == "Polygon"
    assert (loc.score, loc.sources, loc.matched, loc.flags) == (
        rec.score,
        rec.sources,
        rec.matched,
        rec.flags,
    )
    assert loc.sources is not rec.sources  # a copy: the Location does not share lists
    assert loc.district_approximate and loc.correction_id is None
    work.location = loc
    assert work.precision is Precision.FACILITY and loc.precision.located
    none = resolver.resolve_work(_work([Place("ул. „Далечна“", PlaceKind.STREET, "Далечна")])).to_location()
    assert (none.precision, none.geometry, none.score) == (Precision.NONE, None, None)


def test_precisions_are_the_domains() -> None:
    assert PRECISIONS == tuple(p.value for p in Precision if p is not Precision.MANUAL)
    assert LOCATED == PRECISE_PRECISIONS and "street" in LOCATED and "neighbourhood" not in LOCATED


@needs_extract
def test_report_records_on_the_real_extract(real_resolver: Resolver) -> None:  # noqa: F811
    seg = {
        "text": "ул. „Царевец“",
        "kind": "street",
        "name": "ул. „Царевец“",
        "between": ["ул. „Хаджи Димитър“", "ул. „Пещерско шосе“"],
    }
    rec = _geocode(real_resolver, _record([seg], ["Западен"]))
    assert rec.precision == "segment" and 400 < rec.metric.length < 700
    assert rec.districts == ["Западен"]
    marica = {
        "text": "бул. „Марица-север“",
        "kind": "boulevard",
        "name": "бул. „Марица-север“",
        "between": ["ул. „Карловска“", "„Златна Панега“"],
    }
    rec = _geocode(real_resolver, _record([marica], ["Източен"]))
    assert rec.precision == "segment" and 600 < rec.metric.length < 1_100
    # The work's own place decides: the north bank is in Северен; a district the sentence names
    # for another place (Източен here) is not given to it (issue #13).
    assert rec.districts == ["Северен"]
    school = _geocode(real_resolver, _record([{"text": "СУ", "kind": "school", "name": "СУ „Найден Геров“"}]))
    assert school.precision == "facility" and school.sources == ["way/94400045"]


@needs_extract
def test_old_names_and_parts_on_the_real_extract(real_resolver: Resolver) -> None:  # noqa: F811
    """Issue #13: an old name finds the object; a part resolves to the whole, flagged."""
    onco = {"text": "„Комплексен онкологичен център – Пловдив“ ЕООД", "kind": "facility"}
    rec = _geocode(real_resolver, _record([onco]))
    assert rec.precision == "facility" and rec.sources == ["relation/2007573"]  # Онкологичен диспансер
    chomakov = {"text": "Къщата на др. Ст. Чомаков", "kind": "facility"}
    assert _geocode(real_resolver, _record([chomakov])).sources == ["way/205315257"]
    forum = {"text": "Форум Север", "kind": "facility"}
    part = _geocode(real_resolver, _record([forum]))
    assert part.sources == ["relation/7292481"] and "part_of" in part.flags  # Античен форум
