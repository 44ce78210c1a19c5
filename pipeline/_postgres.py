"""The shared store in PostgreSQL + PostGIS: the register, pins and review decisions.

Why: with more than one app process, a SQLite file on one machine's disk is no longer the
one truth every process writes to. With ``PLOVDIV_DATABASE_URL`` set (``works.settings``),
``pipeline.store``, ``pipeline.corrections`` and ``pipeline.reviews`` keep everything here
instead, with the same guarantees as the SQLite store: every write is one transaction (two
planners saving at once both succeed, one after the other), a crash mid-write rolls back.

Tables (created on first use, idempotent): ``corrections`` (pins, a PostGIS ``POINT`` with a
GiST index), ``reviews`` (decisions, append-only, ``uid`` unique), ``login_failures`` (the
planners' login lockout, ``pipeline.logins``), ``registers`` (one row per
published build, its metadata) and ``works`` (the build's features, ``properties`` as JSONB and
the geometry as a PostGIS ``GEOMETRY(…, 4326)`` with a GiST index). A build is published in
one transaction and becomes current when it commits; a build killed mid-write leaves the
previous one current. The last :data:`KEEP_REGISTERS` builds are kept.

Functions return plain rows; ``pipeline.corrections`` and ``pipeline.reviews`` make them into
their own types. Errors come out as :class:`~pipeline.store_errors.StoreError`, one line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine

from pipeline.store_errors import StoreError

__all__ = [
    "KEEP_REGISTERS",
    "add_correction",
    "add_decisions",
    "delete_correction",
    "dispose",
    "engine",
    "list_corrections",
    "list_decisions",
    "login_failures",
    "record_login",
    "publish_register",
    "read_register",
    "register_version",
    "version",
]

KEEP_REGISTERS = 3
metadata = sa.MetaData()

corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("work_key", sa.Text, index=True),
    sa.Column("project_id", sa.Text, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("geom", Geometry("POINT", srid=4326, spatial_index=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("deleted_at", sa.Text),
    sa.Column("deleted_by", sa.Text),
    sa.CheckConstraint("length(project_id) BETWEEN 1 AND 200"),
    sa.CheckConstraint("lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90"),
    sa.CheckConstraint('length("user") BETWEEN 1 AND 100'),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("uid", sa.Text, nullable=False, unique=True),
    sa.Column("report", sa.Text, nullable=False),
    sa.Column("report_sha256", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("changes", sa.Text, nullable=False, server_default="{}"),
    sa.Column("seen", sa.Text, nullable=False, server_default="{}"),
    sa.Index("reviews_key", "report", "key"),
)

registers = sa.Table(
    "registers",
    metadata,
    sa.Column("generation", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("metadata", JSONB, nullable=False),
    sa.Column("features", sa.Integer, nullable=False),
)

works = sa.Table(
    "works",
    metadata,
    sa.Column(
        "generation",
        sa.BigInteger,
        sa.ForeignKey("registers.generation", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("idx", sa.Integer, primary_key=True),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False, index=True),
    sa.Column("properties", JSONB, nullable=False),
    sa.Column("geom", Geometry("GEOMETRY", srid=4326, spatial_index=True)),
)

failed_logins = sa.Table(
    "login_failures",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("failed_at", sa.Float, nullable=False),
    sa.Index("login_failures_subject", "subject", "failed_at"),
)

_ENGINES: dict[str, Engine] = {}
_READY: set[str] = set()
_LOCK = threading.Lock()


def _where(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "PLOVDIV_DATABASE_URL"


def engine(url: str) -> Engine:
    """One engine (connection pool) per URL and process; tables created on first use."""
    with _LOCK:
        eng = _ENGINES.get(url)
        if eng is None:
            try:
                eng = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
            except (sa.exc.ArgumentError, ImportError) as exc:
                raise StoreError(f"PLOVDIV_DATABASE_URL is not a usable database URL: {exc}") from None
            _ENGINES[url] = eng
    if url not in _READY:
        with _errors(url), eng.begin() as conn:
            # One creator at a time across processes (create_all is not concurrency-safe).
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(150015)"))
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            metadata.create_all(conn)
            # A table from before decisions kept what their reviewer saw.
            conn.execute(
                sa.text("ALTER TABLE reviews ADD COLUMN IF NOT EXISTS seen TEXT NOT NULL DEFAULT '{}'")
            )
        _READY.add(url)
    return eng


def dispose() -> None:
    """Close every pool (tests stopping their server)."""
    with _LOCK:
        for eng in _ENGINES.values():
            eng.dispose()
        _ENGINES.clear()
        _READY.clear()


@contextmanager
def _errors(url: str) -> Iterator[None]:
    """SQLAlchemy's errors as one :class:`StoreError` line that says what to do."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        raise StoreError(
            f"the shared database ({_where(url)}) does not answer; nothing was changed: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
        ) from None
    except sa.exc.IntegrityError as exc:
        raise StoreError(f"the shared database refused the change: {str(exc.orig).splitlines()[0]}") from None
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"the shared database ({_where(url)}) failed: {str(exc).splitlines()[0]}") from None


