"""Planners' location corrections ("pins") in an embedded SQLite database, keyed by work key.

Why SQLite: corrections are the only data people create by hand, so they must survive every
rebuild of the register, concurrent saves from two planners, and a crash in the middle of a
save. Every write is one ``BEGIN IMMEDIATE`` transaction; deletions are soft
(``deleted_at``/``deleted_by``), so the history of who moved what is never lost.

Why keys: a pin is stored against the work's stable ``key`` (``works.keys``), never its display
id, which drifts when text moves. A pin whose key matches no work any more is *orphaned*: it is
reported (build summary, planners' view) and never applied to another work. Pins made before
keys existed (schema 1) are migrated once, against the register they were made on
(:func:`migrate_legacy`).

Both the build (``python -m pipeline``) and the dashboard apply pins through
:func:`apply_corrections`, so a pinned work has the same location and districts before and
after a rebuild. No Streamlit here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
from shapely.geometry import Point

from geo.districts import assign_districts
from pipeline import _sqlite
from pipeline._lazy import lazy_module
from pipeline._sqlite import connect, transaction
from pipeline.store_errors import StoreError, sqlite_errors
from works.errors import PlovdivError
from works.model import Location, Precision, WorkRecord
from works.settings import database_url

if TYPE_CHECKING:
    from pipeline import _postgres
else:
    _postgres = lazy_module("pipeline._postgres")  # only a PostgreSQL store needs it

__all__ = [
    "Correction",
    "CorrectionError",
    "StoreError",
    "add_correction",
    "apply_corrections",
    "delete_correction",
    "init_db",
    "latest_by_work",
    "list_corrections",
    "migrate_legacy",
    "orphans",
    "version",
]

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  TEXT NOT NULL CHECK (length(project_id) BETWEEN 1 AND 200),
    lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    user        TEXT NOT NULL CHECK (length(user) BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL,
    deleted_at  TEXT,
    deleted_by  TEXT,
    work_key    TEXT CHECK (work_key IS NULL OR length(work_key) BETWEEN 1 AND 100)
);
CREATE INDEX IF NOT EXISTS corrections_project ON corrections (project_id);
"""
_COLUMNS = "id, work_key, project_id, lon, lat, note, user, created_at, deleted_at, deleted_by"


class CorrectionError(PlovdivError):
    """A pin that cannot be stored (empty key or user, a coordinate that is not WGS 84)."""


@dataclass(frozen=True)
class Correction:
    """One pin: the work it moves (by key), where to, who, when, whether it was withdrawn.

    ``project_id`` is the display id the work had when the pin was made (history only);
    ``work_key`` is None for a schema-1 pin not yet migrated.
    """

    id: int
    work_key: str | None
    project_id: str
    lon: float
    lat: float
    note: str
    user: str
    created_at: str
    deleted_at: str | None = None
    deleted_by: str | None = None

    @property
    def source(self) -> str:
        """The record's ``geocode_source`` once this pin is applied."""
        return f"manual correction #{self.id} by {self.user} at {self.created_at}"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _has_keys(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "work_key" for row in conn.execute("PRAGMA table_info(corrections)"))


