"""Geometry helpers: CRS handling and Plovdiv's district polygons.

Why lazy: importing geopandas/pyproj/osmium costs about a second; modules that only need a
constant should not pay for it. Names are resolved on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.districts import (
        PLOVDIV_DISTRICTS,
        assign_districts,
        build_districts,
        save_districts,
    )
    from geo.projection import (
        METRIC_CRS,
        STORAGE_CRS,
        round_coords,
        to_metric,
        to_wgs84,
    )

__all__ = [
    "METRIC_CRS",
    "PLOVDIV_DISTRICTS",
    "STORAGE_CRS",
    "assign_districts",
    "build_districts",
    "round_coords",
    "save_districts",
    "to_metric",
    "to_wgs84",
]

_HOME = {
    "METRIC_CRS": "geo.projection",
    "STORAGE_CRS": "geo.projection",
    "round_coords": "geo.projection",
    "to_metric": "geo.projection",
    "to_wgs84": "geo.projection",
    "PLOVDIV_DISTRICTS": "geo.districts",
    "assign_districts": "geo.districts",
    "build_districts": "geo.districts",
    "save_districts": "geo.districts",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
