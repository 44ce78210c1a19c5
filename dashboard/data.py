"""Load the register and the district polygons into the tables every view works from.

Why a normalised table: the register is still growing (geocoding adds ``geometry``,
``precision``, ``geocode_*``), so every reader of a record would otherwise re-check which
properties exist. Here each record gets every column with a safe default: a missing or
invalid geometry or a missing precision makes the record *unlocated* — listed with its
reason, never dropped. Planners' pins (``corrections.apply_corrections``) are applied on load,
so the map shows them before the next rebuild.

Loading is cached once per process with ``st.cache_resource`` keyed by the files'
modification times and the store's version (pins and review decisions), so a rebuild, a new
pin or a decision is picked up without a restart, and every session shares the one
``Register`` (``st.cache_data`` would unpickle a private copy for every script run: most of a
page view's CPU). Nothing may modify a ``Register`` or its frames; views filter into new
frames. ``Register.version`` names the state it was loaded from: the key of every cache built
on it (the map, the counts), so an edit invalidates them all and no state leaks into another.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from dashboard.i18n import CATEGORIES
from geo.projection import METRIC_CRS, STORAGE_CRS, to_metric, to_wgs84
from geocoding.normalize import transliterate
from geocoding.picker import PlacePicker
from pipeline import corrections, reviews, store
from pipeline.geocode_stage import geocode_records, load_resolver
from works.errors import PlovdivError
from works.geojson import RegisterError, read_register, to_feature
from works.model import Precision, Status, StatusScope, WorkRecord, is_located
from works.review import apply_decisions

__all__ = [
    "NO_DISTRICT",
    "Register",
    "RegisterError",
    "fold",
    "load_basemap",
    "load_districts",
    "load_picker",
    "load_register",
    "mtime",
    "record_row",
]

#: Display simplification tolerance in metres: invisible at street zoom, halves the payload.
SIMPLIFY_M = 2.0
DISTRICT_SIMPLIFY_M = 5.0
NO_DISTRICT = "none"

_FOLD_RE = re.compile(r"[„“”\"«»'`‘’‚]")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Register:
    """The normalised register and its districts."""

    records: pd.DataFrame
    districts: gpd.GeoDataFrame
    metadata: dict[str, Any]
    orphan_corrections: tuple[int, ...]
    #: Records a reviewer marked as not a work or merged into another: off the map and the
    #: counts, listed in the planners' view (nothing is dropped).
    hidden: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Review decisions made since the build whose work is gone (kept, never applied).
    orphan_reviews: tuple[str, ...] = ()
    #: The files and the store's version this was loaded from: the key of derived caches.
    version: str = ""


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


def _unlocated_reason(record: WorkRecord, geom_ok: bool) -> str:
    """Why a record is not on the map (shown in the list of works not on the map)."""
    if not geom_ok:
        return "invalid_geometry"
    if record.city_wide or record.precision is Precision.CITY:
        return "city_wide"
    if record.precision is Precision.DISTRICT or (record.districts and not record.places):
        return "district_only"
    return "not_geocoded"


def record_row(record: WorkRecord) -> dict[str, Any]:
    """One table row from one work record, every column present (the map draws these rows)."""
    raw = record.location.geometry if record.location is not None else None
    geom, geom_ok = _geometry(raw)
    # THE definition of located (works.model), and a geometry the map can draw.
    located = is_located(record) and geom is not None
    reason = "" if located else _unlocated_reason(record, geom_ok)
    if not located:
        geom = None
    categories = tuple(str(c) for c in record.categories) or ("other",)
    place_texts = [p.text for p in record.places]
    rep = geom.representative_point() if geom is not None else None
    precision = record.precision
    loc = record.location
    return {
        "id": record.id,
        "key": record.key,
        "name": record.name,
        "name_latin": transliterate(record.name),
        "status": str(record.status),
        "categories": categories,
        "category": categories[0] if categories[0] in CATEGORIES else "other",
        "priority": str(record.priority) if record.priority else "",
        "measure": record.measure,
        "goal": record.goal,
        "goal_line": record.goal_line,
        "source_line": record.source_line,
        "source_text": record.source_text,
        "status_evidence": record.status_evidence,
        "status_scope": str(record.status_scope),
        "places": "; ".join(place_texts),
        "districts": tuple(record.districts),
        "city_wide": record.city_wide,
        "precision": str(precision) if located or not precision.located else "none",
        "located": located,
        "unlocated_reason": reason,
        "geometry": geom,
        "kind": _kind(geom) if geom is not None else "",
        "lat": rep.y if rep is not None else None,
        "lon": rep.x if rep is not None else None,
        "geocode_source": "; ".join(loc.sources) if loc is not None else "",
        "geocode_score": loc.score if loc is not None else None,
        "corrected": loc is not None and loc.corrected,
        "years": tuple(record.years),
        "review": str(record.review),
        "reviewed_at": record.reviewed_at[:10],
        "not_work": record.not_work,
        "merged_into": record.merged_into,
        "public": record.public,
        "search": search_key(record.name, record.source_text, *place_texts),
        "feature": to_feature(record),
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


def register_version(*key: object) -> str:
    """A short name for the state a register is loaded from (its cache key)."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:16]


