"""The store: SQLite by default, PostgreSQL + PostGIS with ``PLOVDIV_DATABASE_URL``; and its faults.

The PostgreSQL tests run against a real server from Debian's packages, started for the
session by ``tests/conftest.py`` (``postgis_url``); without the packages they skip and say
why. Faults: a build killed mid-write leaves the previous register (file and database); a
locked, missing or damaged store is one clear error and loses nothing; two planners editing
the same work at once both have their decisions kept, the later one winning.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline import _postgres, corrections, reviews, store
from pipeline.store import StoreError
from works.geojson import read_register
from works.review import apply_decisions, make_decision

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "data" / "dashboard"
REPORT = "report.txt"


def _decision(key: str, name: str, reviewer: str, at: str):
    return make_decision(key, "edit", reviewer, "test", {"name": name}, at=at)


# --- PostgreSQL + PostGIS -------------------------------------------------------------------


def test_pins_in_postgis(shared_store: str, tmp_path: Path) -> None:
    db = tmp_path / "unused.sqlite"  # the URL wins: no file is made
    before = corrections.version(db)
    pin = corrections.add_correction(db, "w-abc", 42.15, 24.75, "anna", "moved", project_id="m1-l2-1")
    assert pin.id >= 1 and corrections.version(db) != before
    assert [p.work_key for p in corrections.list_corrections(db)] == ["w-abc"]
    assert corrections.delete_correction(db, pin.id, "boris")
    assert corrections.list_corrections(db) == []
    assert corrections.list_corrections(db, include_deleted=True)[0].deleted_by == "boris"
    assert not db.exists()
    engine = sa.create_engine(shared_store)
    with engine.connect() as conn:
        kind = conn.execute(sa.text("SELECT GeometryType(geom), ST_SRID(geom) FROM corrections")).one()
        indexes = conn.execute(
            sa.text("SELECT indexdef FROM pg_indexes WHERE tablename IN ('corrections', 'works')")
        ).scalars()
        gist = [i for i in indexes if "USING gist" in i]
    engine.dispose()
    assert tuple(kind) == ("POINT", 4326)
    assert len(gist) == 2, gist  # corrections.geom and works.geom


def test_decisions_in_postgres(shared_store: str, tmp_path: Path) -> None:
    db = tmp_path / "unused.sqlite"
    d = _decision("w-1", "Парк", "anna", "2026-01-01T10:00:00.000000Z")
    reviews.add_decision(db, REPORT, "sha", d)
    reviews.add_decision(db, REPORT, "sha", d)  # the same uid: stored once
    assert reviews.list_decisions(db, REPORT) == [d]
    exported = tmp_path / "r.json"
    assert reviews.export_reviews(db, exported, REPORT, "sha") == 1
    assert reviews.import_reviews(db, exported) == (0, "sha")


def test_register_published_and_read_back(shared_store: str) -> None:
    built = read_register(FIXTURES / "projects.geojson")
    assert store.register_state(FIXTURES / "missing.geojson") == 0
    first = store.publish_register(built.records, built.metadata)
    assert first and store.register_state(Path("x")) == first
    loaded = store.load_register(Path("ignored.geojson"))
    assert loaded.records == built.records
    assert loaded.metadata == built.metadata
    engine = sa.create_engine(shared_store)
    with engine.connect() as conn:
        located = conn.execute(sa.text("SELECT count(*) FROM works WHERE geom IS NOT NULL")).scalar_one()
        inside = conn.execute(
            sa.text(
                "SELECT count(*) FROM works WHERE ST_Intersects(geom, ST_MakeEnvelope(24, 41, 26, 43, 4326))"
            )
        ).scalar_one()
    engine.dispose()
    assert 0 < inside <= located  # a spatial query on the PostGIS geometry (a fixture lies outside)


_KILLED_PUBLISH = """
import sys
from pathlib import Path
from pipeline import _postgres, store
from works.geojson import read_register

real_text = _postgres.sa.text
def pause(sql, *a, **k):  # every work row is inserted; stop before the commit
    if sql.startswith("DELETE FROM registers"):
        print("inserted", flush=True)
        sys.stdin.read()
    return real_text(sql, *a, **k)