@contextmanager
def _begin(url: str) -> Iterator[Connection]:
    """One transaction: committed at the end of the block, rolled back on any exception."""
    eng = engine(url)
    with _errors(url), eng.begin() as conn:
        yield conn


@contextmanager
def _read(url: str) -> Iterator[Connection]:
    eng = engine(url)
    with _errors(url), eng.connect() as conn:
        yield conn


_CORRECTION_COLUMNS = [
    corrections.c[name]
    for name in (
        "id",
        "work_key",
        "project_id",
        "lon",
        "lat",
        "note",
        "user",
        "created_at",
        "deleted_at",
        "deleted_by",
    )
]


def add_correction(
    url: str, work_key: str, project_id: str, lon: float, lat: float, note: str, user: str, created: str
) -> int:
    """Store a pin; its id."""
    with _begin(url) as conn:
        new_id = conn.execute(
            sa.insert(corrections)
            .values(
                work_key=work_key,
                project_id=project_id,
                lon=lon,
                lat=lat,
                geom=sa.func.ST_SetSRID(sa.func.ST_MakePoint(lon, lat), 4326),
                note=note,
                user=user,
                created_at=created,
            )
            .returning(corrections.c.id)
        ).scalar_one()
    return int(new_id)


def list_corrections(url: str, include_deleted: bool) -> list[tuple[Any, ...]]:
    """Pins as rows in the SQLite store's column order, oldest first."""
    query = sa.select(*_CORRECTION_COLUMNS).order_by(corrections.c.id)
    if not include_deleted:
        query = query.where(corrections.c.deleted_at.is_(None))
    with _read(url) as conn:
        return [tuple(row) for row in conn.execute(query)]


def delete_correction(url: str, correction_id: int, user: str, now: str) -> bool:
    """Withdraw a pin (kept, marked deleted); False if none was active."""
    with _begin(url) as conn:
        result = conn.execute(
            sa.update(corrections)
            .where(corrections.c.id == correction_id, corrections.c.deleted_at.is_(None))
            .values(deleted_at=now, deleted_by=user)
        )
        return result.rowcount == 1


def version(url: str, table: str) -> str:
    """Changes whenever a pin (``corrections``) or a decision (``reviews``) is stored."""
    query = {
        "corrections": "SELECT count(*), max(id), max(deleted_at) FROM corrections",
        "reviews": "SELECT count(*), max(seq) FROM reviews",
    }[table]
    with _read(url) as conn:
        return "pg" + repr(tuple(conn.execute(sa.text(query)).one()))


def login_failures(url: str, subject: str, since: float, limit: int) -> list[float]:
    """Times of a subject's failed logins after ``since``, newest first (``pipeline.logins``)."""
    c = failed_logins.c
    query = (
        sa.select(c.failed_at)
        .where(c.subject == subject, c.failed_at > since)
        .order_by(c.failed_at.desc())
        .limit(limit)
    )
    with _read(url) as conn:
        return [float(row[0]) for row in conn.execute(query)]


