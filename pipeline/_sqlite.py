"""The planners' embedded database: connections and transactions shared by its tables.

Why one module: pins (``corrections``) and review decisions (``reviews``) live in one SQLite
file, and both must get the same guarantees — a write is one ``BEGIN IMMEDIATE`` transaction
(two planners saving at once both succeed, one after the other), a crash mid-write rolls back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

__all__ = ["connect", "transaction", "version"]


def connect(db_path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are explicit (:func:`transaction`)."""
    if read_only:
        conn = sqlite3.connect(
            f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5, isolation_level=None
        )
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, timeout=5, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls the whole change back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def version(db_path: Path, query: str) -> str:
    """A string that changes whenever ``query``'s one row does: a cache key for the dashboard.

    "none" when there is no database or no such table yet (nothing to show).
    """
    if not db_path.is_file():
        return "none"
    try:
        with closing(connect(db_path, read_only=True)) as conn:
            return repr(tuple(conn.execute(query).fetchone()))
    except sqlite3.Error:
        return "none"
