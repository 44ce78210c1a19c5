"""The geopy contract of geocoding.geocoder: OfflineGeocoder and the Nominatim wrapper.

The Nominatim wrapper is tested with a fake backend: nothing here touches the network.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from shapely.geometry import box

from geo.extent import PLOVDIV_BBOX
from geocoding.gazetteer import COLUMNS
from geocoding.geocoder import CachedNominatim, OfflineGeocoder, make_geocoder
from tests.geo_fixtures import gazetteer_row as _row
from tests.geo_fixtures import needs_extract, real_districts, real_gazetteer, real_index  # noqa: F401

RAW_KEYS = {"precision", "name", "kind", "osm_type", "osm_id", "osm_ids", "score", "method"}


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    rows = [
        _row("Царевец", "street", 136322108, shapely.LineString([(24.715, 42.13), (24.717, 42.136)])),
        _row("Буратино", "kindergarten", 135457905, shapely.Point(24.7264, 42.1509).buffer(0.0004)),
        _row("Столипиново", "neighbourhood", 1557056996, shapely.Point(24.78, 42.155), osm_type="node"),
    ]
    gaz = gpd.GeoDataFrame(rows, columns=list(COLUMNS), crs="EPSG:4326")
    districts = gpd.GeoDataFrame(
        {
            "name": ["Западен", "Централен"],
            "osm_relation_id": [7289746, 7289744],
            "exact": [False, True],
            "unresolved": [False, False],
            "geometry": [box(24.68, 42.11, 24.72, 42.16), box(24.72, 42.11, 24.80, 42.16)],
        },
        crs="EPSG:4326",
    )
    return OfflineGeocoder(gaz, districts)


def test_is_a_geopy_geocoder_returning_locations(geocoder: OfflineGeocoder) -> None:
    assert isinstance(geocoder, Geocoder)
    loc = geocoder.geocode("ул. „Царевец“")
    assert isinstance(loc, Location)
    assert RAW_KEYS <= set(loc.raw)
    assert (loc.raw["precision"], loc.raw["kind"], loc.raw["osm_type"], loc.raw["osm_id"]) == (
        "street",
        "street",
        "way",
        136322108,
    )
    assert loc.raw["osm_ids"] == ["way/136322108"] and loc.raw["score"] == 100.0
    assert 42.13 <= loc.latitude <= 42.136 and 24.715 <= loc.longitude <= 24.717  # on the street
    assert loc.address == "Царевец, Пловдив"


def test_geocode_kinds_lists_and_misses(geocoder: OfflineGeocoder) -> None:
    kg = geocoder.geocode("ДГ „Буратино“")
    assert kg.raw["precision"] == "facility" and kg.raw["kind"] == "kindergarten"
    assert geocoder.geocode("Буратино", kind="street") is None  # kind restricts the answer
    many = geocoder.geocode("Столипиново", exactly_one=False)
    assert isinstance(many, list) and all(isinstance(x, Location) for x in many)
    assert many[0].raw["precision"] == "neighbourhood"
    assert geocoder.geocode("ДГ „Няма я“") is None
    with pytest.raises(GeocoderQueryError):
        geocoder.geocode("  ")


def test_reverse_gives_nearest_street_and_district(geocoder: OfflineGeocoder) -> None:
    loc = geocoder.reverse((42.133, 24.7165))
    assert isinstance(loc, Location)
    assert loc.raw["name"] == "Царевец" and loc.raw["precision"] == "street"
    assert loc.raw["district"] == "Западен" and loc.raw["district_osm_id"] == 7289746
    assert loc.raw["district_exact"] is False and loc.raw["distance_m"] < 50
    assert geocoder.reverse("42.133, 24.7165").raw == loc.raw  # geopy's "lat, lon" string
    assert geocoder.reverse((42.5, 25.5)) is None  # far from every street
    with pytest.raises(GeocoderQueryError):
        geocoder.reverse("not a point")


@needs_extract
def test_real_extract(real_gazetteer, real_districts) -> None:  # noqa: F811
    geo = OfflineGeocoder(real_gazetteer, real_districts)
    loc = geo.geocode("СУ „Найден Геров“")
    assert (loc.raw["osm_type"], loc.raw["osm_id"], loc.raw["kind"]) == ("way", 94400045, "school")
    back = geo.reverse((42.1436, 24.7497))  # Главната, the old town's main street
    assert back.raw["district"] == "Централен" and back.raw["district_exact"]
    assert back.raw["name"] == "Княз Александър I Батенберг"


@needs_extract
def test_residents_queries_on_the_real_extract(real_gazetteer, real_districts) -> None:  # noqa: F811
    """Issue #13: area words, the whole shape in ``raw``, suggestions for a typo."""
    from shapely.geometry import shape

    geo = OfflineGeocoder(real_gazetteer, real_districts)
    for query in ("жк Тракия", "ж.к. Тракия", "ж. к. Тракия", "кв. Тракия", "район Тракия"):
        loc = geo.geocode(query)
        assert loc is not None and loc.raw["kind"] == "district" and loc.raw["name"] == "район Тракия", query
        assert shape(loc.raw["geometry"]).area > 0.0005  # the district polygon (~14 km²)
    assert geo.geocode("кв. Каменица").raw["kind"] == "neighbourhood"  # a real place=suburb wins
    street = geo.geocode("ул. „Кукуш“")
    line = shape(street.raw["geometry"])
    assert line.geom_type in ("LineString", "MultiLineString") and line.length > 0.005  # the whole street
    assert geo.geocode("Кукущ") is None
    assert geo.suggest("Кукущ")[0] == "Кукуш"
    assert geo.suggest("ул. Кукущ")[0] == "Кукуш"
    assert geo.suggest("") == []


