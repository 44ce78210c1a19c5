"""Load the register and the district polygons into the tables every view works from.

Why a normalised table: the register is still growing (geocoding adds ``geometry``,
``precision``, ``geocode_*``), so every reader of a record would otherwise re-check which
properties exist. Here each record gets every column with a safe default: a missing or
invalid geometry or a missing precision makes the record *unlocated* — listed with its
reason, never dropped. Planners' pins (``corrections.apply_corrections``) are applied on load,
so the map shows them before the next rebuild.

Loading is cached with ``st.cache_data`` keyed by the files' modification times (and the
corrections' version), so a rebuild or a new pin is picked up without a restart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from dashboard.i18n import CATEGORIES, STATUSES
from dashboard.styles import LOCATED_PRECISIONS
from geo.projection import METRIC_CRS, STORAGE_CRS, to_metric, to_wgs84
from pipeline import corrections

#: Display simplification tolerance in metres: invisible at street zoom, halves the payload.
SIMPLIFY_M = 2.0
DISTRICT_SIMPLIFY_M = 5.0
NO_DISTRICT = "none"

_FOLD_RE = re.compile(r"[„“”\"«»'`‘’‚]")
_SPACE_RE = re.compile(r"\s+")

try:  # transliteration lives in geocoding (pure Python); the dashboard must not need it.
    from geocoding.normalize import transliterate
except ImportError:  # pragma: no cover - geocoding is part of the repository today

    def transliterate(text: str) -> str:
        """Fallback: no transliteration (names are shown in Cyrillic only)."""
        return text


class RegisterError(Exception):
    """The register file exists but cannot be used; the message is for the page."""


@dataclass(frozen=True)
class Register:
    """The normalised register and its districts."""

    records: pd.DataFrame
    districts: gpd.GeoDataFrame
    metadata: dict[str, Any]
    orphan_corrections: tuple[int, ...]


def fold(text: str) -> str:
    """Search key: lower case, no quotes, single spaces (Cyrillic and Latin alike)."""
    return _SPACE_RE.sub(" ", _FOLD_RE.sub(" ", text.lower())).strip()


def search_key(*texts: str) -> str:
    """What free-text search matches: the texts, folded, and their Latin transliteration."""
    joined = " | ".join(t for t in texts if t)
    return fold(joined) + " || " + fold(transliterate(joined))


def _geometry(raw: Any) -> tuple[BaseGeometry | None, bool]:
    """(geometry, ok): ``ok`` is False for a present but unusable geometry."""
    if raw is None:
        return None, True
    try:
        geom = shape(raw)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        return None, False
    if geom.is_empty:
        return None, False
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    lon_lat_ok = all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in shapely.get_coordinates(geom))
    return (geom, True) if lon_lat_ok else (None, False)


def _kind(geom: BaseGeometry) -> str:
    """point / line / polygon / mixed: how the map draws a geometry."""
    types = {g.geom_type for g in getattr(geom, "geoms", [geom])}
    types = {t.removeprefix("Multi") for t in types}
    if types == {"Point"}:
        return "point"
    if types == {"LineString"}:
        return "line"
    if types == {"Polygon"}:
        return "polygon"
    return "mixed"


def _as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if v not in (None, ""))
    return (str(value),) if value not in (None, "") else ()


def _record(feature: dict[str, Any], index: int) -> dict[str, Any]:
    """One table row from one Feature, every column present."""
    props = feature.get("properties") or {}
    geom, geom_ok = _geometry(feature.get("geometry"))
    precision = str(props.get("precision") or "none")
    city_wide = bool(props.get("city_wide"))
    located = geom is not None and precision in LOCATED_PRECISIONS
    if located:
        reason = ""
    elif not geom_ok:
        reason = "invalid_geometry"
    elif city_wide or precision == "city":
        reason = "city_wide"
    elif precision == "district" or (props.get("districts") and not props.get("places")):
        reason = "district_only"
    else:
        reason = "not_geocoded"
    if not located:
        geom = None
    name = str(props.get("name") or props.get("id") or f"record {index + 1}")
    categories = tuple(c for c in _as_tuple(props.get("categories")) if c) or ("other",)
    status = str(props.get("status") or "unknown")
    places = props.get("places") or []
    place_texts = [str(p.get("text", "")) for p in places if isinstance(p, dict)]
    priority = props.get("priority")
    rep = geom.representative_point() if geom is not None else None
    return {
        "id": str(props.get("id") or feature.get("id") or f"record-{index + 1}"),
        "name": name,
        "name_latin": transliterate(name),
        "status": status if status in STATUSES else "unknown",
        "categories": categories,
        "category": categories[0] if categories[0] in CATEGORIES else "other",
        "priority": str(priority) if priority not in (None, "") else "",
        "measure": str(props.get("measure") or ""),
        "goal": str(props.get("goal") or ""),
        "source_line": int(props.get("source_line") or 0),
        "source_text": str(props.get("source_text") or ""),
        "status_evidence": str(props.get("status_evidence") or ""),
        "places": "; ".join(place_texts),
        "districts": _as_tuple(props.get("districts")),
        "city_wide": city_wide,
        "precision": precision if located or precision in ("district", "city", "none") else "none",
        "located": located,
        "unlocated_reason": reason,
        "geometry": geom,
        "kind": _kind(geom) if geom is not None else "",
        "lat": rep.y if rep is not None else None,
        "lon": rep.x if rep is not None else None,
        "geocode_source": _sources(props.get("geocode_source")),
        "geocode_score": props.get("geocode_score"),
        "corrected": bool(props.get("corrected")),
        "search": search_key(name, str(props.get("source_text") or ""), *place_texts),
        "feature": feature,
    }


def _simplify(geoms: list[BaseGeometry | None], tolerance_m: float) -> list[BaseGeometry | None]:
    """Simplify in metres (EPSG:32635), back to lon/lat, rounded to ~0.1 m."""
    out: list[BaseGeometry | None] = []
    for geom in geoms:
        if geom is None or geom.geom_type == "Point":
            out.append(geom)
            continue
        simple = to_wgs84(to_metric(geom).simplify(tolerance_m, preserve_topology=True))
        out.append(shapely.set_precision(simple, 1e-6) if not simple.is_empty else geom)
    return out


def _assign_map_districts(records: pd.DataFrame, districts: gpd.GeoDataFrame) -> list[tuple[str, ...]]:
    """Districts a record belongs to: the ones its text names, else the polygon it lies in."""
    result: list[tuple[str, ...]] = []
    polygons = list(zip(districts["name"], districts["geometry"], strict=True)) if len(districts) else []
    for named, lat, lon in zip(records["districts"], records["lat"], records["lon"], strict=True):
        if named:
            result.append(tuple(named))
            continue
        if lat is None or pd.isna(lat):
            result.append(())
            continue
        point = shapely.Point(lon, lat)
        result.append(tuple(name for name, poly in polygons if poly is not None and poly.covers(point)))
    return result


def read_features(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The register's features and metadata; :class:`RegisterError` when unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterError(f"{path.name}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise RegisterError(f"{path.name}: not a GeoJSON FeatureCollection")
    features = [f for f in data["features"] if isinstance(f, dict)]
    return features, dict(data.get("metadata") or {})


@st.cache_data(show_spinner=False, max_entries=4)
def load_districts(path: str, mtime: float) -> gpd.GeoDataFrame:
    """District polygons (simplified for display) with name, name_en, unresolved, area_km2."""
    del mtime  # part of the cache key only
    columns = ["name", "name_en", "unresolved", "area_km2", "note", "geometry"]
    if not path or not Path(path).exists():
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=STORAGE_CRS)
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        gdf = gdf.set_crs(STORAGE_CRS)
    gdf = gdf.to_crs(STORAGE_CRS)
    for col, default in (("name_en", ""), ("unresolved", False), ("note", ""), ("area_km2", None)):
        if col not in gdf:
            gdf[col] = default
    gdf["name"] = gdf["name"].astype(str)
    gdf["name_en"] = [
        en if isinstance(en, str) and en else transliterate(n)
        for n, en in zip(gdf["name"], gdf["name_en"], strict=True)
    ]
    gdf["unresolved"] = gdf["unresolved"].fillna(False).astype(bool)
    metric_area = gdf.to_crs(METRIC_CRS).area / 1e6
    gdf["area_km2"] = pd.to_numeric(gdf["area_km2"], errors="coerce").fillna(metric_area)
    gdf["geometry"] = _simplify(list(gdf.geometry), DISTRICT_SIMPLIFY_M)
    return gdf[columns].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=4)
def load_register(
    projects: str, projects_mtime: float, districts: str, districts_mtime: float, db: str, db_version: str
) -> Register:
    """Read, correct and normalise the register (see the module docstring)."""
    del projects_mtime, db_version  # cache keys only
    features, metadata = read_features(Path(projects))
    applied = corrections.apply_corrections(features, Path(db))
    orphans = tuple(pin.id for pin in corrections.orphans(features, Path(db)))
    frame = pd.DataFrame([_record(f, i) for i, f in enumerate(applied)])
    if frame.empty:
        frame = pd.DataFrame(columns=list(_record({}, 0)))
    frame["geometry"] = _simplify(list(frame["geometry"]), SIMPLIFY_M)
    district_frame = load_districts(districts, districts_mtime)
    frame["map_districts"] = _assign_map_districts(frame, district_frame)
    return Register(frame, district_frame, metadata, orphans)


def mtime(path: Path) -> float:
    """Modification time, 0 for a missing file (a cache key)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@st.cache_data(show_spinner=False, max_entries=2)
def load_basemap(path: str, path_mtime: float, gazetteer: str) -> dict[str, Any] | None:
    """The offline basemap: the built file, else built from the gazetteer, else None."""
    del path_mtime  # cache key only
    from dashboard.basemap import BasemapError, build_basemap

    if Path(path).is_file():
        try:
            return json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            pass  # a broken file: fall back to the gazetteer below
    try:
        return build_basemap(None, Path(gazetteer))
    except (BasemapError, OSError, ValueError):
        return None


def _sources(value: Any) -> str:
    """``geocode_source`` as text: the pipeline writes a list of OSM ids or rules."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value or "")
