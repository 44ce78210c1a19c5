"""Where the register, the pins and the review decisions live: files + SQLite, or PostgreSQL.

Why one switch: one app process can keep everything on its own disk (``data/projects.geojson``
and the embedded SQLite file, no set-up); several processes behind a proxy need one shared
truth. With ``PLOVDIV_DATABASE_URL`` set (``works.settings``) the register, pins and
decisions live in PostgreSQL + PostGIS (``pipeline._postgres``) for every process and the
build; with nothing set, nothing changes. The path arguments of ``pipeline.corrections`` and
``pipeline.reviews`` then name no file: the URL wins.

The build writes the register file as before and, with a URL, publishes the same
FeatureCollection to the database in one transaction; the dashboard reads it from there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline._lazy import lazy_module
from pipeline.store_errors import StoreError, sqlite_errors
from works.geojson import Register, RegisterError, feature_collection, from_feature, read_register
from works.model import WorkRecord
from works.settings import database_url

if TYPE_CHECKING:
    from pipeline import _postgres
else:
    _postgres = lazy_module("pipeline._postgres")  # only a PostgreSQL store needs it

__all__ = [
    "StoreError",
    "database_url",
    "load_register",
    "publish_register",
    "register_state",
    "shared",
    "sqlite_errors",
]


def shared() -> str:
    """The shared store's URL, or "" when the files and SQLite are the store."""
    return database_url()


def register_state(projects: Path) -> float:
    """A number that changes whenever the register is rebuilt (0: there is none yet).

    The file's modification time, or the database's current build (its generation).
    """
    url = shared()
    if url:
        return float(_postgres.register_version(url))
    try:
        return projects.stat().st_mtime
    except OSError:
        return 0.0


def load_register(projects: Path) -> Register:
    """The current register, validated (``works.geojson``); :class:`RegisterError` when unusable."""
    url = shared()
    if not url:
        return read_register(projects)
    collection = _postgres.read_register(url)
    if collection is None:
        raise RegisterError(f"no register is published in the shared database ({projects.name} is not read)")
    records = [from_feature(f, i) for i, f in enumerate(collection["features"])]
    return Register(records, dict(collection.get("metadata") or {}))


def publish_register(records: list[WorkRecord], metadata: dict[str, Any]) -> int | None:
    """With a shared store: publish the register there (one transaction); its generation."""
    url = shared()
    if not url:
        return None
    # Through JSON, as the file holds it: the database stores exactly what the file says.
    collection = json.loads(json.dumps(feature_collection(records, metadata), ensure_ascii=False))
    return _postgres.publish_register(url, collection)
