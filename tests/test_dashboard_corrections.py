"""Planners' pins (SQLite) and the planner login: storage, application at rebuild, hashing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from dashboard import auth
from pipeline import corrections
from works.model import Category, Location, Precision, Status, StatusScope, WorkRecord
from works.settings import ConfigError, load_settings, writable


def _record(key: str, geometry: dict | None = None) -> WorkRecord:
    location = Location(Precision.FACILITY if geometry else Precision.NONE, geometry)
    return WorkRecord(
        key=key, id=f"id-{key}", name=key, categories=[Category.ROAD], status=Status.PLANNED,
        priority=1, measure="1.1", goal="", goal_line=1, source_line=2, source_text="",
        status_evidence="", status_scope=StatusScope.DEFAULT, location=location,
    )  # fmt: skip


def test_add_list_delete_keeps_history(tmp_path: Path) -> None:
    db = tmp_path / "corrections.sqlite"
    first = corrections.add_correction(
        db, "m1-l1-01", 42.1, 24.7, "Ана", "по снимка", now="2024-01-01T10:00:00Z"
    )
    second = corrections.add_correction(db, "m1-l2-01", 42.2, 24.8, "Боби")
    assert (first.id, second.id) == (1, 2)
    assert first.source == "manual correction #1 by Ана at 2024-01-01T10:00:00Z"
    assert [c.id for c in corrections.list_corrections(db)] == [1, 2]
    assert corrections.delete_correction(db, 1, "Боби", now="2024-01-02T00:00:00Z")
    assert not corrections.delete_correction(db, 1, "Боби")  # already withdrawn
    assert [c.id for c in corrections.list_corrections(db)] == [2]
    withdrawn = corrections.list_corrections(db, include_deleted=True)[0]
    assert (withdrawn.deleted_at, withdrawn.deleted_by) == ("2024-01-02T00:00:00Z", "Боби")


def test_invalid_pins_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "corrections.sqlite"
    for bad in ((" ", 42.1, 24.7, "Ана"), ("x", 91.0, 24.7, "Ана"), ("x", 42.1, 24.7, "  ")):
        with pytest.raises(ValueError):
            corrections.add_correction(db, *bad)
    assert corrections.list_corrections(db) == []


def test_a_failed_transaction_rolls_back(tmp_path: Path) -> None:
    db = tmp_path / "corrections.sqlite"
    corrections.add_correction(db, "a", 42.1, 24.7, "Ана")
    with pytest.raises(sqlite3.IntegrityError):  # the CHECK constraint fires inside the transaction
        with corrections.connect(db) as conn, corrections.transaction(conn):
            conn.execute("UPDATE corrections SET note = 'changed'")
            conn.execute(
                "INSERT INTO corrections (project_id, lon, lat, user, created_at) VALUES ('b', 999, 0, 'x', 't')"
            )
    assert [c.note for c in corrections.list_corrections(db)] == [""]


def test_apply_corrections_latest_pin_wins_and_inputs_are_untouched(tmp_path: Path) -> None:
    db = tmp_path / "corrections.sqlite"
    records = [_record("a"), _record("b", {"type": "Point", "coordinates": [24.0, 42.0]})]
    assert corrections.apply_corrections(records, db) == records  # no database: nothing changes
    assert not db.exists()  # …and none is created
    corrections.add_correction(db, "a", 42.1, 24.7, "Ана", now="t1")
    corrections.add_correction(db, "a", 42.15, 24.75, "Боби", now="t2")
    corrections.add_correction(db, "gone", 42.1, 24.7, "Ана")
    out = corrections.apply_corrections(records, db)
    loc = out[0].location
    assert loc is not None and loc.geometry == {"type": "Point", "coordinates": [24.75, 42.15]}
    assert loc.precision == "manual" and loc.corrected and loc.correction_id == 2
    assert loc.sources == ["manual correction #2 by Боби at t2"]  # a list, like OSM sources
    assert records[0].location is not None and records[0].location.geometry is None  # input untouched
    assert out[1] is records[1]
    assert [pin.work_key for pin in corrections.orphans(records, db)] == ["gone"]
    corrections.delete_correction(db, 2, "Ана")
    again = corrections.apply_corrections(records, db)[0].location
    assert again is not None and again.geometry is not None
    assert again.geometry["coordinates"] == [24.7, 42.1]


def test_schema_1_pins_are_migrated_once_by_the_register_they_were_made_on(tmp_path: Path) -> None:
    """A pin stored by display id gets the key of its work; one whose work is gone is orphaned."""
    db = tmp_path / "corrections.sqlite"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(
            "CREATE TABLE corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL,"
            " lon REAL NOT NULL, lat REAL NOT NULL, note TEXT NOT NULL DEFAULT '', user TEXT NOT NULL,"
            " created_at TEXT NOT NULL, deleted_at TEXT, deleted_by TEXT);"
            "INSERT INTO corrections (project_id, lon, lat, user, created_at) VALUES"
            " ('m1-l002-01', 24.7, 42.1, 'Ана', 't1'), ('m1-l009-01', 24.7, 42.1, 'Ана', 't2');"
        )
    old = [
        {"properties": {"id": "m1-l002-01", "name": "b", "source_line": 2, "source_text": ""}},
        {"properties": {"id": "m1-l009-01", "name": "removed", "source_line": 9, "source_text": ""}},
    ]
    # The new build gave "b" another display id (text was inserted before it): the key finds it.
    records = [_record("a"), _record("b")]
    assert [p.work_key for p in corrections.list_corrections(db)] == [None, None]
    assert corrections.migrate_legacy(db, old, records) == 1
    assert corrections.migrate_legacy(db, old, records) == 0  # once
    pins = corrections.list_corrections(db)
    assert [p.work_key for p in pins] == ["b", None]
    fixed = corrections.apply_corrections(records, db)
    assert fixed[1].location is not None and fixed[1].location.correction_id == 1
    assert fixed[0].location is not None and not fixed[0].location.corrected  # never another work
    assert [p.id for p in corrections.orphans(fixed, db)] == [2]


def test_version_changes_with_every_write(tmp_path: Path) -> None:
    db = tmp_path / "corrections.sqlite"
    seen = {corrections.version(db)}
    corrections.add_correction(db, "a", 42.1, 24.7, "Ана")
    seen.add(corrections.version(db))
    corrections.delete_correction(db, 1, "Ана")
    seen.add(corrections.version(db))
    assert len(seen) == 3


def test_the_app_writes_only_inside_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLOVDIV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLOVDIV_CORRECTIONS_DB", str(tmp_path / "elsewhere.sqlite"))
    settings = load_settings()
    with pytest.raises(ConfigError, match="outside the data folder"):
        writable(settings.corrections_db, settings)
    monkeypatch.delenv("PLOVDIV_CORRECTIONS_DB")
    settings = load_settings()
    assert writable(settings.corrections_db, settings) == tmp_path / "data" / "corrections.sqlite"
    with pytest.raises(ConfigError):
        writable(tmp_path / "data" / ".." / "escape.sqlite", settings)


def test_password_hashing_and_verification() -> None:
    stored = auth.parse_setting("s3cret")
    assert stored is not None and auth.verify("s3cret", stored)
    assert not auth.verify("S3cret", stored) and not auth.verify("", stored)
    encoded = auth.hash_password("s3cret").encode()
    assert encoded.startswith("scrypt$") and "s3cret" not in encoded
    assert auth.verify("s3cret", auth.parse_setting(encoded))
    assert auth.parse_setting("") is None
    assert auth.parse_setting("scrypt$zz$zz") is None  # malformed hash: editing off, not open
    assert not auth.verify("anything", None)


def test_password_setting_from_env_first() -> None:
    assert auth.configured_setting("from-env") == "from-env"


def test_the_login_lockout_is_kept_in_the_database_by_user_and_by_client(tmp_path: Path) -> None:
    db = tmp_path / "corrections.sqlite"
    guard = auth.LoginGuard(db)
    for i in range(auth.MAX_ATTEMPTS):
        assert guard.remaining_lock("Ана", "10.0.0.1", now=1000.0 + i) == 0
        guard.record("Ана", "10.0.0.1", ok=False, now=1000.0 + i)
    again = auth.LoginGuard(db)  # a new session, or a restarted server
    assert again.remaining_lock("ана ", "10.0.0.2", now=1010.0) > 0  # the same name elsewhere
    assert again.remaining_lock("Борис", "10.0.0.1", now=1010.0) > 0  # another name, same client
    assert again.remaining_lock("Борис", "10.0.0.2", now=1010.0) == 0
    assert again.remaining_lock("Ана", "10.0.0.1", now=1004.0 + auth.LOCKOUT_S + 1) == 0
    again.record("Ана", "10.0.0.1", ok=True, now=1011.0)
    assert again.remaining_lock("Ана", "10.0.0.1", now=1012.0) == 0
