"""Failed planner logins, kept where pins and decisions are: SQLite, or PostgreSQL with a URL.

Why in the store: the lockout (``dashboard.auth.LoginGuard``) must hold across sessions,
restarts and — behind a proxy — every app process. With ``PLOVDIV_DATABASE_URL`` set
(``works.settings``) the failures live in the shared database (``pipeline._postgres``), so a
guessing script spread over several processes is counted once; otherwise in the planners'
SQLite file as before. A failure is a subject (``user:…`` or ``client:…``) and a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import _sqlite
from pipeline._lazy import lazy_module
from pipeline.store_errors import sqlite_errors
from works.settings import database_url

if TYPE_CHECKING:
    from pipeline import _postgres
else:
    _postgres = lazy_module("pipeline._postgres")  # only a PostgreSQL store needs it

__all__ = ["record", "recent_failures"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_failures (subject TEXT NOT NULL, failed_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_subject ON login_failures (subject, failed_at);
"""


def recent_failures(db: Path, subject: str, since: float, limit: int) -> list[float]:
    """The times of ``subject``'s failures after ``since``, newest first (at most ``limit``)."""
    url = database_url()
    if url:
        return _postgres.login_failures(url, subject, since, limit)
    if not db.is_file():
        return []
    with sqlite_errors(db), closing(_sqlite.connect(db)) as conn:
        conn.executescript(_SCHEMA)
        rows = conn.execute(
            "SELECT failed_at FROM login_failures WHERE subject = ? AND failed_at > ?"
            " ORDER BY failed_at DESC LIMIT ?",
            (subject, since, limit),
        ).fetchall()
    return [float(row[0]) for row in rows]


def record(db: Path, subjects: Sequence[str], ok: bool, now: float, forget_before: float) -> None:
    """One transaction: a failure stored against every subject, or a success clearing them;
    failures older than ``forget_before`` are dropped."""
    url = database_url()
    if url:
        _postgres.record_login(url, subjects, ok, now, forget_before)
        return
    with sqlite_errors(db), closing(_sqlite.connect(db)) as conn:
        conn.executescript(_SCHEMA)
        with _sqlite.transaction(conn):
            for subject in subjects:
                if ok:
                    conn.execute("DELETE FROM login_failures WHERE subject = ?", (subject,))
                else:
                    conn.execute("INSERT INTO login_failures VALUES (?, ?)", (subject, now))
            conn.execute("DELETE FROM login_failures WHERE failed_at < ?", (forget_before,))
