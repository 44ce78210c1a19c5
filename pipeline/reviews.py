"""Review decisions: stored in the planners' database, exported to ``reviews/*.json``.

Why both: planners decide in the dashboard, and their decisions must survive rebuilds and
restarts (the embedded database, every write one transaction); and the reviewed register must
be rebuilt the same way on any machine, so decisions are also exported to a readable, diffable
file in the repository, one per report, tied to the report's SHA-256, and versioned like code.
The build applies the union of both (``load_decisions``): a decision is the same in both by its
``uid``, so importing a file twice or exporting after an import changes nothing.

``python -m pipeline.reviews`` is the same tool on the command line (queue, show, decide,
export, import); see ``--help``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import _sqlite
from pipeline._lazy import lazy_module
from pipeline._sqlite import connect, transaction
from pipeline.store_errors import sqlite_errors
from works.files import atomic_write_text
from works.review import Decision, ReviewError
from works.settings import database_url

if TYPE_CHECKING:
    from pipeline import _postgres
else:
    _postgres = lazy_module("pipeline._postgres")  # only a PostgreSQL store needs it

__all__ = [
    "ReviewFile",
    "add_decision",
    "export_reviews",
    "import_reviews",
    "list_decisions",
    "load_decisions",
    "pending",
    "version",
    "read_review_file",
    "review_file_for",
    "write_review_file",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    uid           TEXT NOT NULL UNIQUE,
    report        TEXT NOT NULL,
    report_sha256 TEXT NOT NULL,
    key           TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    action        TEXT NOT NULL,
    reviewer      TEXT NOT NULL CHECK (length(reviewer) BETWEEN 1 AND 100),
    at            TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    changes       TEXT NOT NULL DEFAULT '{}',
    seen          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS reviews_key ON reviews (report, key);
"""


@dataclass(frozen=True)
class ReviewFile:
    """The decisions of one report as exported to the repository."""

    report: str
    report_sha256: str
    decisions: list[Decision]


