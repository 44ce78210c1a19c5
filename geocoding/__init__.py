"""Geocoding of place names from the municipal report against an OSM gazetteer.

Why lazy: ``normalize`` is pure Python and used everywhere (extraction, tests); the gazetteer
pulls in geopandas/osmium, which take a second to import. Names are resolved on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geocoding.gazetteer import build_gazetteer, load_gazetteer, save_gazetteer
    from geocoding.normalize import normalize, strip_prefix, transliterate

__all__ = [
    "build_gazetteer",
    "load_gazetteer",
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
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'geocoding' has no attribute {name!r}")
