"""The one error of the planners' store (SQLite or PostgreSQL): locked, missing, corrupt, down.

Why its own module: ``pipeline.corrections``, ``pipeline.reviews``, ``pipeline.store`` and the
PostgreSQL store all raise it, and the dashboard shows it as one clear line instead of a
traceback (a ``PlovdivError``, so every view that shows those already shows this one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from works.errors import PlovdivError

__all__ = ["StoreError", "sqlite_errors"]


class StoreError(PlovdivError):
    """The store cannot be read or written now; nothing was changed."""


@contextmanager
def sqlite_errors(db: Path) -> Iterator[None]:
    """``sqlite3`` errors as one :class:`StoreError` line that says what happened."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StoreError(
                f"the planners' database {db.name} is locked by another process (a save or a "
                "rebuild in progress); nothing was changed — try again in a moment"
            ) from None
        raise StoreError(f"the planners' database {db} cannot be used: {text}; nothing was changed") from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"the planners' database {db} is damaged ({exc}); it was left as it is, nothing was "
            "changed — restore it from a backup or move it aside"
        ) from None