def _init(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(reviews)")}
    if columns and "report" not in columns:  # a database from before decisions named their report
        conn.execute("ALTER TABLE reviews ADD COLUMN report TEXT NOT NULL DEFAULT ''")
    if columns and "seen" not in columns:  # from before decisions kept what their reviewer saw
        conn.execute("ALTER TABLE reviews ADD COLUMN seen TEXT NOT NULL DEFAULT '{}'")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _row(report: str, sha: str, d: Decision) -> dict[str, str]:
    return {
        "uid": d.uid,
        "report": report,
        "report_sha256": sha,
        "key": d.key,
        "action": str(d.action),
        "reviewer": d.reviewer,
        "at": d.at,
        "reason": d.reason,
        "changes": json.dumps(dict(d.changes), ensure_ascii=False, sort_keys=True),
        "seen": json.dumps(dict(d.seen), ensure_ascii=False, sort_keys=True),
    }


def _insert(conn: sqlite3.Connection, report: str, sha: str, d: Decision) -> bool:
    cursor = conn.execute(
        "INSERT OR IGNORE INTO reviews"
        " (uid, report, report_sha256, key, action, reviewer, at, reason, changes, seen)"
        " VALUES (:uid, :report, :report_sha256, :key, :action, :reviewer, :at, :reason, :changes, :seen)",
        _row(report, sha, d),
    )
    return cursor.rowcount == 1


def add_decision(db: Path, report: str, report_sha256: str, decision: Decision) -> Decision:
    """Store one decision about a work of ``report`` (its file name; one transaction)."""
    return add_decisions(db, report, report_sha256, [decision])[0]


def add_decisions(db: Path, report: str, report_sha256: str, decisions: Sequence[Decision]) -> list[Decision]:
    """Store decisions in one transaction: all or none. ``report_sha256`` records the version
    of the report they were made against (decisions apply by key to any later version)."""
    if url := database_url():
        _postgres.add_decisions(url, [_row(report, report_sha256, d) for d in decisions])
        return list(decisions)
    with sqlite_errors(db), closing(connect(db)) as conn, transaction(conn):
        _init(conn)
        for d in decisions:
            _insert(conn, report, report_sha256, d)
    return list(decisions)


def list_decisions(db: Path, report: str) -> list[Decision]:
    """The decisions stored for a report (by file name), oldest first (none: no database)."""
    if url := database_url():
        rows = _postgres.list_decisions(url, report)
    elif not db.is_file():
        return []
    else:
        with sqlite_errors(db), closing(connect(db, read_only=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "reviews" not in tables:
                return []
            columns = {row[1] for row in conn.execute("PRAGMA table_info(reviews)")}
            seen = "seen" if "seen" in columns else "'{}'"  # read only: an old database as it is
            rows = conn.execute(
                f"SELECT uid, key, action, reviewer, at, reason, changes, {seen} FROM reviews"
                " WHERE report = ? ORDER BY at, uid",
                (report,),
            ).fetchall()
    return [
        Decision.from_dict(
            {
                "uid": uid,
                "key": key,
                "action": action,
                "reviewer": reviewer,
                "at": at,
                "reason": reason,
                "changes": json.loads(changes),
                "seen": json.loads(seen or "{}"),
            }
        )
        for uid, key, action, reviewer, at, reason, changes, seen in rows
    ]


def version(db: Path) -> str:
    """A string that changes whenever a decision is stored (a cache key for the dashboard)."""
    if url := database_url():
        return _postgres.version(url, "reviews")
    return _sqlite.version(db, "SELECT count(*), max(seq) FROM reviews")


def pending(db: Path, report: str, applied: Iterable[str]) -> list[Decision]:
    """Decisions stored since the register was built (their uids are not among ``applied``)."""
    done = set(applied)
    return [d for d in list_decisions(db, report) if d.uid not in done]


def _dumps(report: str, sha: str, decisions: Iterable[Decision]) -> str:
    """Deterministic and diffable: a header, then one decision per line, oldest first."""
    lines = [
        json.dumps(d.as_dict(), ensure_ascii=False, sort_keys=True)
        for d in sorted(decisions, key=lambda d: (d.at, d.uid))
    ]
    head = json.dumps({"report": report, "report_sha256": sha}, ensure_ascii=False)[:-1]
    body = ",\n  ".join(lines)
    return f'{head}, "decisions": [\n  {body}\n]}}\n' if lines else f'{head}, "decisions": []}}\n'


def review_file_for(reviews_dir: Path, report: str) -> Path:
    """The review file of ``report`` (a file name): the one in ``reviews_dir`` whose header
    names that report, else ``<report stem>.json`` (where a first export will write it).

    Why by header, not by name: a review file is named for people ("programme-2019-2023.json"),
    and the report's file name is a storage detail that may be a hash.
    """
    if reviews_dir.is_dir():
        for path in sorted(reviews_dir.glob("*.json")):
            try:
                with path.open(encoding="utf-8") as fh:
                    head = json.loads(fh.readline().split(', "decisions"')[0] + "}")
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, IndexError):
                continue
            if isinstance(head, dict) and head.get("report") == report:
                return path
    return reviews_dir / f"{Path(report).stem}.json"


def read_review_file(path: Path) -> ReviewFile | None:
    """A review file, or None when there is none; :class:`ReviewError` when it is damaged."""
    if not path.is_file():
        return None
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        decisions = [Decision.from_dict(d) for d in raw["decisions"]]
        return ReviewFile(str(raw["report"]), str(raw["report_sha256"]), decisions)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ReviewError(f"{path}: not a review file ({exc})") from None


def write_review_file(path: Path, review: ReviewFile) -> None:
    """Write a review file atomically."""
    atomic_write_text(path, _dumps(review.report, review.report_sha256, review.decisions))


def _union(*groups: Iterable[Decision]) -> list[Decision]:
    seen: dict[str, Decision] = {}
    for group in groups:
        for d in group:
            seen.setdefault(d.uid, d)
    return sorted(seen.values(), key=lambda d: (d.at, d.uid))


def load_decisions(
    db: Path, review_file: Path, report: str, report_sha256: str
) -> tuple[list[Decision], str]:
    """Every decision for the report: the repository's file and the database's, oldest first.

    Decisions apply by key, so those made against an earlier version of the report still
    apply to every work whose words did not change (the others are orphaned); the note says
    when the file was made against another version.
    """
    note = ""
    from_file: list[Decision] = []
    review = read_review_file(review_file)
    if review is not None:
        if review.report != report:
            note = f"{review_file.name} is for the report {review.report}, not {report}: not applied"
        else:
            from_file = review.decisions
            if review.report_sha256 != report_sha256:
                note = f"{review_file.name} was made against another version of the report: applied by key"
    return _union(from_file, list_decisions(db, report)), note


def export_reviews(db: Path, review_file: Path, report: str, report_sha256: str) -> int:
    """Write the union of the file's and the database's decisions to the file; return the count.

    The file is then tied to ``report_sha256``, the version the register is built from now.
    """
    decisions, note = load_decisions(db, review_file, report, report_sha256)
    if note.endswith("not applied"):
        raise ReviewError(note + "; export to another folder (PLOVDIV_REVIEWS_DIR)")
    write_review_file(review_file, ReviewFile(report, report_sha256, decisions))
    return len(decisions)


def import_reviews(db: Path, review_file: Path) -> tuple[int, str]:
    """Store a file's decisions in the database (already stored ones are skipped).

    Returns how many were new and the file's report SHA-256.
    """
    review = read_review_file(review_file)
    if review is None:
        raise ReviewError(f"{review_file}: no such review file")
    if url := database_url():
        rows = [_row(review.report, review.report_sha256, d) for d in review.decisions]
        return _postgres.add_decisions(url, rows), review.report_sha256
    with sqlite_errors(db), closing(connect(db)) as conn, transaction(conn):
        _init(conn)
        new = sum(_insert(conn, review.report, review.report_sha256, d) for d in review.decisions)
    return new, review.report_sha256
