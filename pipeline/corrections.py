"""Planners' location corrections ("pins") in an embedded SQLite database.

Why SQLite: corrections are the only data people create by hand, so they must survive every
rebuild of the register (the pipeline regenerates ``projects.geojson`` from the report and
then calls :func:`apply_corrections`), concurrent saves from two planners, and a crash in the
middle of a save. Every write is one ``BEGIN IMMEDIATE`` transaction; deletions are soft
(``deleted_at``/``deleted_by``), so the history of who moved what is never lost.

It lives in the pipeline because the build applies the pins (:func:`apply_corrections`) at
every rebuild; the dashboard writes them through the same functions. No Streamlit here.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
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
    deleted_by  TEXT
);
CREATE INDEX IF NOT EXISTS corrections_project ON corrections (project_id);
"""
_COLUMNS = "id, project_id, lon, lat, note, user, created_at, deleted_at, deleted_by"


@dataclass(frozen=True)
class Correction:
    """One pin: the project it moves, where to, who, when, and whether it was withdrawn."""

    id: int
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


def _connect(db_path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are explicit (:func:`_transaction`)."""
    if read_only:
        conn = sqlite3.connect(
            f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5, isolation_level=None
        )
    else:
        conn = sqlite3.connect(db_path, timeout=5, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls the whole change back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def init_db(db_path: Path) -> None:
    """Create the database and its table if missing (idempotent)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with closing(_connect(db_path)) as conn, _transaction(conn):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _validate(project_id: str, lat: float, lon: float, user: str, note: str) -> tuple[str, str, str]:
    project_id, user, note = project_id.strip(), user.strip(), note.strip()
    if not project_id:
        raise ValueError("project id is empty")
    if not user:
        raise ValueError("user is empty")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a WGS84 coordinate: lat {lat}, lon {lon}")
    return project_id, user[:100], note[:1000]


def add_correction(
    db_path: Path, project_id: str, lat: float, lon: float, user: str, note: str = "", now: str | None = None
) -> Correction:
    """Store a pin for ``project_id`` at (lat, lon); return it with its id."""
    project_id, user, note = _validate(project_id, float(lat), float(lon), user, note)
    init_db(db_path)
    created = now or _now()
    with closing(_connect(db_path)) as conn, _transaction(conn):
        cursor = conn.execute(
            "INSERT INTO corrections (project_id, lon, lat, note, user, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (project_id, float(lon), float(lat), note, user, created),
        )
        new_id = int(cursor.lastrowid or 0)
    return Correction(new_id, project_id, float(lon), float(lat), note, user, created)


def list_corrections(db_path: Path, include_deleted: bool = False) -> list[Correction]:
    """Pins in the order they were made (withdrawn ones only on request)."""
    if not db_path.exists():
        return []
    where = "" if include_deleted else "WHERE deleted_at IS NULL"
    with closing(_connect(db_path, read_only=True)) as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM corrections {where} ORDER BY id").fetchall()
    return [Correction(*row) for row in rows]


def delete_correction(db_path: Path, correction_id: int, user: str, now: str | None = None) -> bool:
    """Withdraw a pin (kept in the table, marked deleted); False if none was active."""
    if not db_path.exists():
        return False
    user = user.strip()[:100] or "?"
    with closing(_connect(db_path)) as conn, _transaction(conn):
        cursor = conn.execute(
            "UPDATE corrections SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL",
            (now or _now(), user, int(correction_id)),
        )
        return cursor.rowcount == 1


def version(db_path: Path) -> str:
    """A string that changes whenever the pins change (a cache key for the dashboard)."""
    if not db_path.exists():
        return "none"
    try:
        with closing(_connect(db_path, read_only=True)) as conn:
            row = conn.execute("SELECT count(*), max(id), max(deleted_at) FROM corrections").fetchone()
    except sqlite3.Error as exc:
        return f"error: {exc}"
    return repr(tuple(row))


def latest_by_project(pins: Sequence[Correction]) -> dict[str, Correction]:
    """The newest active pin of each project (a later pin replaces an earlier one)."""
    latest: dict[str, Correction] = {}
    for pin in pins:
        if pin.deleted_at is None and (pin.project_id not in latest or pin.id > latest[pin.project_id].id):
            latest[pin.project_id] = pin
    return latest


def _feature_id(feature: dict[str, Any]) -> str:
    return str((feature.get("properties") or {}).get("id") or feature.get("id") or "")


def orphans(features: Sequence[dict[str, Any]], db_path: Path) -> list[Correction]:
    """Active pins whose project is not in ``features`` (its id changed in a rebuild)."""
    ids = {_feature_id(f) for f in features}
    return [pin for pin in latest_by_project(list_corrections(db_path)).values() if pin.project_id not in ids]


def apply_corrections(features: Sequence[dict[str, Any]], db_path: Path) -> list[dict[str, Any]]:
    """The features with every active pin applied (inputs are not modified).

    A pinned feature gets a Point geometry, ``precision = "manual"``, ``geocode_score = 100``
    (the geocoder's 0–100 scale), ``geocode_source = ["manual correction #<id> by <user> at
    <time>"]`` (a list, like the geocoder's OSM sources), ``corrected = True`` and
    ``correction_id``. A missing database changes nothing (and is not created).
    Pins for ids no longer in ``features`` are kept in the database (see :func:`orphans`).
    """
    pins = latest_by_project(list_corrections(Path(db_path)))
    out: list[dict[str, Any]] = []
    for feature in features:
        pin = pins.get(_feature_id(feature))
        if pin is None:
            out.append(feature)
            continue
        fixed = copy.deepcopy(feature)
        props = fixed.setdefault("properties", {})
        props.update(
            precision="manual",
            geocode_score=100,
            geocode_source=[pin.source],
            corrected=True,
            correction_id=pin.id,
        )
        fixed["geometry"] = {"type": "Point", "coordinates": [round(pin.lon, 6), round(pin.lat, 6)]}
        out.append(fixed)
    return out