# --- Nominatim wrapper (fake backend) ---------------------------------------------------------------


class FakeNominatim:
    """Records calls; answers like geopy's Nominatim would."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, dict]] = []

    def geocode(self, query, **kwargs):
        self.calls.append(("geocode", query, kwargs))
        if query == "nowhere":
            return None
        return Location(f"{query}, Пловдив, България", (42.14, 24.75), {"osm_type": "way", "osm_id": 1})

    def reverse(self, query, **kwargs):
        self.calls.append(("reverse", query, kwargs))
        return Location("ул. X, Пловдив", tuple(query), {"osm_type": "way", "osm_id": 2})


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(RateLimiter, "_sleep", lambda self, seconds: slept.append(seconds))
    return slept


def test_nominatim_is_rate_limited_bounded_and_cached(tmp_path: Path, no_sleep: list[float]) -> None:
    fake = FakeNominatim()
    cache = tmp_path / "cache" / "nominatim.json"
    nom = make_geocoder("nominatim", geocoder=fake, cache_path=cache)
    assert isinstance(nom, CachedNominatim)
    assert isinstance(nom._geocode, RateLimiter) and nom._geocode.min_delay_seconds == 1.0
    first = nom.geocode("ул. Царевец")
    assert isinstance(first, Location) and first.raw["osm_id"] == 1
    _kind, _query, kwargs = fake.calls[0]
    assert kwargs["bounded"] is True and kwargs["exactly_one"] is True
    (south, west), (north, east) = kwargs["viewbox"]
    assert (west, south, east, north) == PLOVDIV_BBOX
    nom.geocode("ДГ Буратино")  # a second request waits for the rate limit
    assert no_sleep and 0 < max(no_sleep) <= 1.0
    assert nom.geocode("ул. Царевец").raw == first.raw  # from the cache: no third call
    assert nom.geocode("nowhere") is None and nom.geocode("nowhere") is None
    assert [c[1] for c in fake.calls] == ["ул. Царевец", "ДГ Буратино", "nowhere"]
    back = nom.reverse((42.14, 24.75))
    assert back.raw["osm_id"] == 2 and nom.reverse("42.14, 24.75").raw == back.raw
    assert len(fake.calls) == 4
    # The cache survives a restart.
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert "geocode|1|ул. Царевец" in stored
    again = make_geocoder("nominatim", geocoder=FakeNominatim(), cache_path=cache)
    assert again.geocode("ул. Царевец").address == first.address and again.backend.calls == []


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown geocoder backend"):
        make_geocoder("google")