def record_login(url: str, subjects: Sequence[str], ok: bool, now: float, forget_before: float) -> None:
    """A failure against every subject, or a success clearing them, in one transaction."""
    c = failed_logins.c
    with _begin(url) as conn:
        if ok:
            conn.execute(sa.delete(failed_logins).where(c.subject.in_(list(subjects))))
        else:
            conn.execute(sa.insert(failed_logins), [{"subject": s, "failed_at": now} for s in subjects])
        conn.execute(sa.delete(failed_logins).where(c.failed_at < forget_before))


def add_decisions(url: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Store decisions in one transaction (a known ``uid`` is skipped); how many were new."""
    if not rows:
        return 0
    with _begin(url) as conn:
        result = conn.execute(
            pg_insert(reviews).on_conflict_do_nothing(index_elements=["uid"]).returning(reviews.c.uid),
            [dict(r) for r in rows],
        )
        return len(result.all())


def list_decisions(url: str, report: str) -> list[tuple[Any, ...]]:
    """(uid, key, action, reviewer, at, reason, changes, seen) of a report, oldest first."""
    c = reviews.c
    query = (
        sa.select(c.uid, c.key, c.action, c.reviewer, c.at, c.reason, c.changes, c.seen)
        .where(c.report == report)
        .order_by(c.at, c.uid)
    )
    with _read(url) as conn:
        return [tuple(row) for row in conn.execute(query)]


def publish_register(url: str, collection: Mapping[str, Any]) -> int:
    """Publish a FeatureCollection as the current register, in one transaction; its generation."""
    features = list(collection.get("features") or [])
    with _begin(url) as conn:
        generation = conn.execute(
            sa.insert(registers)
            .values(metadata=dict(collection.get("metadata") or {}), features=len(features))
            .returning(registers.c.generation)
        ).scalar_one()
        if features:
            conn.execute(
                sa.insert(works).values(
                    generation=sa.bindparam("g"),
                    idx=sa.bindparam("i"),
                    id=sa.bindparam("fid"),
                    key=sa.bindparam("k"),
                    properties=sa.bindparam("p", type_=JSONB),
                    geom=sa.func.ST_SetSRID(
                        sa.func.ST_GeomFromGeoJSON(sa.bindparam("gj", type_=sa.Text)), 4326
                    ),
                ),
                [
                    {
                        "g": generation,
                        "i": i,
                        "fid": str(f.get("id") or (f.get("properties") or {}).get("id") or ""),
                        "k": str((f.get("properties") or {}).get("key") or ""),
                        "p": f.get("properties") or {},
                        "gj": json.dumps(f["geometry"]) if f.get("geometry") else None,
                    }
                    for i, f in enumerate(features)
                ],
            )
        conn.execute(
            sa.text(
                "DELETE FROM registers WHERE generation NOT IN"
                " (SELECT generation FROM registers ORDER BY generation DESC LIMIT :keep)"
            ),
            {"keep": KEEP_REGISTERS},
        )
    return int(generation)


def register_version(url: str) -> int:
    """The current register's generation (0: none published yet)."""
    with _read(url) as conn:
        return int(
            conn.execute(sa.select(sa.func.coalesce(sa.func.max(registers.c.generation), 0))).scalar_one()
        )


def read_register(url: str, generation: int | None = None) -> dict[str, Any] | None:
    """The current (or the given) register as a FeatureCollection; None when none is published."""
    with _read(url) as conn:
        if generation is None:
            generation = conn.execute(sa.select(sa.func.max(registers.c.generation))).scalar_one()
        if generation is None:
            return None
        meta = conn.execute(
            sa.select(registers.c.metadata).where(registers.c.generation == generation)
        ).scalar_one_or_none()
        if meta is None:
            return None
        rows = conn.execute(
            sa.select(works.c.id, works.c.properties, sa.func.ST_AsGeoJSON(works.c.geom, 6))
            .where(works.c.generation == generation)
            .order_by(works.c.idx)
        ).all()
    features = [
        {"type": "Feature", "id": fid, "geometry": json.loads(geom) if geom else None, "properties": props}
        for fid, props, geom in rows
    ]
    return {"type": "FeatureCollection", "metadata": meta, "features": features}