_postgres.sa.text = pause
built = read_register(Path(sys.argv[1]))
store.publish_register(built.records, {**built.metadata, "build": "killed"})
"""


def test_a_build_killed_mid_publish_leaves_the_previous_register(shared_store: str) -> None:
    built = read_register(FIXTURES / "projects.geojson")
    first = store.publish_register(built.records, built.metadata)
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_PUBLISH, str(FIXTURES / "projects.geojson")],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "inserted"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert store.register_state(Path("x")) == first
    assert store.load_register(Path("x")).metadata == built.metadata


def test_a_database_that_does_not_answer_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.browser_support import free_port

    monkeypatch.setenv("PLOVDIV_DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    _postgres.dispose()
    with pytest.raises(StoreError, match="does not answer; nothing was changed"):
        corrections.add_correction(tmp_path / "x.sqlite", "w-1", 42.1, 24.7, "anna")
    _postgres.dispose()


# --- two planners at once (both stores) ------------------------------------------------------


def _concurrently(*jobs) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def _two_planners(db: Path) -> None:
    built = read_register(FIXTURES / "projects.geojson")
    key = built.records[0].key
    early = _decision(key, "Име от Анна", "anna", "2026-01-01T10:00:00.100000Z")
    late = _decision(key, "Име от Борис", "boris", "2026-01-01T10:00:00.200000Z")
    _concurrently(
        lambda: reviews.add_decision(db, REPORT, "sha", late),
        lambda: reviews.add_decision(db, REPORT, "sha", early),
    )
    stored = reviews.list_decisions(db, REPORT)
    assert {d.uid for d in stored} == {early.uid, late.uid}  # both kept
    applied = apply_decisions(built.records, stored).records
    assert next(r for r in applied if r.key == key).name == "Име от Борис"  # the later one wins
    _concurrently(
        lambda: corrections.add_correction(db, key, 42.14, 24.74, "anna"),
        lambda: corrections.add_correction(db, key, 42.15, 24.75, "boris"),
    )
    pins = corrections.list_corrections(db)
    assert len(pins) == 2
    assert corrections.latest_by_work(pins)[key].id == max(p.id for p in pins)


def test_two_planners_at_once_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLOVDIV_DATABASE_URL", raising=False)
    _two_planners(tmp_path / "store.sqlite")


def test_two_planners_at_once_postgres(shared_store: str, tmp_path: Path) -> None:
    _two_planners(tmp_path / "unused.sqlite")


# --- SQLite faults ---------------------------------------------------------------------------


@pytest.fixture
def local_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PLOVDIV_DATABASE_URL", raising=False)
    db = tmp_path / "corrections.sqlite"
    corrections.add_correction(db, "w-1", 42.1, 24.7, "anna", "kept")
    return db


def test_a_locked_store_is_a_clear_error_and_loses_nothing(local_store: Path) -> None:
    holder = sqlite3.connect(local_store, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            corrections.add_correction(local_store, "w-2", 42.1, 24.7, "boris")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [p.note for p in corrections.list_corrections(local_store)] == ["kept"]


def test_a_damaged_store_is_a_clear_error_and_left_alone(local_store: Path) -> None:
    local_store.write_bytes(b"not a database at all" * 100)
    before = local_store.read_bytes()
    with pytest.raises(StoreError, match="damaged"):
        corrections.list_corrections(local_store)
    with pytest.raises(StoreError, match="damaged"):
        corrections.add_correction(local_store, "w-2", 42.1, 24.7, "boris")
    with pytest.raises(StoreError, match="damaged"):
        reviews.add_decision(
            local_store, REPORT, "sha", _decision("w-2", "x", "anna", "2026-01-01T00:00:00Z")
        )
    assert local_store.read_bytes() == before


def test_a_missing_store_reads_as_empty_and_is_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLOVDIV_DATABASE_URL", raising=False)
    db = tmp_path / "gone" / "corrections.sqlite"
    assert corrections.list_corrections(db) == [] and reviews.list_decisions(db, REPORT) == []
    assert not db.exists()


_KILLED_BUILD = """
import os, sys
from works import files
def stop(src, dst):  # the new register is written in full; stop before it replaces the old one
    print("written", flush=True)
    sys.stdin.read()
files.os.replace = stop
from pipeline.cli import main
main(["--no-geocode", "--quiet", "--out", sys.argv[1]])
"""


def test_a_build_killed_mid_write_leaves_the_previous_register(
    real_report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLOVDIV_DATABASE_URL", raising=False)
    out = tmp_path / "projects.geojson"
    out.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    before = out.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(out)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "PLOVDIV_DATA_DIR": str(tmp_path)},
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "written"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert out.read_bytes() == before
    assert read_register(out).records == []


# --- the page, with a store it cannot read ---------------------------------------------------


def test_the_map_says_when_the_store_is_damaged_and_still_shows_the_register(app_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    db = app_env / "corrections.sqlite"
    db.write_bytes(b"garbage" * 1000)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert any("Корекциите не са достъпни" in w and "damaged" in w for w in warnings), warnings
    assert any("на картата" in str(c.value) for c in at.caption)  # the register as built is shown
    assert db.read_bytes() == b"garbage" * 1000


def test_the_map_says_when_the_shared_database_does_not_answer(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.browser_support import free_port

    monkeypatch.setenv("PLOVDIV_DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    _postgres.dispose()
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    _postgres.dispose()
    assert not at.exception
    assert any("does not answer" in str(w.value) for w in at.warning)


def test_login_lockout_is_shared_through_postgres(shared_store: str, tmp_path: Path) -> None:
    """Two app processes with one shared database count one guesser's failures together: the
    failures are in PostgreSQL, not in either process's SQLite file."""
    from dashboard.auth import LOCKOUT_S, MAX_ATTEMPTS, LoginGuard

    first, second = LoginGuard(tmp_path / "a.sqlite"), LoginGuard(tmp_path / "b.sqlite")
    for i in range(MAX_ATTEMPTS):
        (first if i % 2 else second).record("Ана", f"10.0.0.{i}", ok=False, now=1000.0 + i)
    assert first.remaining_lock("ана", "10.0.0.99", now=1010.0) > 0  # the name, on another process
    assert second.remaining_lock("Борис", "10.0.0.9", now=1010.0) == 0
    assert second.remaining_lock("Ана", "10.0.0.9", now=1004.0 + LOCKOUT_S + 1) == 0
    assert not (tmp_path / "a.sqlite").exists() and not (tmp_path / "b.sqlite").exists()
    engine = sa.create_engine(shared_store)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM login_failures")).scalar_one()
    engine.dispose()
    assert stored == 2 * MAX_ATTEMPTS  # one row per failure for the name and for the client
    second.record("Ана", "10.0.0.1", ok=True, now=1011.0)
    assert first.remaining_lock("Ана", "10.0.0.99", now=1012.0) == 0
