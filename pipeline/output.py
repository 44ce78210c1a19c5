"""Write the register as a deterministic GeoJSON FeatureCollection, atomically.

Deterministic (same report → same bytes) so a rebuild shows no spurious diff and tests can
compare runs; atomic (temp file in the same folder + `os.replace`) so a crash or a bad input
never leaves a half-written or emptied dataset behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def feature_collection(
    properties: Iterable[dict[str, Any]],
    geometries: Iterable[dict[str, Any] | None] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A FeatureCollection from record properties (geometry null unless given)."""
    props = list(properties)
    geoms = list(geometries) if geometries is not None else [None] * len(props)
    features = [
        {"type": "Feature", "id": p["id"], "geometry": g, "properties": p}
        for p, g in zip(props, geoms, strict=True)
    ]
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    if metadata:
        fc["metadata"] = metadata
    fc["features"] = features
    return fc


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    # mkstemp creates 0600; published data should get the usual umask permissions (0644).
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_geojson(path: Path, collection: dict[str, Any]) -> None:
    """Serialise UTF-8 (not ASCII-escaped), stable key order, one feature per line block."""
    text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    atomic_write_text(path, text)
