"""A stand-in for ``geocoding.OfflineGeocoder`` (PLOVDIV_GEOCODER=tests.dashboard_fakes:FakeGeocoder).

Why: the residents' search is tested before the real geocoder lands and independently of the
OSM extract; the coordinates fit the made-up districts of ``tests/data/dashboard``.
"""

from __future__ import annotations

from geopy.location import Location

#: normalised query → (lat, lon, name, kind, precision)
PLACES: dict[str, tuple[float, float, str, str, str]] = {
    "ул. кукуш": (42.1302, 24.7351, "ул. „Кукуш“", "street", "street"),
    "ul. kukush": (42.1302, 24.7351, "ул. „Кукуш“", "street", "street"),
    "кукуш": (42.1302, 24.7351, "ул. „Кукуш“", "street", "street"),
    "каменица": (42.1420, 24.7480, "Каменица", "neighbourhood", "neighbourhood"),
    "kamenitsa": (42.1420, 24.7480, "Каменица", "neighbourhood", "neighbourhood"),
    "тракия": (42.1275, 24.7500, "Тракия", "district", "district"),
}


class FakeGeocoder:
    """geopy-style ``geocode``/``reverse`` over :data:`PLACES`."""

    def geocode(self, query: str, exactly_one: bool = True, **_: object) -> Location | list[Location] | None:
        hit = PLACES.get(" ".join(query.lower().split()))
        if hit is None:
            return None if exactly_one else []
        lat, lon, name, kind, precision = hit
        location = Location(
            name, (lat, lon), {"name": name, "kind": kind, "precision": precision, "osm_ids": []}
        )
        return location if exactly_one else [location]

    def reverse(self, query: tuple[float, float], exactly_one: bool = True, **_: object) -> Location | None:
        lat, lon = query
        name, (plat, plon) = min(
            ((v[2], (v[0], v[1])) for v in PLACES.values()),
            key=lambda item: (item[1][0] - lat) ** 2 + (item[1][1] - lon) ** 2,
        )
        return Location(name, (plat, plon), {"name": name})


class BrokenGeocoder:
    """A geocoder that fails on every call (the page must survive it)."""

    def geocode(self, query: str, **_: object) -> None:
        raise RuntimeError("index corrupt")
