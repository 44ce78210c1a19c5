"""Coordinate reference systems and reprojection helpers.

Why: OSM data and the published GeoJSON are in WGS 84 longitude/latitude (EPSG:4326), where
lengths and areas are meaningless; every metric computation (street length, district area,
overlap checks, "within 50 m" tests) is done in UTM zone 35N (EPSG:32635), which covers
Plovdiv (24.7° E) with negligible distortion. These helpers keep that choice in one place.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeAlias, TypeVar, overload

import geopandas as gpd
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

__all__ = [
    "METRIC_CRS",
    "STORAGE_CRS",
    "round_coords",
    "to_metric",
    "to_wgs84",
    "transformer",
]

#: Metric CRS for lengths, areas and distances: WGS 84 / UTM zone 35N.
METRIC_CRS = "EPSG:32635"
#: CRS of everything stored or published: WGS 84 longitude/latitude.
STORAGE_CRS = "EPSG:4326"

G = TypeVar("G", bound=BaseGeometry)
GeoLike: TypeAlias = gpd.GeoDataFrame | gpd.GeoSeries | BaseGeometry


@lru_cache(maxsize=16)
def transformer(src: str, dst: str) -> Transformer:
    """Cached pyproj Transformer with x=lon/easting, y=lat/northing order (always_xy=True).

    Why cached: building a Transformer costs milliseconds; geocoding calls this per geometry.
    """
    return Transformer.from_crs(src, dst, always_xy=True)


def _reproject_geom(geom: G, src: str, dst: str) -> G:
    # shapely.transform (vectorised over the coordinate array; shapely.ops.transform is
    # deprecated in Shapely 2.1+) with the cached always_xy Transformer.
    # types-shapely only models the interleaved callable (one (n, 2) array), not f(x, y).
    return shapely.transform(geom, transformer(src, dst).transform, interleaved=False)  # type: ignore[arg-type]


@overload
def to_metric(obj: G) -> G: ...
@overload
def to_metric(obj: gpd.GeoDataFrame) -> gpd.GeoDataFrame: ...
@overload  # geopandas has no stubs: to mypy GeoSeries is Any, like GeoDataFrame above
def to_metric(obj: gpd.GeoSeries) -> gpd.GeoSeries: ...  # type: ignore[overload-cannot-match]
def to_metric(obj: GeoLike) -> GeoLike:
    """Reproject to :data:`METRIC_CRS`.

    Frames/series use ``.to_crs`` (their CRS must be set); a bare shapely geometry is assumed
    to be in :data:`STORAGE_CRS` (lon/lat).
    """
    if isinstance(obj, (gpd.GeoDataFrame, gpd.GeoSeries)):
        if obj.crs is None:
            raise ValueError("GeoDataFrame/GeoSeries has no CRS; set it before reprojecting")
        return obj.to_crs(METRIC_CRS)
    return _reproject_geom(obj, STORAGE_CRS, METRIC_CRS)


@overload
def to_wgs84(obj: G) -> G: ...
@overload
def to_wgs84(obj: gpd.GeoDataFrame) -> gpd.GeoDataFrame: ...
@overload  # geopandas has no stubs: to mypy GeoSeries is Any, like GeoDataFrame above
def to_wgs84(obj: gpd.GeoSeries) -> gpd.GeoSeries: ...  # type: ignore[overload-cannot-match]
def to_wgs84(obj: GeoLike) -> GeoLike:
    """Reproject to :data:`STORAGE_CRS` (lon/lat).

    Frames/series use ``.to_crs``; a bare shapely geometry is assumed to be in
    :data:`METRIC_CRS`.
    """
    if isinstance(obj, (gpd.GeoDataFrame, gpd.GeoSeries)):
        if obj.crs is None:
            raise ValueError("GeoDataFrame/GeoSeries has no CRS; set it before reprojecting")
        return obj.to_crs(STORAGE_CRS)
    return _reproject_geom(obj, METRIC_CRS, STORAGE_CRS)


def round_coords(geom: G, ndigits: int = 6) -> G:
    """Round coordinates to *ndigits* decimals (6 ≈ 0.1 m at Plovdiv's latitude).

    Why: published GeoJSON should not carry 15 spurious decimals (file size, diff noise).
    Uses ``shapely.set_precision`` so polygons stay valid (collapsed parts are removed)
    rather than rounding blindly, which could create self-intersections.
    """
    if geom is None or geom.is_empty:
        return geom
    return shapely.set_precision(geom, grid_size=10.0**-ndigits)