def init_db(db_path: Path) -> None:
    """Create the database, or bring a schema-1 one to schema 2 (idempotent, nothing lost).

    With a shared store (``PLOVDIV_DATABASE_URL``) its tables are created on first use.
    """
    if url := database_url():
        _postgres.engine(url)
        return
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite_errors(db_path), closing(connect(db_path)) as conn, transaction(conn):
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "corrections" in tables and not _has_keys(conn):
            conn.execute("ALTER TABLE corrections ADD COLUMN work_key TEXT")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("CREATE INDEX IF NOT EXISTS corrections_key ON corrections (work_key)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _validate(work_key: str, lat: float, lon: float, user: str, note: str) -> tuple[str, str, str]:
    work_key, user, note = work_key.strip(), user.strip(), note.strip()
    if not work_key:
        raise CorrectionError("work key is empty")
    if not user:
        raise CorrectionError("user is empty")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError(f"not a WGS84 coordinate: lat {lat}, lon {lon}")
    return work_key, user[:100], note[:1000]


def add_correction(
    db_path: Path,
    work_key: str,
    lat: float,
    lon: float,
    user: str,
    note: str = "",
    now: str | None = None,
    project_id: str = "",
) -> Correction:
    """Store a pin for the work ``work_key`` at (lat, lon); return it with its id."""
    work_key, user, note = _validate(work_key, float(lat), float(lon), user, note)
    project_id = (project_id.strip() or work_key)[:200]
    created = now or _now()
    if url := database_url():
        lon, lat = float(lon), float(lat)
        new_id = _postgres.add_correction(url, work_key, project_id, lon, lat, note, user, created)
        return Correction(new_id, work_key, project_id, float(lon), float(lat), note, user, created)
    init_db(db_path)
    with sqlite_errors(db_path), closing(connect(db_path)) as conn, transaction(conn):
        cursor = conn.execute(
            "INSERT INTO corrections (work_key, project_id, lon, lat, note, user, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (work_key, project_id, float(lon), float(lat), note, user, created),
        )
        new_id = int(cursor.lastrowid or 0)
    return Correction(new_id, work_key, project_id, float(lon), float(lat), note, user, created)


def list_corrections(db_path: Path, include_deleted: bool = False) -> list[Correction]:
    """Pins in the order they were made (withdrawn ones only on request)."""
    if url := database_url():
        return [Correction(*row) for row in _postgres.list_corrections(url, include_deleted)]
    if not db_path.exists():
        return []
    where = "" if include_deleted else "WHERE deleted_at IS NULL"
    with sqlite_errors(db_path), closing(connect(db_path, read_only=True)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "corrections" not in tables:  # the database holds only review decisions so far
            return []
        columns = _COLUMNS if _has_keys(conn) else _COLUMNS.replace("work_key", "NULL")
        rows = conn.execute(f"SELECT {columns} FROM corrections {where} ORDER BY id").fetchall()
    return [Correction(*row) for row in rows]


def delete_correction(db_path: Path, correction_id: int, user: str, now: str | None = None) -> bool:
    """Withdraw a pin (kept in the table, marked deleted); False if none was active."""
    user = user.strip()[:100] or "?"
    if url := database_url():
        return _postgres.delete_correction(url, int(correction_id), user, now or _now())
    if not db_path.exists():
        return False
    with sqlite_errors(db_path), closing(connect(db_path)) as conn, transaction(conn):
        cursor = conn.execute(
            "UPDATE corrections SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL",
            (now or _now(), user, int(correction_id)),
        )
        return cursor.rowcount == 1


def version(db_path: Path) -> str:
    """A string that changes whenever the pins change (a cache key for the dashboard)."""
    if url := database_url():
        return _postgres.version(url, "corrections")
    return _sqlite.version(db_path, "SELECT count(*), max(id), max(deleted_at) FROM corrections")


def latest_by_work(pins: Sequence[Correction]) -> dict[str, Correction]:
    """The newest active pin of each work key (a later pin replaces an earlier one)."""
    latest: dict[str, Correction] = {}
    for pin in pins:
        if pin.deleted_at is None and pin.work_key is not None:
            if pin.work_key not in latest or pin.id > latest[pin.work_key].id:
                latest[pin.work_key] = pin
    return latest


def orphans(records: Sequence[WorkRecord], db_path: Path) -> list[Correction]:
    """Active pins that name no work of ``records``: their key is gone, or never migrated."""
    keys = {r.key for r in records}
    active = [p for p in list_corrections(db_path) if p.deleted_at is None]
    latest = latest_by_work(active)
    return [p for p in active if p.work_key is None or (p.work_key not in keys and latest[p.work_key] is p)]


def _legacy_target(old: Mapping[str, Any], records: Sequence[WorkRecord]) -> WorkRecord | None:
    """The one work a schema-1 pin meant: same name, and same line or same sentence."""
    name, line, text = old.get("name"), old.get("source_line"), old.get("source_text")
    for same in (
        lambda r: r.name == name and r.source_line == line and r.source_text == text,
        lambda r: r.name == name and r.source_text == text,
        lambda r: r.name == name and r.source_line == line,
    ):
        found = [r for r in records if same(r)]
        if len(found) == 1:
            return found[0]
    return None


def migrate_legacy(
    db_path: Path, old_features: Sequence[Mapping[str, Any]], records: Sequence[WorkRecord]
) -> int:
    """Give schema-1 pins (stored by display id) the key of the work they were made on.

    ``old_features`` is the register the pins were made against (the file a rebuild is about
    to replace); ``records`` the new build. A pin whose work cannot be found unambiguously
    keeps no key and is reported as orphaned. Returns how many pins were migrated.
    """
    if database_url() or not db_path.is_file():
        return 0  # the shared store never held schema-1 pins
    init_db(db_path)
    legacy = [p for p in list_corrections(db_path, include_deleted=True) if p.work_key is None]
    if not legacy:
        return 0
    by_id = {
        str((f.get("properties") or {}).get("id") or f.get("id")): f.get("properties") or {}
        for f in old_features
    }
    keyed = {}
    for pin in legacy:
        old = by_id.get(pin.project_id)
        target = _legacy_target(old, records) if old is not None else None
        if target is not None:
            keyed[pin.id] = target.key
    with sqlite_errors(db_path), closing(connect(db_path)) as conn, transaction(conn):
        for pin_id, key in keyed.items():
            conn.execute(
                "UPDATE corrections SET work_key = ? WHERE id = ? AND work_key IS NULL", (key, pin_id)
            )
    return len(keyed)


def apply_corrections(
    records: Sequence[WorkRecord], db_path: Path, districts: gpd.GeoDataFrame | None = None
) -> list[WorkRecord]:
    """The records with every active pin applied (inputs are not modified).

    A pinned record gets a Point at the pin, ``precision = manual``, score 100, the pin as its
    only source (``manual correction #<id> by <user> at <time>``) and ``correction_id``. Its
    districts come from the spatial join at the pin when ``districts`` is given: the
    planner's placement overrides the text's district and the old geometry's join. A missing
    database changes nothing (and is not created).
    """
    pins = latest_by_work(list_corrections(Path(db_path)))
    out: list[WorkRecord] = []
    moved: list[int] = []
    for record in records:
        pin = pins.get(record.key)
        if pin is None:
            out.append(record)
            continue
        location = Location(
            precision=Precision.MANUAL,
            geometry={"type": "Point", "coordinates": [round(pin.lon, 6), round(pin.lat, 6)]},
            score=100.0,
            sources=[pin.source],
            correction_id=pin.id,
        )
        moved.append(len(out))
        out.append(replace(record, location=location, districts=list(record.districts)))
    if moved and districts is not None and len(districts):
        _redistrict([out[i] for i in moved], districts)
    return out


def _redistrict(records: list[WorkRecord], districts: gpd.GeoDataFrame) -> None:
    """Districts at each pin (in place); in a boundary gap, the candidates, flagged approximate."""
    points = gpd.GeoSeries(
        [Point(r.location.geometry["coordinates"]) for r in records if r.location and r.location.geometry],
        crs="EPSG:4326",
    )
    joined = assign_districts(points.to_crs(districts.crs), districts)
    for record, (_, row) in zip(records, joined.iterrows(), strict=True):
        found, candidates = list(row["districts"]), list(row["candidates"])
        record.districts = found or candidates
        assert record.location is not None
        record.location.district_approximate = not found and bool(candidates)