@st.cache_resource(show_spinner=False, max_entries=4)
def load_register(
    projects: str,
    projects_mtime: float,
    districts: str,
    districts_mtime: float,
    db: str,
    db_version: str,
    gazetteer: str = "",
    gazetteer_mtime: float = 0.0,
) -> Register:
    """Read (validated, ``works.geojson``), correct and normalise the register.

    Pins are applied by the same function the build uses (``pipeline.corrections``), against
    the full-resolution district polygons, so a pinned work has the same districts before and
    after the next rebuild. Shared by every session (``st.cache_resource``): read only.

    ``db`` empty: the store is unavailable (locked, damaged, down) and the register file is
    shown as built, with no pins or decisions since (the page says so). ``gazetteer``: the
    built gazetteer the works whose places a decision since the build changed are located
    with, as the next build will locate them (none: they keep the location they were built with).
    """
    version = register_version(
        projects, projects_mtime, districts, districts_mtime, db, db_version, gazetteer, gazetteer_mtime
    )
    polygons = gpd.read_file(districts) if districts and Path(districts).is_file() else None
    if db:  # the store: the register (file or shared database), pins and decisions since the build
        register = store.load_register(Path(projects))
        records, review_orphans = _apply_new_reviews(register.records, register.metadata, Path(db))
        records = _relocate(register.records, records, register.metadata, gazetteer, districts)
        records = corrections.apply_corrections(records, Path(db), polygons)
        orphans = tuple(pin.id for pin in corrections.orphans(records, Path(db)))
    else:  # the store cannot be read: the register file as built, nothing else
        register = read_register(Path(projects))
        records, review_orphans, orphans = register.records, (), ()
    frame = pd.DataFrame([record_row(r) for r in records])
    if frame.empty:
        frame = pd.DataFrame(columns=list(record_row(_EMPTY)))
    frame["geometry"] = _simplify(list(frame["geometry"]), SIMPLIFY_M)
    district_frame = load_districts(districts, districts_mtime)
    frame["map_districts"] = _assign_map_districts(frame, district_frame)
    # Search matches a work's own name, places and districts, never its whole sentence.
    from dashboard.search import names_key

    frame["find"] = [
        names_key(name, places, ds)
        for name, places, ds in zip(frame["name"], frame["places"], frame["map_districts"], strict=True)
    ]
    public = frame["public"].astype(bool)
    hidden = frame[~public].reset_index(drop=True)
    return Register(
        frame[public].reset_index(drop=True),
        district_frame,
        register.metadata,
        orphans,
        hidden,
        review_orphans,
        version,
    )


def _apply_new_reviews(
    records: list[WorkRecord], metadata: dict[str, Any], db: Path
) -> tuple[list[WorkRecord], tuple[str, ...]]:
    """Decisions planners stored since the build, applied as the next rebuild will apply them.

    The build lists the decisions it applied (``metadata.reviews.applied_uids``); only newer
    ones are applied here, so a split or a merge is never applied twice. A register built
    with ``--no-reviews`` gets none (it is the raw extractor output on purpose).
    """
    info = metadata.get("reviews")
    report = str(metadata.get("source") or "")
    if not isinstance(info, dict) or not report:
        return records, ()
    pending = reviews.pending(db, report, info.get("applied_uids") or [])
    if not pending:
        return records, ()
    applied = apply_decisions(records, pending)
    return applied.records, tuple(d.uid for d in applied.orphaned)


def _relocate(
    built: list[WorkRecord],
    records: list[WorkRecord],
    metadata: dict[str, Any],
    gazetteer: str,
    districts: str,
) -> list[WorkRecord]:
    """The works whose places a decision since the build changed, located as the build will.

    Why: the build applies decisions *before* geocoding, so a reviewer's new places get their
    geometry there; on load, decisions are applied to records already located, and a work
    given a new place would keep its old geometry until the next rebuild. These works (a
    split part or an added work counts as changed when its places differ from its record's)
    go through the build's own geocoding stage, on the same gazetteer and districts. A
    register built without geocoding stays without (the build would not locate them either).
    """
    if "geocoding" not in metadata or not gazetteer:
        return records
    before = {r.key: r.places for r in built}
    changed = [
        i
        for i, r in enumerate(records)
        if (base := before.get(r.key, before.get(r.key.rsplit(".", 1)[0]))) is None or base != r.places
    ]
    if not changed:
        return records
    picker, _why = load_picker(gazetteer, mtime(Path(gazetteer)), districts, mtime(Path(districts)))
    if picker is None:
        return records
    located = geocode_records([records[i] for i in changed], picker.resolver).records
    out = list(records)
    for i, record in zip(changed, located, strict=True):
        out[i] = record
    return out


@st.cache_resource(show_spinner=False, max_entries=2)
def load_picker(
    gazetteer: str, gazetteer_mtime: float, districts: str, districts_mtime: float
) -> tuple[PlacePicker | None, str]:
    """The build's resolver on the built gazetteer and districts, with a picker over it; or
    (None, why not). Loaded once per process and files' state (shared: read only)."""
    del gazetteer_mtime, districts_mtime  # cache key only
    if not Path(gazetteer).is_file() or not Path(districts).is_file():
        return None, f"{gazetteer if not Path(gazetteer).is_file() else districts} is not built (make data)"
    try:
        return PlacePicker(load_resolver(Path(gazetteer), Path(districts))), ""
    except PlovdivError as exc:
        return None, str(exc)


#: A record for the column names of an empty register.
_EMPTY = WorkRecord("", "", "", [], Status.PLANNED, 0, "", "", 0, 0, "", "", StatusScope.DEFAULT)


def mtime(path: Path) -> float:
    """Modification time, 0 for a missing file (a cache key)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@st.cache_resource(show_spinner=False, max_entries=2)
def load_basemap(path: str, path_mtime: float, gazetteer: str) -> dict[str, Any] | None:
    """The offline basemap: the built file, else built from the gazetteer, else None (shared: read only)."""
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
