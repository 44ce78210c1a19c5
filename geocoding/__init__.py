"""Geocoding of place names from the municipal report against an offline OSM gazetteer.

Public API: ``normalize`` / ``strip_prefix`` / ``transliterate`` (names), ``build_gazetteer``
/ ``save_gazetteer`` / ``load_gazetteer`` (the gazetteer), ``OfflineGeocoder`` and
``make_geocoder`` (geopy-compatible geocoders), ``Resolver`` (register records → geometry).

Why lazy: ``normalize`` is pure Python and used everywhere (extraction, tests); the rest pulls
in geopandas/osmium/geopy, which take a second to import. Names are resolved on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geocoding.gazetteer import build_gazetteer, load_gazetteer, save_gazetteer
    from geocoding.geocoder import CachedNominatim, OfflineGeocoder, make_geocoder
    from geocoding.lookup import GazetteerIndex
    from geocoding.normalize import normalize, strip_prefix, transliterate
    from geocoding.resolve import Resolver

__all__ = [
    "CachedNominatim",
    "GazetteerIndex",
    "OfflineGeocoder",
    "Resolver",
    "build_gazetteer",
    "load_gazetteer",
    "make_geocoder",
    "normalize",
    "save_gazetteer",
    "strip_prefix",
    "transliterate",
]

_HOME = {
    "normalize": "geocoding.normalize",
    "strip_prefix": "geocoding.normalize",
    "transliterate": "geocoding.normalize",
    "build_gazetteer": "geocoding.gazetteer",
    "save_gazetteer": "geocoding.gazetteer",
    "load_gazetteer": "geocoding.gazetteer",
    "GazetteerIndex": "geocoding.lookup",
    "Resolver": "geocoding.resolve",
    "OfflineGeocoder": "geocoding.geocoder",
    "CachedNominatim": "geocoding.geocoder",
    "make_geocoder": "geocoding.geocoder",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'geocoding' has no attribute {name!r}")
